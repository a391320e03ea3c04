"""A cascade: the fast linear model answers where it is sure a comment is clean, the transformer everywhere else.

Most comments under a news article are unremarkable. When every attribute the cascade covers scores below its
``low`` on the fast model, that answer stands; any other comment goes to the accurate model. ``low`` is one number
for every attribute or one per attribute (the fast model's scales differ: its TOXICITY sits far higher on clean
comments than its THREAT). The operating point is chosen from a measured quality-versus-throughput curve and
recorded in the cascade's config and card.

The two models do not share a scale: the transformer serves TOXICITY on Perspective's scale, where a harmless
comment sits near 0.1, the linear model its own dev probability, near 0.01. ``fast_map`` (one monotone,
piecewise-linear map per attribute, fitted when the cascade is built) puts the fast model's answers on the accurate
model's scale, so a score means the same whichever model gave it: a client's threshold or a queue sorted by score
does not depend on which model happened to answer.

``escalate_terms`` (a term list in the cascade's folder, see :mod:`civility.scoring.terms`) holds a comment that
mentions one of its terms to a stricter threshold, ``terms_low`` (0: every such comment goes to the accurate model).
The fast model is least trustworthy on comments about social groups, so it must be surer before its answer stands
there. The list is part of the versioned artifact, so a cascade's answers do not change when the package's list does.

``tail_words``: the fast model's bag of n-grams dilutes a short reply behind a long quote, so a reader can hide abuse
after a quoted paragraph (docs/padding.md). For a comment of more than twice ``tail_words`` words, the fast model
also reads its last ``tail_words`` words as a comment of their own, and its answer stands only if it is sure of both
(the same thresholds; the term rule reads the whole comment). What it serves is still its score of the whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from civility.scoring.artifact import ArtifactError
from civility.scoring.base import Scorer
from civility.scoring.terms import TermMatcher
from civility.scoring.types import ModelInfo

CONFIG = "cascade.json"


@dataclass(frozen=True)
class CascadeConfig:
    fast: str  # artifact folder name, e.g. "linear-en-1"
    accurate: str  # e.g. "minilm-en-2"
    low: float | Mapping[str, float]  # fast-model score under which a comment counts as surely clean
    # Per attribute, knots {"x": fast scores, "y": accurate-model scores} of a non-decreasing map (np.interp).
    fast_map: Mapping[str, Mapping[str, Sequence[float]]] | None = None
    # File name, in the cascade's folder, of the terms whose mention sends a comment to the accurate model.
    escalate_terms: str | None = None
    terms_low: float = 0.0  # the one threshold, every attribute, for comments that mention a listed term
    tail_words: int = 0  # a long comment's last words, read on their own as well (0: off)


def comment_tail(text: str, words: int) -> str | None:
    """The last ``words`` words of a comment of more than twice as many, else None (``words`` 0: None)."""
    if words <= 0 or len(text) <= 4 * words:  # 2 * words + 1 words, one letter and a space each, need 4 * words + 1
        return None
    split = text.split()
    return " ".join(split[-words:]) if len(split) > 2 * words else None


def routing_scores(
    fast: Scorer, texts: Sequence[str], columns: Sequence[int], tail_words: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """The fast model's scores of each whole comment (``columns``), and the scores the cascade routes on: the higher
    of the whole's and its tail's (:func:`comment_tail`), in one call of the fast model. Without tails (the served
    default) both are the same array, and nothing is split or copied."""
    if tail_words <= 0:
        whole = fast.predict_proba(texts)[:, list(columns)]
        return whole, whole
    tails = [(i, tail) for i, text in enumerate(texts) if (tail := comment_tail(text, tail_words)) is not None]
    scores = fast.predict_proba([*texts, *(tail for _, tail in tails)])[:, list(columns)]
    whole = scores[: len(texts)]
    route = whole.copy()
    if tails:
        rows = [i for i, _ in tails]
        route[rows] = np.maximum(whole[rows], scores[len(texts) :])
    return whole, route


@dataclass(frozen=True)
class Routing:
    """One call's routing: the fast model's scores (on the accurate model's scale where a map is set), and the rows
    of the comments it is not sure of. Returned, not kept on the scorer, which many requests share."""

    quick: np.ndarray
    unsure: np.ndarray


class CascadeScorer:
    """Keeps the Scorer contract over the attributes both models share."""

    def __init__(
        self,
        info: ModelInfo,
        fast: Scorer,
        accurate: Scorer,
        low: float | Mapping[str, float],
        fast_map: Mapping[str, Mapping[str, Sequence[float]]] | None = None,
        escalate: TermMatcher | None = None,
        terms_low: float = 0.0,
        tail_words: int = 0,
    ) -> None:
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
        self._maps: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(info.attributes)
        for attribute, knots in (fast_map or {}).items():
            if attribute not in info.attributes:
                raise ValueError(f"fast_map names {attribute!r}, which the cascade does not serve")
            x, y = np.asarray(knots["x"], dtype=float), np.asarray(knots["y"], dtype=float)
            if x.size == 0 or x.shape != y.shape or np.any(np.diff(x) <= 0) or np.any(np.diff(y) < 0):
                raise ValueError(f"fast_map for {attribute} must be non-decreasing knots with increasing x")
            self._maps[info.attributes.index(attribute)] = (x, y)
        self._fast_columns = [fast.info.attributes.index(a) for a in info.attributes]
        self._accurate_columns = [accurate.info.attributes.index(a) for a in info.attributes]
        if not 0 <= terms_low <= float(self.lows.min()):
            raise ValueError("terms_low is a threshold from 0 up to the cascade's lowest threshold")
        self.escalate = escalate
        self.terms_low = float(terms_low)
        if tail_words < 0:
            raise ValueError("tail_words is a number of words, 0 for none")
        self.tail_words = int(tail_words)

    def route(self, texts: Sequence[str]) -> Routing:
        """The fast model's answers and the comments it leaves to the accurate model, without calling that model."""
        quick, routed_on = routing_scores(self.fast, texts, self._fast_columns, self.tail_words)
        unsure_mask = (routed_on >= self.lows).any(axis=1)
        if self.escalate is not None:  # only comments the fast model would answer, at or above terms_low, are read
            checked = np.flatnonzero(~unsure_mask & (quick >= self.terms_low).any(axis=1))
            unsure_mask[checked] = self.escalate.mentions([texts[i] for i in checked])
        for column, knots in enumerate(self._maps):
            if knots is not None:
                quick[:, column] = np.interp(quick[:, column], *knots)
        return Routing(quick, np.flatnonzero(unsure_mask))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        routing = self.route(texts)
        quick, unsure = routing.quick, routing.unsure
        if unsure.size:
            careful = self.accurate.predict_proba([texts[i] for i in unsure])
            quick[unsure] = careful[:, self._accurate_columns]
        return quick

    @classmethod
    def load(cls, folder: Path, info: ModelInfo, resolve: Callable[[str], Scorer]) -> CascadeScorer:
        config = CascadeConfig(**json.loads((folder / CONFIG).read_text(encoding="utf-8")))
        escalate = None
        if config.escalate_terms is not None:
            path = folder / config.escalate_terms
            if path.parent != folder or not path.is_file():
                raise ArtifactError(f"{folder.name}: its term list {config.escalate_terms!r} is not a file in its folder")
            escalate = TermMatcher.from_file(path)
        return cls(
            info, resolve(config.fast), resolve(config.accurate), config.low, config.fast_map, escalate, config.terms_low,
            config.tail_words,
        )
