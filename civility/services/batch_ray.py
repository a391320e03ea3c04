"""`civility batch --engine ray`: the same scoring, on a Ray cluster with Ray Data.

The driver reads the input with the same readers as the local engines (so ids, bad rows and resume behave the
same), ships it to the cluster in segments (``ray.data.from_items``), scores each segment with ``map_batches`` over a
pool of actors that each load the plan's models once (:class:`RayScorer` wraps :class:`BatchWorker`), and streams
the results back in input order into the one output writer and checkpoint. Segments bound the driver's memory and
the work lost to an interruption; a segment costs one actor-pool start (about a second for the linear model).

Workers must be able to import ``civility`` and read the model folders at the paths the driver resolved (a shared
image or volume); a local head started from this virtualenv (``ray start --head``) has both.

Ray is imported only here, and only when this engine is chosen (``pip install 'civility[ray]'``).
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from civility.services.batch import BatchError, BatchWorker, InRow, OutRow, Plan

SEGMENT_ROWS = 100_000  # rows shipped to the cluster per Ray Data execution (and per actor-pool start)
LOCAL_OBJECT_STORE_BYTES = 300 * 1024 * 1024


def _ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise BatchError("--engine ray needs Ray Data: pip install 'civility[ray]'") from exc
    return ray


def itertools_batched(items: Iterator[list[InRow]], size: int) -> Iterator[list[list[InRow]]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class RayScorer:
    """The ``map_batches`` callable: one per actor, loading the models once, scoring numpy batches."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.worker = BatchWorker(plan, threads=1)  # each actor holds one CPU

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """One item is one whole engine batch (its first row number, texts and read errors), so every engine hands
        the model exactly the same batches and a batch-sensitive scorer (padding, dynamic int8) scores alike."""
        results: list[OutRow] = []
        for first, texts, errors in zip(batch["first"], batch["texts"], batch["errors"]):
            rows = [
                InRow(int(first) + offset, None, text if isinstance(text, str) else None, error or None)
                for offset, (text, error) in enumerate(zip(texts, errors))
            ]
            results.extend(self.worker.score(rows))
        return pack(self.plan, results)


def pack(plan: Plan, results: list[OutRow]) -> dict[str, np.ndarray]:
    columns: dict[str, np.ndarray] = {"row": np.array([r.row for r in results], dtype=np.int64)}
    for index, attribute in enumerate(plan.attributes):
        values = [r.scores[attribute] for r in results]
        columns[f"score_{index}"] = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    for name in ("language", "models", "error"):
        columns[name] = np.array([getattr(r, name) or "" for r in results], dtype=object)
    return columns


def unpack(plan: Plan, batch: dict[str, np.ndarray], ids: dict[int, Any]) -> list[OutRow]:
    out = []
    for position, row in enumerate(batch["row"].tolist()):
        scores: dict[str, float | None] = {}
        for index, attribute in enumerate(plan.attributes):
            value = float(batch[f"score_{index}"][position])
            scores[attribute] = None if math.isnan(value) else value
        language, models, error = (str(batch[name][position] or "") or None for name in ("language", "models", "error"))
        out.append(OutRow(row, ids[row], scores, language, models, error))
    return out


class RayEngine:
    def __init__(
        self,
        plan: Plan,
        address: str | None = "auto",
        workers: int | None = None,
        batch_size: int = 256,
        segment_rows: int = SEGMENT_ROWS,
    ) -> None:
        ray = _ray()
        self.ray, self.plan, self.batch_size, self.segment_rows = ray, plan, batch_size, segment_rows
        self._owned = False
        if not ray.is_initialized():
            quiet = {"logging_level": logging.WARNING, "log_to_driver": False}
            if address in (None, "", "local"):
                # A private single-machine cluster for this run only.
                ray.init(
                    address="local",  # never attach to a cluster that happens to run on this machine
                    num_cpus=workers,
                    include_dashboard=False,
                    object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                    **quiet,
                )
            else:
                try:
                    ray.init(address=address, **quiet)
                except ConnectionError as exc:
                    raise BatchError(f"cannot reach the Ray cluster at {address}: {exc}") from exc
            self._owned = True
        logging.getLogger("ray.data").setLevel(logging.ERROR)  # e.g. "progress bars disabled"
        self.workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.execution_options.preserve_order = True
        if hasattr(context, "print_on_execution_start"):
            context.print_on_execution_start = False

    def map(self, batches: Iterator[list[InRow]]) -> Iterator[list[OutRow]]:
        per_segment = max(1, self.segment_rows // self.batch_size)
        for segment in itertools_batched(batches, per_segment):
            yield from self._segment(segment)

    def _segment(self, segment: list[list[InRow]]) -> Iterator[list[OutRow]]:
        ray = self.ray
        ids = {row.row: row.id for batch in segment for row in batch}
        items = [
            {"first": batch[0].row, "texts": [row.text for row in batch], "errors": [row.error or "" for row in batch]}
            for batch in segment
        ]
        dataset = ray.data.from_items(items, override_num_blocks=min(len(items), max(2 * self.workers, len(items) // 4)))
        scored = dataset.map_batches(
            RayScorer,
            fn_constructor_kwargs={"plan": self.plan},
            batch_size=1,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=self.workers),
            num_cpus=1,
        )
        # preserve_order makes batches arrive in input order; the reorder buffer only guards that promise.
        expected, pending = segment[0][0].row, {}
        for batch in scored.iter_batches(batch_size=None, batch_format="numpy"):
            if len(batch["row"]) == 0:
                continue
            results = unpack(self.plan, batch, ids)
            pending[results[0].row] = results
            while expected in pending:
                ready = pending.pop(expected)
                expected = ready[-1].row + 1
                yield ready
        if pending:
            raise BatchError(f"Ray returned rows out of sequence near row {expected}")

    def close(self) -> None:
        if self._owned:
            self.ray.shutdown()
