"""The transformer scorer: a fine-tuned MiniLM-L6 exported to ONNX (int8), served with onnxruntime and the model's
own ``tokenizer.json`` (Hugging Face ``tokenizers``). No torch on this path.

``predict_proba`` normalises each text exactly as training did (``civility.text.normalize.normalize``), tokenises
with truncation and no padding (or, when the manifest sets a ``token_window``, keeps a long text's first and last
tokens: :class:`TokenWindow`), sorts by length and pads each batch (≤ ``batch_size`` rows) only to its longest row,
runs the network, and maps every attribute's logit through its calibration (``calibration.json``):

1. ``dev``: Platt scaling fitted on the dev split, ``p = sigmoid(slope * logit + offset)``;
2. ``perspective`` (optional per attribute): a monotone map from the dev probability onto Perspective's own score
   scale, fitted on Perspective's scores of Wikipedia comments; the manifest's calibration file says per attribute
   which of the two is served (``served``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from civility.scoring.artifact import MANIFEST, ArtifactError, read_info
from civility.scoring.types import ModelInfo
from civility.text.normalize import normalize

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
CALIBRATION_FILE = "calibration.json"
THREADS_ENV = "CIVILITY_ONNX_THREADS"
BATCH_ENV = "CIVILITY_ONNX_BATCH"
WORKERS_ENV = "CIVILITY_ONNX_WORKERS"


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -60.0, 60.0)))


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1.0 - 1e-6)
    return np.log(p / (1.0 - p))


@dataclass(frozen=True)
class AttributeCalibration:
    """Platt map from the raw logit, then (when ``served == "perspective"``) the map onto Perspective's scale.

    ``perspective`` is either ``{"type": "logistic", "a": …, "b": …}`` (score = sigmoid(a·logit(p) + b)) or
    ``{"type": "isotonic", "x": [...], "y": [...]}`` (piecewise-linear, non-decreasing, clipped at the ends).
    """

    slope: float
    offset: float
    served: str = "dev"
    perspective: Mapping[str, object] | None = None

    def dev_probability(self, logits: np.ndarray) -> np.ndarray:
        return _sigmoid(self.slope * logits + self.offset)

    def to_perspective(self, probabilities: np.ndarray) -> np.ndarray:
        spec = self.perspective
        if spec is None:
            return probabilities
        if spec["type"] == "logistic":
            return _sigmoid(float(spec["a"]) * _logit(probabilities) + float(spec["b"]))  # type: ignore[arg-type]
        if spec["type"] == "isotonic":
            return np.interp(probabilities, np.asarray(spec["x"], float), np.asarray(spec["y"], float))  # type: ignore[arg-type]
        raise ValueError(f"unknown perspective map {spec['type']!r}")

    def apply(self, logits: np.ndarray) -> np.ndarray:
        probabilities = self.dev_probability(logits)
        if self.served == "perspective":
            probabilities = self.to_perspective(probabilities)
        return probabilities

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> AttributeCalibration:
        served = str(data.get("served", "dev"))
        perspective = data.get("perspective")
        if served not in ("dev", "perspective") or (served == "perspective" and not perspective):
            raise ValueError(f"bad served calibration {served!r}")
        return cls(float(data["slope"]), float(data["offset"]), served, perspective)  # type: ignore[arg-type]


@dataclass(frozen=True)
class TokenWindow:
    """The tokens of a long text the model reads: its first ``head`` and its last ``tail`` (``[CLS]`` and ``[SEP]``
    included), from the manifest's ``"token_window": {"head": …, "tail": …}``.

    Compute grows with the tokens read, and a few long comments hold most of the tokens a cascade hands to its
    transformer. A window of 128 tokens, half from each end, scored the held-out sets as well as reading the first 256
    did, and long comments better than the first 128 alone (docs/training-gpu.md, "Reading window"). A text that fits
    is read whole, exactly as without a window. The window is never wider than the tokenizer's own truncation length,
    the longest input the model was built to read."""

    head: int
    tail: int

    def __post_init__(self) -> None:
        if self.head < 1 or self.tail < 1:
            raise ValueError("a token window keeps at least one token from each end ([CLS] and [SEP])")

    @property
    def size(self) -> int:
        return self.head + self.tail

    def cut(self, ids: Sequence[int]) -> list[int]:
        ids = list(ids)
        return ids if len(ids) <= self.size else ids[: self.head] + ids[len(ids) - self.tail :]

    @classmethod
    def from_manifest(cls, manifest: Mapping[str, object]) -> TokenWindow | None:
        spec = manifest.get("token_window")
        if spec is None:
            return None
        if not isinstance(spec, Mapping):
            raise ValueError(f"token_window must be {{'head': …, 'tail': …}}, not {spec!r}")
        return cls(int(spec["head"]), int(spec["tail"]))  # type: ignore[call-overload]


def default_threads() -> int:
    value = os.environ.get(THREADS_ENV)
    if value:
        return max(1, int(value))
    return max(1, min(2, os.cpu_count() or 1))


class OnnxScorer:
    """MiniLM-L6 multi-task classifier (ONNX) with per-attribute calibration."""

    def __init__(
        self,
        info: ModelInfo,
        session: object,
        tokenizer: object,
        calibration: Sequence[AttributeCalibration],
        batch_size: int = 32,
        workers: int = 1,
        window: TokenWindow | None = None,
    ) -> None:
        if len(calibration) != len(info.attributes):
            raise ValueError("calibration does not match the attributes")
        self.info = info
        self._session = session
        self._tokenizer = tokenizer
        self._calibration = tuple(calibration)
        self.batch_size = max(1, min(32, batch_size))
        inputs = {i.name for i in session.get_inputs()}  # type: ignore[attr-defined]
        if not {"input_ids", "attention_mask"} <= inputs:
            raise ValueError(f"unexpected model inputs {sorted(inputs)}")
        self._output = session.get_outputs()[0].name  # type: ignore[attr-defined]
        self.window = window
        if window is not None:  # the whole text is tokenised (its size is bounded upstream), then cut to the window
            longest = int(tokenizer.truncation["max_length"])  # type: ignore[attr-defined]
            if window.size > longest:
                raise ValueError(f"a token window of {window.size} is wider than the {longest} tokens the model reads")
            tokenizer.no_truncation()  # type: ignore[attr-defined]
        # Batches of one call are independent, so several may run at once (onnxruntime's Run is thread-safe and
        # releases the GIL); the pool lives as long as the scorer.
        self.workers = max(1, workers)
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="onnx") if self.workers > 1 else None

    @classmethod
    def load(
        cls, folder: Path, threads: int | None = None, batch_size: int | None = None, workers: int | None = None
    ) -> OnnxScorer:
        """``batch_size`` (default ``$CIVILITY_ONNX_BATCH`` or 1): the int8 model quantises activations per batch
        (dynamic quantisation), so with batches a text's score moves with its batch mates. The default of 1 keeps
        every score independent of what else is scored (same text, same score) at about half the batched
        throughput; bulk backfills that prefer speed may set a larger batch. Static int8 (activation ranges fixed at
        export from training texts) was measured on minilm-en@6 as the way out: batch-independent to the bit and
        ~2.8× faster batched than one text per call, but far less faithful to fp32 (p99 |Δprob| 0.21–0.34 per
        attribute on 3,000 dev texts, against 0.07–0.10 for dynamic int8), so it is not used.

        ``workers`` (default ``$CIVILITY_ONNX_WORKERS``, else one per thread): batches run on this many threads at
        once, each with ``threads / workers`` of onnxruntime's own threads. One text per call keeps a matrix too small
        for two cores to share well, so a list of texts goes faster as two one-thread streams (3,000 news comments,
        three paired repeats: cascade-en@11 +5% to +31%, two streams faster in every pair; docs/benchmarks.md). A
        single text then gets one core: minilm-en@8's p50 rose from about 2.8 to 4.6 ms in the bench, far inside the
        15 ms goal; ``CIVILITY_ONNX_WORKERS=1`` gives it both."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        info = read_info(folder)
        try:
            spec = json.loads((folder / CALIBRATION_FILE).read_text(encoding="utf-8"))
            calibration = [AttributeCalibration.from_json(spec["attributes"][a]) for a in info.attributes]
        except (OSError, KeyError, ValueError) as exc:
            raise ArtifactError(f"{folder}: bad {CALIBRATION_FILE}: {exc}") from exc
        try:
            window = TokenWindow.from_manifest(json.loads((folder / MANIFEST).read_text(encoding="utf-8")))
        except (KeyError, TypeError, ValueError) as exc:
            raise ArtifactError(f"{folder}: bad token_window: {exc}") from exc
        threads = threads or default_threads()
        if workers is None:
            workers = int(os.environ.get(WORKERS_ENV, "0") or 0) or threads
        workers = max(1, min(workers, threads))
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads // workers)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        session = ort.InferenceSession(str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        if tokenizer.padding is not None or tokenizer.truncation is None:
            raise ArtifactError(f"{folder}: {TOKENIZER_FILE} must truncate and must not pad")
        if batch_size is None:
            batch_size = int(os.environ.get(BATCH_ENV, "1") or 1)
        try:
            return cls(info, session, tokenizer, calibration, batch_size=batch_size, workers=workers, window=window)
        except ValueError as exc:
            raise ArtifactError(f"{folder}: {exc}") from exc

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Raw (uncalibrated) logits, shape ``(len(texts), len(attributes))``."""
        out = np.zeros((len(texts), len(self.info.attributes)), dtype=np.float32)
        if not texts:
            return out
        rules = self.info.normalizer_rules
        encoded = [e.ids for e in self._tokenizer.encode_batch([normalize(text, rules) for text in texts])]  # type: ignore[attr-defined]
        if self.window is not None:
            encoded = [self.window.cut(ids) for ids in encoded]
        order = np.argsort([len(ids) for ids in encoded], kind="stable")
        chunks = [order[start : start + self.batch_size] for start in range(0, len(order), self.batch_size)]

        def run(index: np.ndarray) -> np.ndarray:
            width = max(len(encoded[i]) for i in index)
            ids = np.zeros((len(index), width), dtype=np.int64)
            mask = np.zeros((len(index), width), dtype=np.int64)
            for row, i in enumerate(index):
                ids[row, : len(encoded[i])] = encoded[i]
                mask[row, : len(encoded[i])] = 1
            return self._session.run([self._output], {"input_ids": ids, "attention_mask": mask})[0]  # type: ignore[attr-defined]

        def run_all(share: Sequence[np.ndarray]) -> None:
            for index in share:
                out[index] = run(index)

        if self._pool is None or len(chunks) < 2:
            run_all(chunks)
        else:
            # Interleaved shares: the chunks are sorted by length, so each worker gets short and long ones alike.
            shares = [chunks[k :: self.workers] for k in range(self.workers)]
            for future in [self._pool.submit(run_all, share) for share in shares]:
                future.result()
        return out

    def dev_probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities of each attribute's label (the Platt map fitted on dev), before any map onto Perspective's
        scale: what a student model is trained towards (``civility.training.distil``)."""
        return self._calibrated(texts, AttributeCalibration.dev_probability)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self._calibrated(texts, AttributeCalibration.apply)

    def _calibrated(
        self, texts: Sequence[str], mapping: Callable[[AttributeCalibration, np.ndarray], np.ndarray]
    ) -> np.ndarray:
        logits = self.logits(list(texts))
        probabilities = np.empty(logits.shape, dtype=np.float64)
        for column, calibration in enumerate(self._calibration):
            probabilities[:, column] = mapping(calibration, logits[:, column].astype(np.float64))
        return probabilities
