"""Functional contrast suite: targeted checks of behaviour that aggregate metrics hide.

The suite (``suites/contrast.jsonl``, written for Civility) holds short news-comment style texts grouped into
categories where keyword-driven classifiers are known to fail: negated hate, counter-speech that quotes hate to
denounce it, reclaimed in-group terms, neutral mentions of identity groups, swearing without an attack, criticism of
governments versus attacks on peoples, violence reporting versus threats, implicit threats, dehumanisation without
slurs, and obfuscated spellings. Most categories mix both labels (often as minimal pairs) so that a constant
classifier cannot pass them; ``identity_neutral_positive`` is one-sided by nature (every case is a 0) and is read
together with its contrast category (see ``ONE_SIDED``).

Each case names the attribute(s) it tests with the correct binary label; a *check* is one (case, attribute) pair and
passes when ``score >= threshold`` equals the label. ``evaluate`` takes any ``scorer_fn(texts, attribute)`` so the
suite runs against every model; ``scorer_fn_from`` adapts a ``civility.scoring.base.Scorer``.

Run it: ``python -m civility.evaluation.contrast models/linear-en-1``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np

from civility.evaluation.metrics import roc_auc
from civility.scoring.base import Scorer
from civility.scoring.types import PRODUCTION_ATTRIBUTES

DEFAULT_SUITE = Path(__file__).resolve().parent / "suites" / "contrast.jsonl"

CATEGORIES: tuple[str, ...] = (
    "negation",
    "counter_speech",
    "reclaimed_in_group",
    "identity_neutral_positive",
    "profanity_no_attack",
    "government_criticism_vs_peoples",
    "violence_reporting_vs_threat",
    "implicit_threat",
    "dehumanisation_no_slurs",
    "obfuscated",
)
# Categories whose cases all carry the same label by nature, each read next to its contrast category.
ONE_SIDED: Mapping[str, str] = MappingProxyType({"identity_neutral_positive": "dehumanisation_no_slurs"})
SUITE_ATTRIBUTES: tuple[str, ...] = PRODUCTION_ATTRIBUTES

# scorer_fn(texts, attribute) -> one probability per text, or None when the model has no such attribute.
ScorerFn = Callable[[list[str], str], "Sequence[float] | np.ndarray | None"]


class SuiteError(ValueError):
    """The suite file is malformed."""


@dataclass(frozen=True)
class ContrastCase:
    id: str
    category: str
    text: str
    expected: Mapping[str, int] = field(hash=False)
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "expected", MappingProxyType(dict(self.expected)))


def _parse_case(data: object, where: str) -> ContrastCase:
    if not isinstance(data, dict):
        raise SuiteError(f"{where}: expected a JSON object")
    for key in ("id", "category", "text", "expected"):
        if key not in data:
            raise SuiteError(f"{where}: missing {key!r}")
    if not isinstance(data["text"], str) or not data["text"].strip():
        raise SuiteError(f"{where}: empty text")
    if data["category"] not in CATEGORIES:
        raise SuiteError(f"{where}: unknown category {data['category']!r}")
    expected = data["expected"]
    if not isinstance(expected, dict) or not expected:
        raise SuiteError(f"{where}: 'expected' must be a non-empty object")
    for attribute, label in expected.items():
        if attribute not in SUITE_ATTRIBUTES:
            raise SuiteError(f"{where}: unknown attribute {attribute!r}")
        if isinstance(label, bool) or label not in (0, 1):
            raise SuiteError(f"{where}: label for {attribute} must be 0 or 1, got {label!r}")
    return ContrastCase(
        id=str(data["id"]),
        category=str(data["category"]),
        text=data["text"],
        expected={str(k): int(v) for k, v in expected.items()},
        note=str(data.get("note", "")),
    )


def load_suite(path: Path | str | None = None) -> list[ContrastCase]:
    """Read and validate a JSONL suite (default: the bundled ``suites/contrast.jsonl``)."""
    path = Path(path) if path is not None else DEFAULT_SUITE
    cases: list[ContrastCase] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                data = json.loads(line)
            except ValueError as exc:
                raise SuiteError(f"{where}: invalid JSON: {exc}") from exc
            case = _parse_case(data, where)
            if case.id in seen:
                raise SuiteError(f"{where}: duplicate id {case.id!r}")
            seen.add(case.id)
            cases.append(case)
    return cases


@dataclass(frozen=True)
class CheckResult:
    case_id: str
    category: str
    attribute: str
    expected: int
    score: float | None  # None: the model has no such attribute

    @property
    def available(self) -> bool:
        return self.score is not None

    def passed(self, threshold: float) -> bool | None:
        if self.score is None:
            return None
        return int(self.score >= threshold) == self.expected


@dataclass(frozen=True)
class GroupResult:
    """Accuracy over the scored checks of one category (or of the whole suite)."""

    name: str
    n_cases: int
    n_checks: int  # scored checks (excluding n/a)
    n_correct: int
    n_unavailable: int  # checks on attributes the model does not have
    n_pos: int
    n_pos_correct: int
    n_neg: int
    n_neg_correct: int

    @staticmethod
    def _ratio(num: int, den: int) -> float | None:
        return num / den if den else None

    @property
    def accuracy(self) -> float | None:
        return self._ratio(self.n_correct, self.n_checks)

    @property
    def pos_accuracy(self) -> float | None:
        """Share of label-1 checks scored ≥ threshold (recall on the harmful side)."""
        return self._ratio(self.n_pos_correct, self.n_pos)

    @property
    def neg_accuracy(self) -> float | None:
        """Share of label-0 checks scored < threshold (1 − false-positive rate)."""
        return self._ratio(self.n_neg_correct, self.n_neg)


def _group(name: str, n_cases: int, checks: Iterable[CheckResult], threshold: float) -> GroupResult:
    checks = list(checks)
    scored = [c for c in checks if c.available]
    pos = [c for c in scored if c.expected == 1]
    neg = [c for c in scored if c.expected == 0]
    return GroupResult(
        name=name,
        n_cases=n_cases,
        n_checks=len(scored),
        n_correct=sum(bool(c.passed(threshold)) for c in scored),
        n_unavailable=len(checks) - len(scored),
        n_pos=len(pos),
        n_pos_correct=sum(bool(c.passed(threshold)) for c in pos),
        n_neg=len(neg),
        n_neg_correct=sum(bool(c.passed(threshold)) for c in neg),
    )


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


@dataclass(frozen=True)
class ContrastReport:
    threshold: float
    checks: tuple[CheckResult, ...]
    categories: tuple[GroupResult, ...]
    attributes: tuple[GroupResult, ...]
    overall: GroupResult
    texts: Mapping[str, str] = field(hash=False, repr=False, default_factory=dict)

    def category(self, name: str) -> GroupResult:
        for group in self.categories:
            if group.name == name:
                return group
        raise KeyError(name)

    def failures(self) -> list[CheckResult]:
        return [c for c in self.checks if c.passed(self.threshold) is False]

    def ranking(self, min_each: int = 3) -> dict[str, dict[str, float]]:
        """Per category and attribute: ROC-AUC of the scores over the category's checks (threshold-free).

        Accuracy at one threshold mixes two questions, whether the model ranks the harmful twin above the harmless
        one and where its scale puts them; a compressed scale (THREAT's) fails every check at 0.5 while ranking
        well. Only pairs with at least ``min_each`` checks on each side are reported."""
        out: dict[str, dict[str, float]] = {}
        for group in self.categories:
            for attribute in (a.name for a in self.attributes):
                scored = [c for c in self.checks if c.category == group.name and c.attribute == attribute and c.available]
                labels = [c.expected for c in scored]
                if min(labels.count(0), labels.count(1)) >= min_each:
                    value = roc_auc(np.array(labels), np.array([c.score for c in scored]))
                    if value is not None:
                        out.setdefault(group.name, {})[attribute] = value
        return out

    def to_dict(self) -> dict[str, object]:
        def row(g: GroupResult) -> dict[str, object]:
            return {
                "cases": g.n_cases,
                "checks": g.n_checks,
                "correct": g.n_correct,
                "accuracy": g.accuracy,
                "pos_accuracy": g.pos_accuracy,
                "neg_accuracy": g.neg_accuracy,
                "unavailable": g.n_unavailable,
            }

        return {
            "threshold": self.threshold,
            "overall": row(self.overall),
            "categories": {g.name: row(g) for g in self.categories},
            "attributes": {g.name: row(g) for g in self.attributes},
            "ranking": self.ranking(),
        }

    def to_markdown(self, per_attribute: bool = True) -> str:
        header = (
            "| category | cases | checks | accuracy | on 1-labels | on 0-labels | n/a |\n"
            "|---|---:|---:|---:|---:|---:|---:|"
        )

        def line(g: GroupResult, bold: bool = False) -> str:
            name = f"**{g.name}**" if bold else g.name
            if g.name in ONE_SIDED:
                name += f" (one-sided; see {ONE_SIDED[g.name]})"
            acc = _pct(g.accuracy)
            if bold:
                acc = f"**{acc}**"
            return (
                f"| {name} | {g.n_cases} | {g.n_checks} | {acc} | {_pct(g.pos_accuracy)} | "
                f"{_pct(g.neg_accuracy)} | {g.n_unavailable} |"
            )

        rows = [header, *(line(g) for g in self.categories), line(self.overall, bold=True)]
        text = "\n".join(rows)
        if per_attribute:
            attr_rows = [header.replace("| category |", "| attribute |"), *(line(g) for g in self.attributes)]
            text += "\n\n" + "\n".join(attr_rows)
        text += f"\n\nThreshold {self.threshold:g}; a check is one (case, attribute) label.\n"
        ranking = self.ranking()
        if ranking:
            names = [a.name for a in self.attributes if any(a.name in row for row in ranking.values())]
            lines = [
                "",
                "Ranking within each category (ROC-AUC of the attribute's score over the category's harmful and "
                "harmless cases; threshold-free, so it separates ranking from where the scale sits):",
                "",
                "| category | " + " | ".join(names) + " |",
                "|---|" + "---:|" * len(names),
            ]
            for category, row in ranking.items():
                lines.append(f"| {category} | " + " | ".join(f"{row[a]:.3f}" if a in row else "–" for a in names) + " |")
            text += "\n".join(lines) + "\n"
        return text


def evaluate(scorer_fn: ScorerFn, cases: Sequence[ContrastCase], threshold: float = 0.5) -> ContrastReport:
    """Score every (case, attribute) check, one ``scorer_fn`` call per attribute, and aggregate accuracies.

    ``scorer_fn`` may return None for an attribute it does not score; those checks count as n/a, not failures.
    """
    wanted: dict[str, list[ContrastCase]] = {}
    for case in cases:
        for attribute in case.expected:
            wanted.setdefault(attribute, []).append(case)

    scores: dict[tuple[str, str], float | None] = {}
    for attribute, group in wanted.items():
        result = scorer_fn([c.text for c in group], attribute)
        if result is None:
            for c in group:
                scores[(c.id, attribute)] = None
            continue
        values = np.asarray(result, dtype=float).reshape(-1)
        if values.shape[0] != len(group):
            raise ValueError(f"scorer_fn returned {values.shape[0]} scores for {len(group)} texts ({attribute})")
        if not np.all(np.isfinite(values)):
            raise ValueError(f"scorer_fn returned non-finite scores for {attribute}")
        for c, value in zip(group, values, strict=True):
            scores[(c.id, attribute)] = float(value)

    checks = tuple(
        CheckResult(case.id, case.category, attribute, label, scores[(case.id, attribute)])
        for case in cases
        for attribute, label in case.expected.items()
    )
    present = [c for c in CATEGORIES if any(case.category == c for case in cases)]
    present += sorted({case.category for case in cases} - set(present))
    categories = tuple(
        _group(name, sum(case.category == name for case in cases), (c for c in checks if c.category == name), threshold)
        for name in present
    )
    attrs = [a for a in SUITE_ATTRIBUTES if a in wanted] + sorted(set(wanted) - set(SUITE_ATTRIBUTES))
    attributes = tuple(
        _group(a, len(wanted[a]), (c for c in checks if c.attribute == a), threshold) for a in attrs
    )
    overall = _group("overall", len(cases), checks, threshold)
    return ContrastReport(
        threshold=threshold,
        checks=checks,
        categories=categories,
        attributes=attributes,
        overall=overall,
        texts={case.id: case.text for case in cases},
    )


def scorer_fn_from(scorer: Scorer) -> ScorerFn:
    """Adapt a ``Scorer`` (``.info.attributes`` + ``.predict_proba``); unknown attributes give None (n/a).

    Probabilities are cached per text, so the one-call-per-attribute pattern of ``evaluate`` scores each text once.
    """
    attributes = tuple(scorer.info.attributes)
    cache: dict[str, np.ndarray] = {}

    def fn(texts: list[str], attribute: str) -> np.ndarray | None:
        if attribute not in attributes:
            return None
        missing = list(dict.fromkeys(t for t in texts if t not in cache))
        if missing:
            probs = np.asarray(scorer.predict_proba(missing), dtype=float)
            if probs.shape != (len(missing), len(attributes)):
                expected_shape = (len(missing), len(attributes))
                raise ValueError(f"predict_proba returned shape {probs.shape}, expected {expected_shape}")
            for text, row in zip(missing, probs, strict=True):
                cache[text] = row
        column = attributes.index(attribute)
        return np.array([cache[t][column] for t in texts], dtype=float)

    return fn


def main(argv: Sequence[str] | None = None) -> int:
    import argparse
    from datetime import datetime, timezone

    from civility.scoring.artifact import load_scorer

    parser = argparse.ArgumentParser(description="Run the functional contrast suite against model artifacts.")
    parser.add_argument("models", type=Path, nargs="+", help="artifact folders, e.g. models/cascade-en-21")
    parser.add_argument("--suite", type=Path, default=None)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--failures", action="store_true", help="also list failing checks")
    parser.add_argument("--json", type=Path, default=None, help="write the report as JSON here (one model only)")
    parser.add_argument("--write", type=Path, default=None, help="write every model's report to this Markdown page")
    args = parser.parse_args(argv)
    if args.json is not None and len(args.models) != 1:
        parser.error("--json takes one model")

    cases = load_suite(args.suite)
    sections = []
    for folder in args.models:
        scorer = load_scorer(folder)
        report = evaluate(scorer_fn_from(scorer), cases, threshold=args.threshold)
        title = f"{scorer.info.label}" + (" (cascade)" if scorer.info.kind == "cascade" else "")
        sections.append(f"## {title}\n\n{report.to_markdown()}")
        print(sections[-1])
        if args.failures:
            for check in report.failures():
                score = "n/a" if check.score is None else f"{check.score:.3f}"
                text = report.texts[check.case_id]
                print(f"{check.case_id}\t{check.attribute}\texpected={check.expected}\tscore={score}\t{text}")
        if args.json is not None:
            args.json.write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    if args.write is not None:
        command = "python -m civility.evaluation.contrast " + " ".join(str(m) for m in args.models) + f" --write {args.write}"
        header = (
            "# Contrast suite results\n\n"
            f"Generated by `{command}` on {datetime.now(timezone.utc):%Y-%m-%d}. The suite "
            f"(`civility/evaluation/suites/contrast.jsonl`, {len(cases)} cases we wrote) is never trained or tuned on; "
            "a case is scored on every attribute it labels, at the threshold shown. Models appear in the order given (`make eval`: the served cascade, its accurate model alone, then `CONTRAST_COMPARE`).\n"
        )
        args.write.write_text(header + "\n" + "\n\n".join(sections) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
