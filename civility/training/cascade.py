"""Build the cascade artifact: measure quality against throughput for candidate operating points and pick one.

Two families of operating points are measured: one threshold for every attribute (``GRID``), and one threshold per
attribute set where the fast model alone would let a given share of that attribute's dev positives through
(``MISS_GRID``; the fast model's scales differ by attribute, so one number escalates most clean comments on
TOXICITY alone). The point is chosen on dev rows only: of the points whose mean ROC-AUC over the attributes stays
within ``max_auc_drop`` of the transformer alone, the one sending the fewest dev comments to the transformer. The
same curve on test rows is reported, never used for the choice. Escalation on a realistic mix (the Wikipedia toxicity test set, about one
comment in six toxic) turns per-model speeds into the cascade's expected comments per second.

What the dev rule cannot see is measured beside it, for every uniform threshold in ``SERVED_LEVELS``: the identity
bias on the Jigsaw templates and the contrast suite, scored as the cascade serves them, with the share of the realistic
mix escalated and the comments per second that implies. The rule's point is fixed for a two-core machine and its
1,000 comments/s goal; a site with more cores can read off what more escalation buys, and ``level`` builds a cascade
at a threshold chosen that way (reported as chosen by hand, never as the rule's choice).

The fast model's answers are put on the accurate model's scale (``fast_map``: per attribute, isotonic regression of
the accurate model's served score on the fast model's, fitted on the dev sample), and the curves are measured with
that map applied, as it is served. How far the fast answers sit from the transformer's, with and without the map,
is reported on test rows.

With ``escalate_terms`` (a term list, :mod:`civility.scoring.terms`) a comment that mentions a term goes to the
accurate model unless the fast model scores it below ``terms_low`` (a stricter threshold), at every operating point:
in the curves, the realistic mix's escalation and the served measurements alike; the list is copied into the artifact.
The labelled dev rows cannot choose ``terms_low``: what routing buys is identity bias, which only the templates show.
So the choice uses the templates, held out by halves (:func:`choose_terms_low`): the identities are split at random
with a fixed seed, one half chooses the level (the highest, so the fastest, that leaves no more of its identities
below 0.95 than the accurate model alone leaves), and the other half reports what the choice gives.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from civility.evaluation.contrast import evaluate as evaluate_contrast
from civility.evaluation.contrast import load_suite, scorer_fn_from
from civility.evaluation.metrics import roc_auc
from civility.evaluation.run import bias_templates, evaluate_bias, worst_bias_auc
from civility.scoring.artifact import load_scorer, read_info, status_line, write_checksums
from civility.scoring.base import Scorer
from civility.scoring.cascade import CascadeScorer, routing_scores
from civility.scoring.terms import TermMatcher
from civility.scoring.types import PRODUCTION_ATTRIBUTES, ModelInfo
from civility.training.calibrate import fit_isotonic_map
from civility.training.data import Record, load_records

GRID = (0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.5)
# Per-attribute family: each attribute's threshold is the fast model's score below which this share of that
# attribute's dev positives fall (the positives the fast model alone would pass as clean, attribute by attribute).
MISS_GRID = (0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15)


MIN_POSITIVES = 50  # attributes with fewer positives in the sample give ROC-AUCs too noisy to choose by
# Uniform thresholds whose quality as served (identity bias, contrast suite) is measured at build time: reported only.
SERVED_LEVELS = (0.1, 0.15, 0.2, 0.3, 0.5)
TERMS_FILE = "escalate_terms.txt"  # the term list's name inside a cascade's folder
TERMS_LEVELS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)  # candidate thresholds for comments that mention a listed term
TERMS_SPLIT_SEED = 2026  # fixed before any routed cascade was measured
BIAS_FLOOR = 0.95


class Remembered:
    """A scorer that scores each distinct text once. The served curve mixes the same fast and accurate answers at
    every threshold; remembering them costs one pass of each model instead of one per threshold."""

    def __init__(self, scorer: Scorer) -> None:
        self.info = scorer.info
        self._scorer = scorer
        self._rows: dict[str, np.ndarray] = {}

    @property
    def scored(self) -> int:
        """How many distinct texts the wrapped model has scored."""
        return len(self._rows)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        new = [text for text in dict.fromkeys(texts) if text not in self._rows]
        if new:
            self._rows.update(zip(new, np.asarray(self._scorer.predict_proba(new), dtype=float)))
        if not texts:
            return np.zeros((0, len(self.info.attributes)))
        return np.vstack([self._rows[text] for text in texts])


def served_curve(
    cascade_info: ModelInfo,
    fast: Scorer,
    accurate: Scorer,
    fast_map: dict[str, dict[str, list[float]]] | None,
    data_dir: Path,
    realistic_fast: np.ndarray,
    seconds_per_text: tuple[float, float],
    levels: Sequence[float] = SERVED_LEVELS,
    escalate: TermMatcher | None = None,
    terms_low: float = 0.0,
    realistic_named: np.ndarray | None = None,
    tail_words: int = 0,
    realistic_route: np.ndarray | None = None,
) -> list[dict[str, Any]]:
    """Per uniform threshold: the share of the realistic mix escalated (``realistic_fast``: the fast model's scores
    on it, cascade columns; ``realistic_named``: its rows that mention one of ``escalate``'s terms, held to
    ``terms_low`` or the threshold if lower; ``realistic_route``: the scores it routes on, with ``tail_words``), the
    comments/s that implies (``seconds_per_text``: fast, accurate), the identity bias as served (:func:`bias_summary`)
    and the contrast suite's accuracy at 0.5, overall and per category."""
    fast, accurate = Remembered(fast), Remembered(accurate)
    cases = load_suite()
    t_fast, t_accurate = seconds_per_text
    out = []
    for level in sorted(set(levels)):  # lowest first: the accurate model meets most of its texts at once
        named_low = min(terms_low, level)
        cascade = CascadeScorer(cascade_info, fast, accurate, level, fast_map, escalate, named_low, tail_words)
        route = realistic_fast if realistic_route is None else realistic_route
        unsure = (route >= level).any(axis=1)
        if realistic_named is not None:
            unsure = unsure | (realistic_named & (realistic_fast >= named_low).any(axis=1))
        escalated = float(unsure.mean()) if realistic_fast.size else 0.0
        report = evaluate_contrast(scorer_fn_from(cascade), cases)
        out.append({
            "level": level,
            "escalated_on_realistic_mix": escalated,
            "cascade_per_s": 1 / (t_fast + escalated * t_accurate),
            "bias": bias_summary(evaluate_bias(cascade, data_dir)),
            "contrast": report.overall.accuracy,
            "contrast_by_category": {group.name: group.accuracy for group in report.categories},
        })
    return out


def identity_halves(identities: Sequence[str], seed: int = TERMS_SPLIT_SEED) -> tuple[list[str], list[str]]:
    """The template identities split at random: the first half chooses ``terms_low``, the second reports on it."""
    shuffled = sorted(identities)
    random.Random(seed).shuffle(shuffled)
    return sorted(shuffled[: len(shuffled) // 2]), sorted(shuffled[len(shuffled) // 2:])


def _worst_by_identity(bias: dict[str, Any]) -> dict[str, float | None]:
    return {row["subgroup"]: worst_bias_auc(row) for row in bias.get("per_identity", [])}


def _below(worst: dict[str, float | None], names: Sequence[str], floor: float = BIAS_FLOOR) -> list[str]:
    return [name for name in names if (value := worst.get(name)) is not None and value < floor]


def terms_curve(
    cascade_info: ModelInfo,
    fast: Scorer,
    accurate: Scorer,
    fast_map: dict[str, dict[str, list[float]]] | None,
    data_dir: Path,
    low: float | dict[str, float],
    matcher: TermMatcher,
    mixes: dict[str, tuple[np.ndarray, np.ndarray]],
    seconds_per_text: tuple[float, float],
    levels: Sequence[float] = TERMS_LEVELS,
    tail_words: int = 0,
    routes: dict[str, np.ndarray] | None = None,
) -> list[dict[str, Any]]:
    """Per ``terms_low`` (those not above the cascade's lowest threshold): the share of each mix escalated (``mixes``:
    name -> the fast model's scores on it, cascade columns, and which rows mention a term; ``routes``: per mix, the
    scores it routes on, with ``tail_words``), the comments/s that implies on the first mix, the identity bias as
    served, its worst AUC per identity, and the contrast suite."""
    fast, accurate = Remembered(fast), Remembered(accurate)
    lows = np.array([low[a] for a in cascade_info.attributes]) if isinstance(low, dict) else np.full(len(cascade_info.attributes), low)
    cases = load_suite()
    t_fast, t_accurate = seconds_per_text
    routes = routes or {}
    out = []
    for level in sorted({lv for lv in levels if lv <= lows.min()}):
        cascade = CascadeScorer(cascade_info, fast, accurate, low, fast_map, matcher, level, tail_words)
        escalated = {
            name: float(((routes.get(name, scores) >= lows).any(axis=1) | (named & (scores >= level).any(axis=1))).mean())
            for name, (scores, named) in mixes.items()
        }
        bias = evaluate_bias(cascade, data_dir)
        report = evaluate_contrast(scorer_fn_from(cascade), cases)
        out.append({
            "terms_low": level,
            "escalated": escalated,
            "cascade_per_s": 1 / (t_fast + next(iter(escalated.values())) * t_accurate),
            "bias": bias_summary(bias),
            "worst_by_identity": _worst_by_identity(bias),
            "contrast": report.overall.accuracy,
        })
    return out


def choose_terms_low(points: Sequence[dict[str, Any]], alone: dict[str, Any], seed: int = TERMS_SPLIT_SEED) -> dict[str, Any]:
    """The highest ``terms_low`` whose choosing half of the identities has no more below the floor than the accurate
    model alone has there (``alone``: its bias report); what the other half shows at that level is the estimate."""
    alone_worst = _worst_by_identity(alone)
    choosing, reporting = identity_halves(list(alone_worst), seed)
    allowed = len(_below(alone_worst, choosing))
    fitting = [p for p in points if len(_below(p["worst_by_identity"], choosing)) <= allowed]
    chosen = max(fitting, key=lambda p: p["terms_low"]) if fitting else min(points, key=lambda p: p["terms_low"])
    return {
        "terms_low": chosen["terms_low"],
        "seed": seed,
        "choosing_half": choosing,
        "reporting_half": reporting,
        "accurate_alone_below": {"choosing": _below(alone_worst, choosing), "reporting": _below(alone_worst, reporting)},
        "below": {
            str(p["terms_low"]): {"choosing": _below(p["worst_by_identity"], choosing), "reporting": _below(p["worst_by_identity"], reporting)}
            for p in points
        },
    }


@dataclass(frozen=True)
class CurvePoint:
    rule: str  # "uniform" (one threshold for all attributes) or "per-attribute"
    level: float  # the uniform threshold, or the per-attribute family's share of dev positives let through
    lows: dict[str, float]
    escalated: float
    mean_auc: float  # over the attributes with at least MIN_POSITIVES positives in the sample
    auc: dict[str, float]


def _columns(scorer: Scorer, attributes: Sequence[str]) -> list[int]:
    return [scorer.info.attributes.index(a) for a in attributes]


def _labels(records: Sequence[Record], attributes: Sequence[str]) -> np.ndarray:
    return np.array([[np.nan if r.labels.get(a) is None else float(r.labels[a]) for a in attributes] for r in records])


def per_attribute_lows(fast: np.ndarray, labels: np.ndarray, attributes: Sequence[str], miss: float) -> dict[str, float]:
    """Each attribute's threshold: the ``miss`` quantile of the fast model's scores on that attribute's positives."""
    lows = {}
    for j, attribute in enumerate(attributes):
        positives = fast[labels[:, j] == 1, j]
        lows[attribute] = float(np.quantile(positives, miss)) if positives.size else 0.0
    return lows


def operating_points(fast_dev: np.ndarray, labels_dev: np.ndarray, attributes: Sequence[str]) -> list[tuple[str, float, dict[str, float]]]:
    """Every candidate (rule, level, thresholds), with the two ends: all to the transformer, and the fast model alone."""
    points: list[tuple[str, float, dict[str, float]]] = [("uniform", 0.0, {a: 0.0 for a in attributes})]
    points += [("uniform", low, {a: low for a in attributes}) for low in GRID]
    points += [("per-attribute", miss, per_attribute_lows(fast_dev, labels_dev, attributes, miss)) for miss in MISS_GRID]
    return points + [("uniform", 1.01, {a: 1.01 for a in attributes})]


def fit_fast_map(fast: np.ndarray, accurate: np.ndarray, attributes: Sequence[str]) -> dict[str, dict[str, list[float]]]:
    """Per attribute, the knots of a non-decreasing map from the fast model's score to the accurate model's."""
    maps = {}
    for j, attribute in enumerate(attributes):
        spec = fit_isotonic_map(fast[:, j], accurate[:, j])
        maps[attribute] = {"x": list(spec["x"]), "y": list(spec["y"])}  # type: ignore[call-overload]
    return maps


def apply_fast_map(fast: np.ndarray, maps: dict[str, dict[str, list[float]]] | None, attributes: Sequence[str]) -> np.ndarray:
    if not maps:
        return fast
    return np.column_stack([np.interp(fast[:, j], maps[a]["x"], maps[a]["y"]) for j, a in enumerate(attributes)])


def curve(
    fast: np.ndarray, accurate: np.ndarray, labels: np.ndarray, attributes: Sequence[str],
    points: Sequence[tuple[str, float, dict[str, float]]], answered: np.ndarray | None = None,
    forced: np.ndarray | None = None,
) -> list[CurvePoint]:
    """Quality and escalation per operating point. ``answered``: what the fast model serves where it answers (its
    scores after ``fast_map``); escalation is decided on its raw scores ``fast``, and ``forced`` rows (those the term
    routing sends) go to the accurate model at every point but the fast-model-alone end, which is measured as it is."""
    served_fast = fast if answered is None else answered
    out = []
    for rule, level, lows in points:
        unsure = (fast >= np.array([lows[a] for a in attributes])).any(axis=1)
        if forced is not None and level <= 1:
            unsure = unsure | forced
        mixed = np.where(unsure[:, None], accurate, served_fast)
        aucs, counted = {}, []
        for j, attribute in enumerate(attributes):
            known = ~np.isnan(labels[:, j])
            value = roc_auc(labels[known, j].astype(int), mixed[known, j]) if known.any() else None
            if value is not None:
                aucs[attribute] = value
                if np.nansum(labels[:, j]) >= MIN_POSITIVES:
                    counted.append(value)
        out.append(CurvePoint(rule, level, dict(lows), float(unsure.mean()), float(np.mean(counted)), aucs))
    return out


def _speed(score: Callable[[list[str]], object], texts: Sequence[str]) -> float:
    """Seconds per text, batched (after one warm-up call)."""
    score(list(texts[:8]))
    started = time.perf_counter()
    score(list(texts))
    return (time.perf_counter() - started) / len(texts)


def build(
    models_dir: Path,
    data_dir: Path,
    fast_name: str = "linear-en-1",
    accurate_name: str = "minilm-en-2",
    out_name: str = "cascade-en-3",
    max_auc_drop: float = 0.005,
    sample: int = 3000,
    seed: int = 7,
    map_fast: bool = True,
    level: float | None = None,
    escalate_terms: Path | None = None,
    terms_level: float | None = None,
    tail_words: int = 0,
) -> dict[str, Any]:
    """Measure the curves, choose the operating point and write ``models_dir/out_name``. ``level``: one threshold for
    every attribute, fixed by hand from the served curve of an earlier build, instead of the dev rule's choice.
    ``escalate_terms``: a term list whose mentions are held to a stricter threshold, ``terms_level`` (None: chosen by
    :func:`choose_terms_low`). ``tail_words``: a long comment's last words, read on their own as well
    (:class:`civility.scoring.cascade.CascadeConfig`); every routing below is measured with them, every answer of the
    fast model is its score of the whole comment."""
    if level is not None and not 0 < level <= 1:
        raise ValueError("a fixed operating point is a threshold in (0, 1]")
    if escalate_terms is not None and terms_level is None and not _stored_bias(models_dir / accurate_name):
        # The terms threshold is chosen against the accurate model's own bias table; without one every level would
        # "fit" and the fastest would be chosen silently.
        raise ValueError(f"{accurate_name} has no identity-bias table in its metrics.json: run `civility eval` on it")
    matcher = TermMatcher.from_file(escalate_terms) if escalate_terms is not None else None
    fast = load_scorer(models_dir / fast_name)
    accurate = load_scorer(models_dir / accurate_name)
    attributes = [a for a in PRODUCTION_ATTRIBUTES if a in fast.info.attributes and a in accurate.info.attributes]
    fast_cols = _columns(fast, attributes)
    records, _ = load_records(data_dir)
    rng = random.Random(seed)
    by_split: dict[str, list[Record]] = {}
    for split in ("dev", "test"):
        rows = [r for r in records if r.split == split and any(r.labels.get(a) is not None for a in attributes)]
        rng.shuffle(rows)
        by_split[split] = rows[:sample]
    scores: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    route: dict[str, np.ndarray] = {}  # the scores each split is routed on (with tail_words, not only the whole)
    for split, rows in by_split.items():
        texts = [r.text for r in rows]
        f, route[split] = routing_scores(fast, texts, fast_cols, tail_words)
        a = accurate.predict_proba(texts)[:, _columns(accurate, attributes)]
        scores[split] = (f, a, _labels(rows, attributes))
    points = operating_points(route["dev"], scores["dev"][2], attributes)
    if level is not None and level not in GRID:
        points.insert(-1, ("uniform", level, {a: level for a in attributes}))
    fast_map = fit_fast_map(scores["dev"][0], scores["dev"][1], attributes) if map_fast else None
    # The threshold is chosen as for a cascade without routing; the routed curves are reported below.
    plain_dev = curve(
        route["dev"], *scores["dev"][1:], attributes, points, apply_fast_map(scores["dev"][0], fast_map, attributes)
    )
    reference = plain_dev[0].mean_auc  # every comment to the transformer
    candidates = [p for p in plain_dev[1:-1] if reference - p.mean_auc <= max_auc_drop]
    # Fewest dev comments escalated among the points that keep the quality.
    by_rule = min(candidates, key=lambda p: p.escalated, default=plain_dev[1])
    chosen = by_rule
    if level is not None:
        chosen = next(p for p in plain_dev if p.rule == "uniform" and p.level == level)
    low: float | dict[str, float] = chosen.level if chosen.rule == "uniform" else chosen.lows
    thresholds = np.array([chosen.lows[a] for a in attributes])

    realistic = [r.text for r in records if r.dataset == "wiki-toxicity"][:1500]
    realistic_fast, realistic_route = routing_scores(fast, realistic, fast_cols, tail_words)
    t_fast = _speed(lambda texts: routing_scores(fast, texts, fast_cols, tail_words), realistic[:512])
    t_accurate = _speed(accurate.predict_proba, realistic[:256])

    folder = models_dir / out_name
    folder.mkdir(parents=True, exist_ok=True)
    version = int(out_name.rsplit("-", 1)[1])
    manifest = {
        "name": out_name.rsplit("-", 1)[0],
        "version": version,
        "kind": "cascade",
        "languages": ["en"],
        "attributes": attributes,
        "training_command": "make cascade",
        "fast": fast.info.label,
        "accurate": accurate.info.label,
    }
    manifest.update(release_status(folder / "manifest.json", level))
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

    # Routing: which rows mention a term, the terms curve at the chosen threshold, and the choice of terms_low.
    terms: dict[str, Any] = {}
    named: dict[str, np.ndarray] = {}  # per mix or split: the rows that mention a term
    terms_low = 0.0
    if matcher is not None:
        natural = [r.text for r in records if r.dataset == "perspective-wiki"]
        named = {
            "realistic": matcher.mentions(realistic),
            **{split: matcher.mentions([r.text for r in rows]) for split, rows in by_split.items()},
        }
        natural_fast, natural_route = routing_scores(fast, natural, fast_cols, tail_words)
        mixes = {
            "realistic": (realistic_fast, named["realistic"]),
            "natural": (natural_fast, matcher.mentions(natural)),
        }
        levels_tried = TERMS_LEVELS if terms_level is None else sorted({*TERMS_LEVELS, terms_level})
        points_terms = terms_curve(
            read_info(folder), fast, accurate, fast_map, data_dir, low, matcher, mixes, (t_fast, t_accurate),
            levels_tried, tail_words, {"realistic": realistic_route, "natural": natural_route},
        )
        choice = choose_terms_low(points_terms, _stored_bias(models_dir / accurate_name))
        terms_low = choice["terms_low"] if terms_level is None else terms_level
        terms = {
            "count": len(matcher.terms),
            "source": str(escalate_terms),
            "terms_low": terms_low,
            "chosen_by": "halves" if terms_level is None else "hand",
            "choice": choice,
            "named_share": {name: float(mask.mean()) for name, (_, mask) in mixes.items()},
            "natural_mix": "perspective-wiki2k-scores",
            "curve": points_terms,
        }

    def routed(split: str, f: np.ndarray) -> np.ndarray:
        """The rows the term list sends to the accurate model at any threshold above ``terms_low``."""
        if split not in named:
            return np.zeros(len(f), dtype=bool)
        return named[split] & (f >= terms_low).any(axis=1)

    curves = {
        split: curve(route[split], a, y, attributes, points, apply_fast_map(f, fast_map, attributes), routed(split, f))
        for split, (f, a, y) in scores.items()
    }
    # How far the fast model's answers sit from what the transformer would have said, on the test rows it answers.
    f_test, a_test, _ = scores["test"]
    answered = ~((route["test"] >= thresholds).any(axis=1) | routed("test", f_test))
    mapped_test = apply_fast_map(f_test, fast_map, attributes)
    distance = {
        "answered_test_rows": int(answered.sum()),
        "raw": {a: float(np.mean(np.abs(f_test[answered, j] - a_test[answered, j]))) for j, a in enumerate(attributes)},
        "mapped": {a: float(np.mean(np.abs(mapped_test[answered, j] - a_test[answered, j]))) for j, a in enumerate(attributes)},
    }
    escalated = float(((realistic_route >= thresholds).any(axis=1) | routed("realistic", realistic_fast)).mean())
    speed = {
        "fast_per_s": 1 / t_fast,
        "accurate_per_s": 1 / t_accurate,
        "cascade_per_s": 1 / (t_fast + escalated * t_accurate),
        "escalated_on_realistic_mix": escalated,
    }

    config: dict[str, Any] = {"fast": fast_name, "accurate": accurate_name, "low": low}
    if fast_map is not None:
        config["fast_map"] = fast_map
    (folder / TERMS_FILE).unlink(missing_ok=True)
    if escalate_terms is not None and matcher is not None:
        shutil.copyfile(escalate_terms, folder / TERMS_FILE)
        config["escalate_terms"] = TERMS_FILE
        config["terms_low"] = terms_low
    if tail_words:
        config["tail_words"] = tail_words
    (folder / "cascade.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    metrics: dict[str, Any] = {
        "chosen_rule": chosen.rule,
        "chosen_level": chosen.level,
        "chosen_low": low,
        "chosen_by": "rule" if level is None else "hand",
        "rule_choice": {"rule": by_rule.rule, "level": by_rule.level, "escalated": by_rule.escalated},
        "max_auc_drop": max_auc_drop,
        "tail_words": tail_words,
        "fast_mapped": fast_map is not None,
        "fast_vs_accurate_mean_abs": distance,
        "speed": speed,
        "curves": {split: [p.__dict__ for p in points] for split, points in curves.items()},
    }
    if terms:
        metrics["terms"] = terms
    # Identity bias of the cascade as served: the fast model answers the template sentences it is sure are clean, and
    # its misses there count, so the accurate model's own bias table does not describe what clients get. Reported
    # only; the operating point was chosen above, without the templates. The parts are already loaded, so the
    # cascade is assembled from them with the config just written rather than loaded again.
    levels = (*SERVED_LEVELS, *([low] if isinstance(low, float) else []))
    metrics["served_curve"] = served_curve(
        read_info(folder), fast, accurate, fast_map, data_dir, realistic_fast, (t_fast, t_accurate), levels,
        matcher, terms_low, named.get("realistic"), tail_words, realistic_route,
    )
    if isinstance(low, float):  # one threshold: the curve has already measured it
        metrics["bias_as_served"] = dict(next(p["bias"] for p in metrics["served_curve"] if p["level"] == low))
    else:
        served = CascadeScorer(read_info(folder), fast, accurate, low, fast_map, matcher, terms_low, tail_words)
        metrics["bias_as_served"] = bias_summary(evaluate_bias(served, data_dir))
    templates = bias_templates(data_dir)
    if templates and metrics["bias_as_served"]:
        toxic = np.array([row["toxicity"] == "toxic" for row in templates])
        phrases = [row["phrase"] for row in templates]
        template_fast, template_route = routing_scores(fast, phrases, fast_cols, tail_words)
        unsure = (template_route >= thresholds).any(axis=1)
        if matcher is not None:
            unsure |= matcher.mentions(phrases) & (template_fast >= terms_low).any(axis=1)
        kept = ~unsure
        metrics["bias_as_served"]["fast_answers"] = {"toxic": float(kept[toxic].mean()), "non_toxic": float(kept[~toxic].mean())}
    metrics["bias_of_parts"] = {
        label: bias_summary(_stored_bias(models_dir / name)) for label, name in (("fast", fast_name), ("accurate", accurate_name))
    }
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (folder / "MODEL_CARD.md").write_text(_card(manifest, metrics), encoding="utf-8")
    write_checksums(folder)
    read_info(folder)
    return metrics


def release_status(previous: Path, level: float | None) -> dict[str, str]:
    """The status keys of a cascade's new manifest. A rebuild keeps the artifact's own (rebuilding a candidate must
    not release it); a new cascade whose threshold was fixed by hand is a candidate, so it never becomes the default
    by being the newest version; a new cascade chosen by the rule gets none (released)."""
    if previous.exists():
        earlier = json.loads(previous.read_text(encoding="utf-8"))
        return {key: earlier[key] for key in ("status", "status_reason") if key in earlier}
    if level is None:
        return {}
    return {
        "status": "candidate",
        "status_reason": f"its threshold ({level}) was fixed by hand to trade throughput for quality; release it where "
        "the cores allow (its card's table of quality as served at each threshold).",
    }


def _stored_bias(folder: Path) -> dict[str, Any]:
    path = folder / "metrics.json"
    return dict(json.loads(path.read_text(encoding="utf-8")).get("bias") or {}) if path.exists() else {}


def bias_summary(bias: dict[str, Any], floor: float = 0.95) -> dict[str, Any]:
    """Power means and the identities whose worst bias AUC (subgroup, BPSN or BNSP) is below ``floor``."""
    if not bias:
        return {}
    worst = sorted(
        (value, row["subgroup"]) for row in bias["per_identity"] if (value := worst_bias_auc(row)) is not None
    )
    below = [(name, value) for value, name in worst if value < floor]
    summary = {
        "overall_roc_auc": bias["overall_roc_auc"],
        "power_mean_p-5": bias["power_mean_p-5"],
        "identities": len(worst),
        "floor": floor,
        "below_floor": [{"subgroup": name, "worst_auc": value} for name, value in below],
    }
    if "by_written_frames" in bias:
        summary["by_written_frames"] = bias["by_written_frames"]
    return summary


def _rule(metrics: dict[str, Any]) -> str:
    low = metrics["chosen_low"]
    if isinstance(low, dict):
        listed = ", ".join(f"{a} {v:.3f}" for a, v in low.items())
        return (f"if every attribute scores below its own threshold on the fast model ({listed}: where the fast model "
                f"alone passes {metrics['chosen_level']:.1%} of each attribute's dev positives as clean), its scores "
                "stand; otherwise the accurate model's scores are served.")
    return (f"if every attribute scores below **{low}** on the fast model, its scores stand; otherwise the accurate "
            "model's scores are served.")


def _point_label(point: dict[str, Any]) -> str:
    if point.get("rule", "uniform") == "per-attribute":
        return f"per attribute, {point['level']:.1%} of positives"
    level = point.get("level", point.get("low"))
    return "0 (transformer only)" if level == 0 else "never (fast only)" if level > 1 else f"{level:.2f}"


def _card(manifest: dict[str, Any], metrics: dict[str, Any]) -> str:
    speed = metrics["speed"]
    status = status_line(manifest)
    lines = [
        f"# Model card: {manifest['name']}@{manifest['version']} (cascade)",
        "",
        *([status] if status else []),
        f"- Fast model: `{manifest['fast']}`; accurate model: `{manifest['accurate']}`; attributes: {', '.join(manifest['attributes'])}.",
        f"- Rule: {_rule(metrics)}",
        *_terms_lines(metrics),
        *_tail_lines(metrics),
        *_choice_lines(manifest, metrics),
        "",
        "## Speed (measured while building, batched, one process)",
        "",
        f"- Fast: {speed['fast_per_s']:.0f} comments/s; accurate: {speed['accurate_per_s']:.0f} comments/s.",
        f"- On a realistic mix (Wikipedia toxicity test set) {speed['escalated_on_realistic_mix']:.1%} of comments go to the "
        f"accurate model, so the cascade runs at about {speed['cascade_per_s']:.0f} comments/s.",
        "",
    ]
    distance = metrics.get("fast_vs_accurate_mean_abs")
    if metrics.get("fast_mapped") and distance:
        lines += [
            "## One scale whichever model answers",
            "",
            "The fast model's scores are mapped onto the accurate model's (per attribute, isotonic regression of the "
            "accurate model's served score on the fast model's, fitted on the dev sample; `fast_map` in cascade.json), "
            "and the curves below are measured with the map, as served. Mean |fast answer − what the accurate model "
            f"says| on the {distance['answered_test_rows']} test rows of the sample that the fast model answers:",
            "",
            "| attribute | fast model's own scale | mapped (served) |",
            "|---|---:|---:|",
        ]
        lines += [f"| {a} | {distance['raw'][a]:.3f} | {distance['mapped'][a]:.3f} |" for a in distance["raw"]]
        lines.append("")
    for split in ("dev", "test"):
        lines += [
            f"## Quality against escalation ({split} rows; {_curve_role(split, metrics)})",
            "",
            "| operating point | sent to transformer | mean ROC-AUC | " + " | ".join(metrics["curves"][split][0]["auc"]) + " |",
            "|---|---:|---:|" + "---:|" * len(metrics["curves"][split][0]["auc"]),
        ]
        for point in metrics["curves"][split]:
            aucs = " | ".join(f"{v:.3f}" for v in point["auc"].values())
            lines.append(f"| {_point_label(point)} | {point['escalated']:.1%} | {point['mean_auc']:.4f} | {aucs} |")
        lines.append("")
    lines += _bias_lines(metrics)
    lines += _terms_table_lines(metrics)
    lines += _served_curve_lines(metrics)
    return "\n".join(lines)


def _tail_lines(metrics: dict[str, Any]) -> list[str]:
    words = metrics.get("tail_words", 0)
    if not words:
        return []
    return [
        f"- Long comments: for a comment of more than {2 * words} words the fast model also reads its last {words} "
        "words as a comment of their own, and its answer stands only if it is sure of both (the thresholds above; the "
        "term rule reads the whole comment), so a reply written after a long quote is not diluted away "
        "(docs/padding.md). The fast model's answer is its score of the whole comment. Every routing measured below "
        "reads the tails too."
    ]


def _terms_lines(metrics: dict[str, Any]) -> list[str]:
    terms = metrics.get("terms")
    if not terms:
        return []
    return [
        f"- Comments about social groups: a comment that mentions one of the {terms['count']} terms of `{TERMS_FILE}` "
        "(religions, peoples and nationalities, gender, sexual orientation, disability, age, migration; written without "
        "sight of any evaluation set) keeps the fast model's answer only if every attribute scores below "
        f"**{terms['terms_low']}** there; the fast model's identity bias is worst on exactly these comments. "
        f"{terms['named_share']['realistic']:.1%} of the realistic mix and {terms['named_share']['natural']:.1%} of a "
        "random Wikipedia sample mention one. Every measurement below is of the cascade routing so, except the choice "
        "of the threshold above, made on the cascade without routing."
    ]


def _terms_table_lines(metrics: dict[str, Any]) -> list[str]:
    terms = metrics.get("terms")
    if not terms:
        return []
    choice = terms["choice"]
    how = (
        f"Chosen on half the template identities: the {len(choice['choosing_half'])} of one random half (seed "
        f"{choice['seed']}) choose the highest threshold that leaves no more of them below 0.95 than the accurate "
        f"model alone leaves ({len(choice['accurate_alone_below']['choosing'])}); the other "
        f"{len(choice['reporting_half'])} report what that choice gives, an estimate the choice never saw."
        if terms["chosen_by"] == "halves"
        else "Chosen by hand."
    )
    lines = [
        "## Comments that mention a group: the threshold they are held to",
        "",
        f"At the served threshold {metrics['chosen_level']}, per threshold for comments naming a listed term. The "
        "realistic mix (the Wikipedia toxicity test set) comes from Jigsaw's unintended-bias evaluation sets and names a group far more "
        f"often than comments do; the random Wikipedia sample ({terms['natural_mix']}, 1,013 comments) shows the usual "
        "rate. Identities below 0.95 are counted on the choosing and the reporting half. " + how,
        "",
        "| threshold for named groups | sent to the accurate model (realistic / random sample) | ≈ comments/s (realistic) "
        "| BPSN | identities below 0.95 (choosing / reporting half) | contrast suite |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for point in terms["curve"]:
        below = choice["below"][str(point["terms_low"])]
        mark = "**" if point["terms_low"] == terms["terms_low"] else ""
        row = (
            f"{point['terms_low']:.2f} | {point['escalated']['realistic']:.1%} / {point['escalated']['natural']:.1%} | "
            f"{point['cascade_per_s']:.0f} | {point['bias']['power_mean_p-5']['bpsn_auc']:.3f} | "
            f"{len(below['choosing'])} / {len(below['reporting'])} | {point['contrast']:.1%}"
        )
        lines.append("| " + " | ".join(f"{mark}{cell.strip()}{mark}" for cell in row.split("|")) + " |")
    alone = choice["accurate_alone_below"]
    lines += [
        "",
        f"The accurate model alone: {len(alone['choosing'])} / {len(alone['reporting'])} "
        f"({', '.join(alone['choosing'] + alone['reporting']) or 'none'}).",
        "",
    ]
    return lines


def _curve_role(split: str, metrics: dict[str, Any]) -> str:
    if split != "dev":
        return "reported only"
    return "the dev rule's basis, not used for this hand-chosen point" if metrics.get("chosen_by") == "hand" else "used for the choice"


def _choice_lines(manifest: dict[str, Any], metrics: dict[str, Any]) -> list[str]:
    rule = (
        f"of the operating points whose mean ROC-AUC (over attributes with at least {MIN_POSITIVES} positives in the "
        f"sample) is within {metrics['max_auc_drop']} of the accurate model alone, the one sending the fewest dev "
        "comments to the accurate model. Candidates: one threshold for every attribute, or one per attribute at the fast "
        "model's score under which a given share of that attribute's dev positives fall."
    )
    if metrics.get("chosen_by") == "hand":
        by_rule = metrics["rule_choice"]
        return [
            f"- Chosen by hand, from the quality as served at each threshold (last section), to spend more of the "
            "accurate model on quality than a two-core machine's 1,000 comments/s goal allows. The dev rule would choose "
            f"{_point_label(by_rule)}, sending {by_rule['escalated']:.1%} of dev comments to the accurate model; the "
            f"rule: {rule} Rebuild: `{_rebuild_command(manifest, metrics)}` (with the fast and accurate models above; no "
            "training).",
        ]
    return [f"- Chosen on dev rows: {rule} Rebuild: `{_rebuild_command(manifest, metrics)}` (no training; it measures and writes this folder)."]


def _rebuild_command(manifest: dict[str, Any], metrics: dict[str, Any]) -> str:
    """The make line that rebuilds this folder. Cascades without a term list keep the short form their cards have
    always printed (the Makefile's defaults rebuild the one they name)."""
    parts = ["make cascade"]
    terms = metrics.get("terms")
    if metrics.get("chosen_by") == "hand" or terms:
        parts.append(f"CASCADE_VERSION={manifest['version']}")
    if terms:  # cascades since the term list name their models: the Makefile's defaults move on
        parts += [f"FAST_MODEL={manifest['fast'].replace('@', '-')}", f"ACCURATE_MODEL={manifest['accurate'].replace('@', '-')}"]
    if metrics.get("chosen_by") == "hand":
        parts.append(f"CASCADE_LEVEL={metrics['chosen_level']}")
    if terms:
        parts.append(f"CASCADE_TERMS={terms['source']}")
        if terms["chosen_by"] == "hand":
            parts.append(f"CASCADE_TERMS_LEVEL={terms['terms_low']}")
        parts.append(f"CASCADE_TAIL_WORDS={metrics.get('tail_words', 0)}")  # its default moved to 48 with cascade-en-66
    return " ".join(parts)


def _served_curve_lines(metrics: dict[str, Any]) -> list[str]:
    curve_points = metrics.get("served_curve")
    if not curve_points:
        return []
    chosen = metrics["chosen_level"] if metrics["chosen_rule"] == "uniform" else None
    lines = [
        "## Quality as served at each threshold",
        "",
        "One threshold for every attribute, the models and map above. The comments/s follow from the share of the "
        "realistic mix sent to the accurate model and the speeds measured while building (the speed section's "
        "arithmetic). The identity bias (Jigsaw templates, TOXICITY) and the contrast suite (at 0.5) are scored as the "
        "cascade serves them. "
        + (
            "This cascade's threshold was chosen by hand from this table, so its row is not an unbiased estimate of "
            "its quality; the other rows are held-out measurements."
            if metrics.get("chosen_by") == "hand"
            else "These rows are held-out measurements and never choose the point."
        )
        + " The served point is in bold.",
        "",
        "| threshold | sent to the accurate model | ≈ comments/s | BPSN | identities below 0.95 | contrast suite | weakest category |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for point in curve_points:
        bias = point["bias"]
        weakest = min(
            ((value, name) for name, value in point["contrast_by_category"].items() if value is not None), default=None
        )
        cells = [
            f"{point['level']:.2f}",
            f"{point['escalated_on_realistic_mix']:.1%}",
            f"{point['cascade_per_s']:.0f}",
            f"{bias['power_mean_p-5']['bpsn_auc']:.3f}" if bias else "–",
            f"{len(bias['below_floor'])} of {bias['identities']}" if bias else "–",
            f"{point['contrast']:.1%}" if point["contrast"] is not None else "–",
            f"{weakest[1]} {weakest[0]:.1%}" if weakest else "–",
        ]
        if chosen is not None and abs(point["level"] - chosen) < 1e-9:
            cells = [f"**{cell}**" for cell in cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def _bias_lines(metrics: dict[str, Any]) -> list[str]:
    served = metrics.get("bias_as_served")
    if not served:
        return []
    rows = [("the cascade, as served", served)]
    rows += [(f"{part} model alone", summary) for part, summary in metrics.get("bias_of_parts", {}).items() if summary]
    answers = served.get("fast_answers", {})
    share = (
        f" (here {answers['non_toxic']:.1%} of the non-toxic template sentences and {answers['toxic']:.1%} of the toxic "
        "ones, which it then scores as clean)" if answers else ""
    )
    lines = [
        "## Identity bias as served (TOXICITY, Jigsaw English sentence templates; reported only)",
        "",
        f"The fast model answers the sentences it is sure are clean{share}, so the cascade's bias is not the accurate "
        "model's. Power means (p = −5) of the per-identity AUCs, and the identities whose worst AUC (subgroup, BPSN or "
        "BNSP) is below 0.95:",
        "",
        "| scores | overall ROC-AUC | subgroup | BPSN | BNSP | identities below 0.95 | worst three |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label, summary in rows:
        means = summary["power_mean_p-5"]
        worst = ", ".join(f"{b['subgroup']} {b['worst_auc']:.3f}" for b in summary["below_floor"][:3]) or "–"
        lines.append(
            f"| {label} | {summary['overall_roc_auc']:.3f} | {means['subgroup_auc']:.3f} | {means['bpsn_auc']:.3f} | "
            f"{means['bnsp_auc']:.3f} | {len(summary['below_floor'])} of {summary['identities']} | {worst} |"
        )
    lines.append("")
    split = served.get("by_written_frames")
    if split:
        other = split["not_named"]
        lines += [
            f"Our written training frames name {len(split['named']['identities'])} of these identities (the accurate "
            f"model was trained on them if its card says so); as served, {split['named']['below_floor']} of those and "
            f"{other['below_floor']} of the {len(other['identities'])} they never name ({', '.join(other['identities'])}) "
            f"are below {split['floor']}.",
            "",
        ]
    return lines
