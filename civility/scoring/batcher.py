"""Dynamic micro-batching: single-text calls arriving within a few milliseconds share one model call.

A transformer scores 32 texts in far less than 32 times the time of one, so under concurrent load gathering
requests raises throughput at the cost of at most ``max_wait`` seconds of latency. The queue is bounded: when it
is full the caller gets OVERLOADED (503) at once instead of waiting without end.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from civility import errors
from civility.scoring.base import Scorer
from civility.scoring.types import ModelInfo


@dataclass
class _Pending:
    text: str
    done: threading.Event = field(default_factory=threading.Event)
    result: np.ndarray | None = None
    error: BaseException | None = None


class MicroBatcher:
    """Wraps a scorer and keeps its contract; only calls with exactly one text are gathered."""

    def __init__(
        self,
        scorer: Scorer,
        max_batch: int = 32,
        max_wait: float = 0.003,
        max_queue: int = 512,
        timeout: float = 30.0,
        on_batch: Callable[[int, float, int], None] | None = None,
    ) -> None:
        self.info: ModelInfo = scorer.info
        self._scorer = scorer
        self._max_batch = max_batch
        self._max_wait = max_wait
        self._timeout = timeout
        self._on_batch = on_batch
        self._queue: queue.Queue[_Pending | None] = queue.Queue(maxsize=max_queue)
        self._thread = threading.Thread(target=self._run, name=f"batcher-{scorer.info.label}", daemon=True)
        self._thread.start()

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) != 1:
            return self._scorer.predict_proba(texts)
        pending = _Pending(texts[0])
        try:
            self._queue.put_nowait(pending)
        except queue.Full:
            raise errors.overloaded(1) from None
        if not pending.done.wait(self._timeout):
            raise errors.deadline_exceeded(self._timeout)
        if pending.error is not None:
            raise pending.error
        assert pending.result is not None
        return pending.result[None, :]

    @property
    def queue_depth(self) -> int:
        return self._queue.qsize()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            deadline = time.monotonic() + self._max_wait
            while len(batch) < self._max_batch:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    item = self._queue.get(timeout=remaining)
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)
                    break
                batch.append(item)
            started = time.perf_counter()
            try:
                probabilities = self._scorer.predict_proba([p.text for p in batch])
                for pending, row in zip(batch, probabilities):
                    pending.result = row
            except BaseException as exc:  # handed to every waiting caller; the batcher thread lives on
                for pending in batch:
                    pending.error = exc
            finally:
                for pending in batch:
                    pending.done.set()
            if self._on_batch is not None:
                self._on_batch(len(batch), time.perf_counter() - started, self._queue.qsize())
