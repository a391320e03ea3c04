"""The contract every scorer keeps, so that the registry, the API and evaluation treat them alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from civility.scoring.types import ModelInfo


@runtime_checkable
class Scorer(Protocol):
    """A loaded model. ``predict_proba`` normalises the raw texts itself, exactly as in training."""

    info: ModelInfo

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities of shape ``(len(texts), len(info.attributes))``, columns in ``info.attributes`` order."""
        ...
