"""Score a file of comments (CSV, JSONL or Parquet) into a file of scores keyed by the input's row ids.

The engine-independent core of `civility batch`:

- **Plan.** Before any row is read, every requested attribute is resolved to one model version per language from the
  artifact manifests alone (no weights are loaded in the driver). The plan is written into the checkpoint, so a run
  that resumes after a new model appeared keeps scoring with the versions it started with.
- **Rows.** Inputs are read in order, in chunks: CSV with the csv module, JSONL line by line, Parquet with pyarrow.
  Each row becomes ``InRow(row, id, text, error)``; a bad row (no text, empty, too long, not JSON) carries an error
  and is written with that error instead of scores. Nothing a row contains can stop the run.
- **Engines.** An engine maps batches of rows to batches of results, in order: in this process (``workers=1``), in
  ``workers`` local processes that each load the models once, or on Ray (`batch_ray.py`). All engines score with
  :class:`BatchWorker`, so their outputs are equal.
- **Resume.** The output is appended to and a checkpoint (``OUTPUT.progress.json``) records, after each fsync'ed
  chunk, how many rows and output bytes (or Parquet part files) are done, with the input's size, mtime and a hash of
  its first MiB. A rerun after an interruption (SIGKILL included) truncates the output to the checkpoint and
  continues from the next row: every input row appears exactly once.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import math
import os
import shutil
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from civility.scoring.artifact import discover, load_scorer, read_info
from civility.scoring.base import Scorer
from civility.scoring.registry import ModelRegistry
from civility.scoring.types import PRODUCTION_ATTRIBUTES, ModelInfo

FORMATS = ("csv", "jsonl", "parquet")
CHECKPOINT_VERSION = 1
HEAD_BYTES = 1 << 20
_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}


class BatchError(Exception):
    """The run cannot start or continue (bad options, unreadable input, a checkpoint from another run)."""


# ----------------------------------------------------------------------------------------------------------------
# Options, rows, results


@dataclass(frozen=True)
class BatchOptions:
    input: Path
    output: Path
    text_column: str = "text"
    id_column: str = "id"
    attributes: tuple[str, ...] = PRODUCTION_ATTRIBUTES
    model_version: int | None = None
    input_format: str = "auto"
    output_format: str = "auto"
    language: str = "en"
    detect_language: bool = False
    batch_size: int = 256
    checkpoint_rows: int = 4096
    max_text_bytes: int = 20480
    models_dir: Path = Path("models")
    restart: bool = False

    def fingerprint(self) -> dict[str, Any]:
        """What must not change between a run and its resumption (besides the input itself and the plan)."""
        return {
            "text_column": self.text_column,
            "id_column": self.id_column,
            "attributes": list(self.attributes),
            "input_format": resolve_format(self.input, self.input_format),
            "output_format": output_format(self),
            "language": self.language,
            "detect_language": self.detect_language,
            "max_text_bytes": self.max_text_bytes,
        }


@dataclass(frozen=True)
class InRow:
    """One input row: its 0-based position among the data rows, its id (the row number when there is no id column),
    and either its text or why it cannot be scored."""

    row: int
    id: Any
    text: str | None
    error: str | None = None


@dataclass
class OutRow:
    row: int
    id: Any
    scores: dict[str, float | None]
    language: str | None = None
    models: str | None = None
    error: str | None = None


@dataclass
class BatchSummary:
    output: Path
    total_rows: int
    rows_done: int
    resumed_from: int
    scored_now: int
    errors: int
    seconds: float
    plan: dict[str, dict[str, str]]
    already_complete: bool = False

    @property
    def rate(self) -> float:
        return self.scored_now / self.seconds if self.seconds > 0 else 0.0


Progress = Callable[[int, int], None]


# ----------------------------------------------------------------------------------------------------------------
# Formats


def resolve_format(path: Path, given: str) -> str:
    if given != "auto":
        if given not in FORMATS:
            raise BatchError(f"unknown format {given!r}; use one of {', '.join(FORMATS)}")
        return given
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise BatchError(f"{path}: cannot tell the format from the name; pass --format csv|jsonl|parquet")
    return found


def output_format(options: BatchOptions) -> str:
    """The output's format: as given, else from its suffix, else the input's."""
    if options.output_format != "auto" or options.output.suffix.lower() in _SUFFIXES:
        return resolve_format(options.output, options.output_format)
    return resolve_format(options.input, options.input_format)


def _require_pyarrow() -> Any:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise BatchError("Parquet needs pyarrow: pip install 'civility[batch]'") from exc
    return pq


# ----------------------------------------------------------------------------------------------------------------
# Plan: attribute × language → model folder, label and column, from the manifests only


@dataclass(frozen=True)
class Target:
    folder: str
    label: str
    column: int


@dataclass(frozen=True)
class Plan:
    """Which model scores each requested attribute in each language; picklable, so workers can load it."""

    attributes: tuple[str, ...]
    targets: dict[str, dict[str, Target]]  # attribute → language → target
    language: str
    detect_language: bool
    max_text_bytes: int

    def labels(self) -> dict[str, dict[str, str]]:
        return {attr: {lang: t.label for lang, t in sorted(by.items())} for attr, by in self.targets.items()}

    def folders(self) -> list[str]:
        return sorted({t.folder for by in self.targets.values() for t in by.values()})


class _InfoOnly:
    """A manifest standing in for a scorer, so the registry's resolution runs without loading any weights."""

    def __init__(self, info: ModelInfo, folder: Path) -> None:
        self.info = info
        self.folder = folder

    def predict_proba(self, texts: Sequence[str]) -> Any:  # pragma: no cover - never called
        raise NotImplementedError


def parse_attribute(key: str) -> tuple[str, int | None]:
    name, _, version = key.strip().upper().partition("@")
    if not name or (version and not version.isdigit()):
        raise BatchError(f"bad attribute {key!r}; use NAME or NAME@VERSION")
    return name, int(version) if version else None


def make_plan(options: BatchOptions, pinned: dict[str, dict[str, str]] | None = None) -> Plan:
    """Resolve every attribute: newest version per language unless pinned (``ATTR@N``, ``--model-version`` or, on
    resume, the labels the checkpoint recorded)."""
    infos = [_InfoOnly(read_info(folder), folder) for folder in discover(options.models_dir)]
    if not infos:
        raise BatchError(f"no models in {options.models_dir}")
    registry = ModelRegistry(infos)  # type: ignore[arg-type]
    coverage = registry.coverage()
    targets: dict[str, dict[str, Target]] = {}
    names: list[str] = []
    for key in options.attributes:
        name, version = parse_attribute(key)
        version = version if version is not None else options.model_version
        if name in targets:
            continue
        names.append(name)
        languages = sorted(coverage.get(name, {})) if options.detect_language else [options.language]
        by_language: dict[str, Target] = {}
        for language in languages:
            wanted = version
            if pinned is not None:
                label = pinned.get(name, {}).get(language)
                if label is None:
                    continue
                wanted = int(label.rsplit("@", 1)[1])
            resolved = registry.resolve(name, language, wanted)
            if resolved is None:
                continue
            stub = resolved.scorer
            assert isinstance(stub, _InfoOnly)
            if pinned is not None and stub.info.label != pinned[name][language]:
                raise BatchError(f"{name} in {language}: the checkpoint used {pinned[name][language]}, now {stub.info.label}")
            by_language[language] = Target(str(stub.folder), stub.info.label, resolved.column)
        if not by_language:
            at = f"@{version}" if version is not None else ""
            where = "any language" if options.detect_language else f"language {options.language!r}"
            raise BatchError(f"no model serves {name}{at} in {where}; available: {_describe(coverage)}")
        targets[name] = by_language
    return Plan(tuple(names), targets, options.language, options.detect_language, options.max_text_bytes)


def _describe(coverage: dict[str, dict[str, list[int]]]) -> str:
    return "; ".join(
        f"{attr} ({', '.join(f'{lang}@{v}' for lang, vs in langs.items() for v in vs)})" for attr, langs in coverage.items()
    )


# ----------------------------------------------------------------------------------------------------------------
# Scoring one batch: shared by every engine


class BatchWorker:
    """Loads the plan's models (once) and scores batches of rows; never raises for a row's content."""

    def __init__(self, plan: Plan, verify: bool = True, threads: int | None = None) -> None:
        self.plan = plan
        if threads is not None:  # cores this worker may use (an explicit CIVILITY_ONNX_THREADS wins)
            os.environ.setdefault("CIVILITY_ONNX_THREADS", str(max(1, threads)))
        self._scorers: dict[str, Scorer] = {folder: load_scorer(Path(folder), verify=verify) for folder in plan.folders()}
        self._detector = None
        if plan.detect_language:
            from civility.text.language import LanguageDetector

            self._detector = LanguageDetector()

    def _language(self, text: str) -> str:
        if self._detector is None:
            return self.plan.language
        from civility.text.language import normalize_tag

        detected = self._detector.detect(text, prefer=self.plan.language).languages
        return normalize_tag(detected[0]) if detected else self.plan.language

    def score(self, rows: Sequence[InRow]) -> list[OutRow]:
        plan = self.plan
        out = [OutRow(r.row, r.id, dict.fromkeys(plan.attributes), error=r.error) for r in rows]
        by_language: dict[str, list[int]] = {}
        for index, row in enumerate(rows):
            if row.error is not None:
                continue
            error = check_text(row.text, plan.max_text_bytes)
            if error is not None:
                out[index].error = error
                continue
            try:
                language = self._language(row.text)  # type: ignore[arg-type]
            except Exception as exc:  # noqa: BLE001 - a row must never stop the run
                out[index].error = f"LANGUAGE_DETECTION_FAILED: {exc}"[:300]
                continue
            out[index].language = language
            by_language.setdefault(language, []).append(index)
        for language, indices in by_language.items():
            self._score_language(rows, out, language, indices)
        return out

    def _score_language(self, rows: Sequence[InRow], out: list[OutRow], language: str, indices: list[int]) -> None:
        groups: dict[str, list[tuple[str, int]]] = {}  # folder → (attribute, column)
        labels: dict[str, str] = {}
        missing: list[str] = []
        for attribute in self.plan.attributes:
            target = self.plan.targets[attribute].get(language)
            if target is None:
                missing.append(attribute)
                continue
            groups.setdefault(target.folder, []).append((attribute, target.column))
            labels[attribute] = target.label
        models = _models_cell(labels)
        for index in indices:
            out[index].models = models
            if missing:
                out[index].error = f"LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE: {','.join(missing)} in {language}"
        texts = [rows[i].text for i in indices]
        for folder, wanted in groups.items():
            scorer = self._scorers[folder]
            try:
                probabilities = scorer.predict_proba(texts)  # type: ignore[arg-type]
            except Exception:  # noqa: BLE001 - isolate the row that fails
                probabilities = None
            for position, index in enumerate(indices):
                if probabilities is not None:
                    values = probabilities[position]
                else:
                    try:
                        values = scorer.predict_proba([rows[index].text])[0]  # type: ignore[list-item]
                    except Exception as exc:  # noqa: BLE001
                        out[index].error = f"SCORING_FAILED: {type(exc).__name__}: {exc}"[:300]
                        continue
                for attribute, column in wanted:
                    value = float(values[column])
                    out[index].scores[attribute] = value if math.isfinite(value) else None


def _models_cell(labels: dict[str, str]) -> str:
    distinct = list(dict.fromkeys(labels.values()))
    if len(distinct) <= 1:
        return distinct[0] if distinct else ""
    return ",".join(f"{attr}={label}" for attr, label in labels.items())


def check_text(text: str | None, max_bytes: int) -> str | None:
    """The error code of a text that cannot be scored (the API's errorTypes), or None."""
    if text is None or not text.strip():
        return "COMMENT_EMPTY: Comment must be non-empty."
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        return f"COMMENT_TOO_LONG: Comment text too long (limit {max_bytes} bytes of UTF-8)."
    return None


def _text_of(value: Any) -> tuple[str | None, str | None]:
    if value is None or isinstance(value, str):
        return value, None
    if isinstance(value, float) and math.isnan(value):
        return None, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value), None
    return None, f"INVALID_TEXT: expected a string, got {type(value).__name__}"


# ----------------------------------------------------------------------------------------------------------------
# Readers


def count_rows(path: Path, fmt: str) -> int:
    if fmt == "parquet":
        return _require_pyarrow().ParquetFile(path).metadata.num_rows
    if fmt == "jsonl":
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        return max(0, sum(1 for _ in csv.reader(handle)) - 1)


def columns_of(path: Path, fmt: str) -> list[str] | None:
    """The input's column names where the format states them (CSV header, Parquet schema, first JSONL object)."""
    if fmt == "parquet":
        return list(_require_pyarrow().ParquetFile(path).schema_arrow.names)
    if fmt == "csv":
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            return next(csv.reader(handle), [])
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                try:
                    first = json.loads(line)
                except ValueError:
                    return None
                return list(first) if isinstance(first, dict) else None
    return None


def read_rows(path: Path, fmt: str, text_column: str, id_column: str, skip: int = 0) -> Iterator[InRow]:
    """The input's data rows from row ``skip`` on (rows are numbered from 0, blank JSONL lines are not rows)."""
    reader = {"csv": _read_csv, "jsonl": _read_jsonl, "parquet": _read_parquet}[fmt]
    return itertools.islice(reader(path, text_column, id_column), skip, None)


def _read_csv(path: Path, text_column: str, id_column: str) -> Iterator[InRow]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # oversize texts become a row error, not a reader crash
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        reader = csv.DictReader(handle)
        has_id = id_column in (reader.fieldnames or [])
        for number, record in enumerate(reader):
            text = record.get(text_column)
            yield InRow(number, record.get(id_column) if has_id else number, text)


def _read_jsonl(path: Path, text_column: str, id_column: str) -> Iterator[InRow]:
    with path.open("rb") as handle:
        number = 0
        for line in handle:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield InRow(number, number, None, f"INVALID_JSON: {exc}"[:300])
            else:
                if isinstance(record, dict):
                    text, error = _text_of(record.get(text_column))
                    row_id = record.get(id_column, number)
                    yield InRow(number, number if row_id is None else row_id, text, error)
                else:
                    yield InRow(number, number, None, "INVALID_ROW: expected a JSON object")
            number += 1


def _read_parquet(path: Path, text_column: str, id_column: str) -> Iterator[InRow]:
    pq = _require_pyarrow()
    handle = pq.ParquetFile(path)
    names = handle.schema_arrow.names
    has_id = id_column in names
    columns = [text_column] + ([id_column] if has_id and id_column != text_column else [])
    number = 0
    for batch in handle.iter_batches(batch_size=4096, columns=columns):
        texts = batch.column(text_column).to_pylist()
        ids = batch.column(id_column).to_pylist() if has_id else None
        for offset, value in enumerate(texts):
            text, error = _text_of(value)
            row_id = ids[offset] if ids is not None else number
            yield InRow(number, number if row_id is None else row_id, text, error)
            number += 1


def batched(rows: Iterable[InRow], size: int) -> Iterator[list[InRow]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


# ----------------------------------------------------------------------------------------------------------------
# Writers: append, commit (durable, returns the position to checkpoint), truncate on resume


def output_columns(plan: Plan, id_column: str) -> list[str]:
    key = id_column if id_column else "id"
    return [key, *(["row"] if key != "row" else []), *plan.attributes, "language", "models", "error"]


def _record(row: OutRow, columns: list[str]) -> dict[str, Any]:
    values = {columns[0]: row.id, "row": row.row, **row.scores, "language": row.language, "models": row.models,
              "error": row.error}  # fmt: skip
    return {name: values.get(name) for name in columns}


class Writer(Protocol):
    def write(self, rows: Sequence[OutRow]) -> None: ...
    def commit(self) -> int: ...
    def finish(self) -> None: ...


class _StreamWriter:
    """CSV or JSONL, appended to after truncating to the checkpointed byte offset."""

    def __init__(self, path: Path, fmt: str, columns: list[str], offset: int) -> None:
        self.path, self.fmt, self.columns = path, fmt, columns
        mode = "r+b" if path.exists() else "w+b"
        self._handle = path.open(mode)
        self._handle.truncate(offset)
        self._handle.seek(offset)
        self._text = open(self._handle.fileno(), "w", encoding="utf-8", newline="", closefd=False)
        self._csv = csv.writer(self._text) if fmt == "csv" else None
        if offset == 0 and self._csv is not None:
            self._csv.writerow(columns)

    def write(self, rows: Sequence[OutRow]) -> None:
        for row in rows:
            record = _record(row, self.columns)
            if self._csv is not None:
                self._csv.writerow(["" if v is None else repr(v) if isinstance(v, float) else v for v in record.values()])
            else:
                self._text.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")

    def commit(self) -> int:
        self._text.flush()
        os.fsync(self._handle.fileno())
        return os.lseek(self._handle.fileno(), 0, os.SEEK_CUR)

    def finish(self) -> None:
        self.commit()
        self._text.close()
        self._handle.close()


class _ParquetWriter:
    """Parquet cannot be appended to, so each committed chunk is a part file; ``finish`` merges them into OUTPUT."""

    def __init__(self, path: Path, columns: list[str], attributes: Sequence[str], parts_done: int) -> None:
        self.pq = _require_pyarrow()
        import pyarrow as pa

        self.pa, self.path, self.columns = pa, path, columns
        self.parts_dir = parts_dir(path)
        self.parts_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.parts_dir.iterdir():
            index = stale.stem.removeprefix("part-")
            if stale.suffix != ".parquet" or not index.isdigit() or int(index) >= parts_done:
                stale.unlink()
        self.parts = parts_done
        self._pending: list[OutRow] = []
        fields = [pa.field(columns[0], pa.string()), pa.field("row", pa.int64())]
        fields += [pa.field(a, pa.float64()) for a in attributes]
        fields += [pa.field(name, pa.string()) for name in ("language", "models", "error")]
        self.schema = pa.schema([f for f in fields if f.name in columns])

    def write(self, rows: Sequence[OutRow]) -> None:
        self._pending.extend(rows)

    def commit(self) -> int:
        if self._pending:
            records = [_record(row, self.columns) for row in self._pending]
            key = self.columns[0]
            for record in records:
                record[key] = None if record[key] is None else str(record[key])
            table = self.pa.Table.from_pylist(records, schema=self.schema)
            target = self.parts_dir / f"part-{self.parts:06d}.parquet"
            temporary = target.with_suffix(".tmp")
            self.pq.write_table(table, temporary)
            _fsync_path(temporary)
            os.replace(temporary, target)
            _fsync_path(self.parts_dir)
            self.parts += 1
            self._pending = []
        return self.parts

    def finish(self) -> None:
        self.commit()
        temporary = self.path.with_name(self.path.name + ".tmp")
        with self.pq.ParquetWriter(temporary, self.schema) as out:
            for index in range(self.parts):
                out.write_table(self.pq.read_table(self.parts_dir / f"part-{index:06d}.parquet", schema=self.schema))
        _fsync_path(temporary)
        os.replace(temporary, self.path)


def parts_dir(output: Path) -> Path:
    return output.with_name(output.name + ".parts")


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ----------------------------------------------------------------------------------------------------------------
# Checkpoint


def checkpoint_path(output: Path) -> Path:
    return output.with_name(output.name + ".progress.json")


def input_identity(path: Path) -> dict[str, Any]:
    stat = path.stat()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        digest.update(handle.read(HEAD_BYTES))
    return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "head_sha256": digest.hexdigest()}


def _save_checkpoint(path: Path, state: dict[str, Any]) -> None:
    state["updated"] = time.time()
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(state, handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _load_checkpoint(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BatchError(f"{path}: unreadable checkpoint ({exc}); rerun with --restart") from exc
    if state.get("version") != CHECKPOINT_VERSION:
        raise BatchError(f"{path}: checkpoint version {state.get('version')}; rerun with --restart")
    return state


def _discard(options: BatchOptions) -> None:
    for path in (options.output, checkpoint_path(options.output)):
        path.unlink(missing_ok=True)
    shutil.rmtree(parts_dir(options.output), ignore_errors=True)


# ----------------------------------------------------------------------------------------------------------------
# Engines


class Engine(Protocol):
    def map(self, batches: Iterator[list[InRow]]) -> Iterator[list[OutRow]]:
        """Score every batch; yield the results in input order."""
        ...

    def close(self) -> None: ...


class InlineEngine:
    """Scores in this process."""

    def __init__(self, plan: Plan) -> None:
        self.worker = BatchWorker(plan)

    def map(self, batches: Iterator[list[InRow]]) -> Iterator[list[OutRow]]:
        for batch in batches:
            yield self.worker.score(batch)

    def close(self) -> None:
        pass


_PROCESS_WORKER: BatchWorker | None = None


def _init_process(plan: Plan, threads: int) -> None:
    global _PROCESS_WORKER
    _PROCESS_WORKER = BatchWorker(plan, threads=threads)


def _score_in_process(rows: list[InRow]) -> list[OutRow]:
    assert _PROCESS_WORKER is not None
    return _PROCESS_WORKER.score(rows)


class ProcessEngine:
    """Scores in ``workers`` local processes (spawned, each loading the models once); keeps a bounded window of
    batches in flight and yields them in order."""

    def __init__(self, plan: Plan, workers: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        self.pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_process,
            initargs=(plan, (os.cpu_count() or 1) // workers),  # the cores shared out, so threads do not oversubscribe
        )

    def map(self, batches: Iterator[list[InRow]]) -> Iterator[list[OutRow]]:
        window: deque[Any] = deque()
        for batch in batches:
            window.append(self.pool.submit(_score_in_process, batch))
            if len(window) >= 3 * self.workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def make_engine(plan: Plan, engine: str, workers: int, ray_address: str | None, batch_size: int) -> Engine:
    if engine == "local":
        return InlineEngine(plan) if workers <= 1 else ProcessEngine(plan, workers)
    if engine == "ray":
        from civility.services.batch_ray import RayEngine

        return RayEngine(plan, address=ray_address, workers=workers if workers > 0 else None, batch_size=batch_size)
    raise BatchError(f"unknown engine {engine!r}; use local or ray")


# ----------------------------------------------------------------------------------------------------------------
# The run


def run_batch(
    options: BatchOptions,
    engine: str = "local",
    workers: int = 1,
    ray_address: str | None = None,
    progress: Progress | None = None,
    on_start: Callable[[int, int, Plan], None] | None = None,
) -> BatchSummary:
    """Score ``options.input`` into ``options.output``, resuming from the checkpoint when there is one."""
    started = time.monotonic()
    if not options.input.is_file():
        raise BatchError(f"{options.input}: no such file")
    if options.batch_size < 1 or options.checkpoint_rows < 1:
        raise BatchError("--batch-size and --checkpoint-every must be at least 1")
    in_fmt = resolve_format(options.input, options.input_format)
    out_fmt = output_format(options)
    if options.output.resolve() == options.input.resolve():
        raise BatchError("OUTPUT must differ from INPUT")
    columns = columns_of(options.input, in_fmt)
    if columns is not None and options.text_column not in columns:
        raise BatchError(f"{options.input}: no column {options.text_column!r}; columns: {', '.join(map(str, columns))}")

    ckpt = checkpoint_path(options.output)
    if options.restart:
        _discard(options)
    state = _load_checkpoint(ckpt)
    identity = input_identity(options.input)
    if state is None:
        if options.output.exists() or parts_dir(options.output).exists():
            raise BatchError(f"{options.output} exists and has no checkpoint; rerun with --restart to overwrite it")
        plan = make_plan(options)
        state = {
            "version": CHECKPOINT_VERSION,
            "input": identity,
            "options": options.fingerprint(),
            "plan": plan.labels(),
            "total_rows": count_rows(options.input, in_fmt),
            "rows_done": 0,
            "position": 0,
            "errors": 0,
            "complete": False,
            "started": time.time(),
        }
        options.output.parent.mkdir(parents=True, exist_ok=True)
        _save_checkpoint(ckpt, state)
    else:
        if state["input"] != identity:
            raise BatchError(f"{options.input} changed since {ckpt} was written; rerun with --restart")
        if state["options"] != options.fingerprint():
            changed = sorted(k for k, v in options.fingerprint().items() if state["options"].get(k) != v)
            raise BatchError(f"options differ from the checkpointed run ({', '.join(changed)}); rerun with --restart")
        plan = make_plan(options, pinned=state["plan"])

    total, resumed_from = int(state["total_rows"]), int(state["rows_done"])
    if state["complete"]:
        return BatchSummary(options.output, total, total, resumed_from, 0, state["errors"], 0.0, state["plan"], True)
    if on_start is not None:
        on_start(resumed_from, total, plan)

    out_columns = output_columns(plan, options.id_column)
    writer: Writer
    if out_fmt == "parquet":
        writer = _ParquetWriter(options.output, out_columns, plan.attributes, int(state["position"]))
    else:
        writer = _StreamWriter(options.output, out_fmt, out_columns, int(state["position"]))

    done, errors, since_commit = resumed_from, int(state["errors"]), 0
    runner = make_engine(plan, engine, workers, ray_address, options.batch_size) if done < total else None
    scoring_started = time.monotonic()  # after the models are loaded (workers load theirs as they start)
    try:
        if runner is not None:
            rows = read_rows(options.input, in_fmt, options.text_column, options.id_column, skip=done)
            for results in runner.map(batched(rows, options.batch_size)):
                writer.write(results)
                done += len(results)
                since_commit += len(results)
                errors += sum(1 for r in results if r.error is not None)
                if since_commit >= options.checkpoint_rows:
                    state.update(rows_done=done, position=writer.commit(), errors=errors)
                    _save_checkpoint(ckpt, state)
                    since_commit = 0
                if progress is not None:
                    progress(done, total)
        state.update(rows_done=done, position=writer.commit(), errors=errors)
        _save_checkpoint(ckpt, state)
        writer.finish()
    finally:
        if runner is not None:
            runner.close()
    state.update(complete=True, total_rows=done, seconds=time.monotonic() - started)
    _save_checkpoint(ckpt, state)
    if out_fmt == "parquet":
        shutil.rmtree(parts_dir(options.output), ignore_errors=True)
    return BatchSummary(
        options.output, done, done, resumed_from, done - resumed_from, errors, time.monotonic() - scoring_started,
        state["plan"],
    )  # fmt: skip


def read_output(path: Path, fmt: str | None = None) -> list[dict[str, Any]]:
    """An output file as records (CSV cells stay strings): for tests, the bench and quick looks."""
    fmt = fmt or resolve_format(path, "auto")
    if fmt == "parquet":
        return _require_pyarrow().read_table(path).to_pylist()
    if fmt == "jsonl":
        with path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


__all__ = [
    "BatchError",
    "BatchOptions",
    "BatchSummary",
    "BatchWorker",
    "InRow",
    "OutRow",
    "Plan",
    "make_plan",
    "read_output",
    "read_rows",
    "run_batch",
]
