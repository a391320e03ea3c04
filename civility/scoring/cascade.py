"""A cascade: the fast linear model answers where it is sure a comment is clean, the transformer everywhere else.

Most comments under a news article are unremarkable. When every attribute the cascade covers scores below its
``low`` on the fast model, that answer stands; any other comment goes to the accurate model. ``low`` is one number
for every attribute or one per attribute (the fast model's scales differ: its TOXICITY sits far higher on clean
comments than its THREAT). The operating point is chosen from a measured quality-versus-throughput curve and
recorded in the cascade's config and card.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from civility.scoring.base import Scorer
from civility.scoring.types import ModelInfo

CONFIG = "cascade.json"


@dataclass(frozen=True)
class CascadeConfig:
    fast: str  # artifact folder name, e.g. "linear-en-1"
    accurate: str  # e.g. "minilm-en-2"
    low: float | Mapping[str, float]  # fast-model score under which a comment counts as surely clean


class CascadeScorer:
    """Keeps the Scorer contract over the attributes both models share."""

    def __init__(self, info: ModelInfo, fast: Scorer, accurate: Scorer, low: float | Mapping[str, float]) -> None:
        missing = set(info.attributes) - set(fast.info.attributes) - set(accurate.info.attributes)
        if missing or not set(info.attributes) <= set(fast.info.attributes) & set(accurate.info.attributes):
            raise ValueError(f"cascade attributes must be served by both models: {sorted(info.attributes)}")
        self.info = info
        self.fast = fast
        self.accurate = accurate
        if isinstance(low, Mapping):
            if set(low) != set(info.attributes):
                raise ValueError(f"cascade thresholds must name exactly the attributes {sorted(info.attributes)}")
            self.lows = np.array([float(low[a]) for a in info.attributes])
        else:
            self.lows = np.full(len(info.attributes), float(low))
        self._fast_columns = [fast.info.attributes.index(a) for a in info.attributes]
        self._accurate_columns = [accurate.info.attributes.index(a) for a in info.attributes]
        self.last_escalated = 0

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        quick = self.fast.predict_proba(texts)[:, self._fast_columns]
        unsure = np.flatnonzero((quick >= self.lows).any(axis=1))
        self.last_escalated = int(unsure.size)
        if unsure.size:
            careful = self.accurate.predict_proba([texts[i] for i in unsure])
            quick[unsure] = careful[:, self._accurate_columns]
        return quick

    @classmethod
    def load(cls, folder: Path, info: ModelInfo, resolve: Callable[[str], Scorer]) -> CascadeScorer:
        config = CascadeConfig(**json.loads((folder / CONFIG).read_text(encoding="utf-8")))
        return cls(info, resolve(config.fast), resolve(config.accurate), config.low)
