"""A scorer that reads its weights on first use.

Every artifact is listed (and its checksums verified) at start-up, so ``ATTR@N`` pins and the discovery document
know about it, but only the models that answer unpinned requests in the languages a site expects need to sit in
memory from the first second. An older version reached only through a pin, or a language this deployment rarely
sees, costs its megabytes only once somebody asks for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from civility.scoring.artifact import load_scorer, read_info, verify_checksums
from civility.scoring.base import Scorer


class LazyScorer:
    """Stands in for the scorer in ``folder``; the first ``predict_proba`` (from any thread) loads it once."""

    def __init__(self, folder: Path, loader: Callable[[Path], Scorer] | None = None, verify: bool = True) -> None:
        if verify:
            verify_checksums(folder)  # a damaged artifact fails start-up, not its first request
        self.folder = folder
        self.info = read_info(folder)
        self._loader = loader or (lambda path: load_scorer(path, verify=False))
        self._scorer: Scorer | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._scorer is not None

    def load(self) -> Scorer:
        scorer = self._scorer
        if scorer is None:
            with self._lock:
                if self._scorer is None:
                    self._scorer = self._loader(self.folder)
                scorer = self._scorer
        return scorer

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.load().predict_proba(texts)
