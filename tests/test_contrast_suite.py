"""The functional contrast suite: its data file is well formed and balanced, and the runner counts correctly."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter

import numpy as np
import pytest

from civility.evaluation.contrast import (
    CATEGORIES,
    DEFAULT_SUITE,
    ONE_SIDED,
    ContrastCase,
    SuiteError,
    evaluate,
    load_suite,
    scorer_fn_from,
)
from civility.scoring.types import ModelInfo

ATTRIBUTES = {"TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT"}


@pytest.fixture(scope="module")
def cases() -> list[ContrastCase]:
    return load_suite()


def test_every_line_is_valid_json_with_the_schema() -> None:
    lines = [line for line in DEFAULT_SUITE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in lines:
        data = json.loads(line)
        assert set(data) == {"id", "category", "text", "expected", "note"}, data
        assert isinstance(data["expected"], dict) and data["expected"]


def test_size_and_categories(cases: list[ContrastCase]) -> None:
    assert len(cases) >= 440
    counts = Counter(case.category for case in cases)
    assert set(counts) == set(CATEGORIES)
    for category in CATEGORIES:
        assert counts[category] >= 30, (category, counts[category])


def test_unique_ids_and_texts(cases: list[ContrastCase]) -> None:
    ids = Counter(case.id for case in cases)
    assert [i for i, n in ids.items() if n > 1] == []
    texts = Counter(case.text.strip().casefold() for case in cases)
    assert [t for t, n in texts.items() if n > 1] == []


def test_labels_are_binary_and_attributes_known(cases: list[ContrastCase]) -> None:
    for case in cases:
        assert case.expected, case.id
        for attribute, label in case.expected.items():
            assert attribute in ATTRIBUTES, (case.id, attribute)
            assert label in (0, 1) and not isinstance(label, bool), (case.id, label)


def test_two_sided_categories_cannot_be_passed_by_a_constant(cases: list[ContrastCase]) -> None:
    for category in CATEGORIES:
        labels = [label for case in cases if case.category == category for label in case.expected.values()]
        if category in ONE_SIDED:
            continue
        assert 0 in labels and 1 in labels, category
        share = sum(labels) / len(labels)
        assert 0.2 <= share <= 0.8, (category, share)
        # some single attribute is itself two-sided within the category
        per_attr: dict[str, set[int]] = {}
        for case in cases:
            if case.category == category:
                for attribute, label in case.expected.items():
                    per_attr.setdefault(attribute, set()).add(label)
        assert any(v == {0, 1} for v in per_attr.values()), category


def test_one_sided_categories_are_paired_with_a_contrast(cases: list[ContrastCase]) -> None:
    for category, contrast in ONE_SIDED.items():
        own = {a: label for case in cases if case.category == category for a, label in case.expected.items()}
        assert set(own.values()) == {0}, category
        contrast_labels = [
            case.expected.get("IDENTITY_ATTACK") for case in cases if case.category == contrast
        ]
        assert 1 in contrast_labels and 0 in contrast_labels, contrast


OBFUSCATION = [
    re.compile(r"[^\x00-\x7f]"),  # homoglyphs and other non-ASCII
    re.compile(r"[\u200b-\u200d\u2060\ufeff]"),  # zero-width characters
    re.compile(r"[A-Za-z][0-9@$*]|[0-9@$*][A-Za-z]"),  # digits or symbols inside words
    re.compile(r"\b[A-Za-z](?:[ ._\-][A-Za-z]){2,}\b"),  # separated letters: k i l l, f.u.c.k, b-u-r-n
    re.compile(r"([A-Za-z])\1\1"),  # stretched letters: idiooooot
]


def test_obfuscated_cases_are_really_obfuscated(cases: list[ContrastCase]) -> None:
    obfuscated = [case for case in cases if case.category == "obfuscated"]
    for case in obfuscated:
        assert any(p.search(case.text) for p in OBFUSCATION), (case.id, case.text)
    # The suite really uses each device, written as actual characters (not escapes).
    joined = "".join(case.text for case in obfuscated)
    assert "\u200b" in joined
    assert any(unicodedata.name(ch, "").startswith("CYRILLIC") for ch in joined)
    assert "\\u" not in joined
    # Benign obfuscated texts are there too, so "obfuscated means toxic" fails.
    assert any(0 in case.expected.values() and 1 not in case.expected.values() for case in obfuscated)


def test_other_categories_are_plain_text(cases: list[ContrastCase]) -> None:
    for case in cases:
        if case.category != "obfuscated":
            assert "\u200b" not in case.text
            assert not any(unicodedata.name(ch, "").startswith("CYRILLIC") for ch in case.text), case.id


def _case(cid: str, category: str, text: str, **expected: int) -> ContrastCase:
    return ContrastCase(id=cid, category=category, text=text, expected=expected)


def test_evaluate_computes_accuracies_by_hand() -> None:
    cases = [
        _case("a", "negation", "never vermin", TOXICITY=0, IDENTITY_ATTACK=0),
        _case("b", "negation", "vermin", TOXICITY=1, IDENTITY_ATTACK=1),
        _case("c", "implicit_threat", "we know where you live", THREAT=1),
        _case("d", "implicit_threat", "we know where the bakery is", THREAT=0),
    ]
    table = {
        ("never vermin", "TOXICITY"): 0.7,  # wrong (false positive)
        ("never vermin", "IDENTITY_ATTACK"): 0.2,  # right
        ("vermin", "TOXICITY"): 0.5,  # right: the threshold is inclusive
        ("vermin", "IDENTITY_ATTACK"): 0.49,  # wrong (miss)
        ("we know where you live", "THREAT"): 0.9,  # right
        ("we know where the bakery is", "THREAT"): 0.6,  # wrong
    }
    calls: list[str] = []

    def scorer_fn(texts: list[str], attribute: str) -> list[float]:
        calls.append(attribute)
        return [table[(t, attribute)] for t in texts]

    report = evaluate(scorer_fn, cases)
    assert sorted(calls) == ["IDENTITY_ATTACK", "THREAT", "TOXICITY"]  # one batched call per attribute
    neg = report.category("negation")
    assert (neg.n_cases, neg.n_checks, neg.n_correct) == (2, 4, 2)
    assert neg.accuracy == pytest.approx(0.5)
    assert neg.pos_accuracy == pytest.approx(0.5) and neg.neg_accuracy == pytest.approx(0.5)
    thr = report.category("implicit_threat")
    assert (thr.n_checks, thr.n_correct) == (2, 1)
    assert report.overall.n_checks == 6 and report.overall.n_correct == 3
    assert report.overall.accuracy == pytest.approx(0.5)
    assert {(f.case_id, f.attribute) for f in report.failures()} == {
        ("a", "TOXICITY"),
        ("b", "IDENTITY_ATTACK"),
        ("d", "THREAT"),
    }
    # A stricter threshold changes the verdicts: 0.5 and 0.6 now count as negatives.
    strict = evaluate(scorer_fn, cases, threshold=0.65)
    assert strict.category("negation").n_correct == 1  # only IDENTITY_ATTACK 0.2 on "a"
    assert strict.category("implicit_threat").n_correct == 2
    markdown = report.to_markdown()
    assert "| negation | 2 | 4 | 50.0% | 50.0% | 50.0% | 0 |" in markdown
    assert "**overall**" in markdown


def test_ranking_is_threshold_free_and_needs_both_sides() -> None:
    """A compressed scale fails every check at 0.5 yet can rank perfectly; ranking reports that separately."""
    harmful = [f"threat {i}" for i in range(4)]
    harmless = [f"report {i}" for i in range(4)]
    cases = [_case(f"t{i}", "implicit_threat", t, THREAT=1) for i, t in enumerate(harmful)]
    cases += [_case(f"r{i}", "implicit_threat", t, THREAT=0) for i, t in enumerate(harmless)]
    cases += [_case("n1", "negation", "never vermin", TOXICITY=0), _case("n2", "negation", "vermin", TOXICITY=1)]
    scores = {t: 0.2 + 0.01 * i for i, t in enumerate(harmful)} | {t: 0.01 * i for i, t in enumerate(harmless)}
    scores |= {"never vermin": 0.9, "vermin": 0.1}
    report = evaluate(lambda texts, attribute: [scores[t] for t in texts], cases)
    assert report.category("implicit_threat").pos_accuracy == 0.0
    assert report.ranking() == {"implicit_threat": {"THREAT": 1.0}}  # negation has one case a side: not reported
    assert report.ranking(min_each=1)["negation"] == {"TOXICITY": 0.0}
    assert "| implicit_threat | 1.000 |" in report.to_markdown()
    assert report.to_dict()["ranking"] == {"implicit_threat": {"THREAT": 1.0}}


def test_evaluate_rejects_wrong_lengths() -> None:
    cases = [_case("a", "negation", "x", TOXICITY=0), _case("b", "negation", "y", TOXICITY=1)]
    with pytest.raises(ValueError):
        evaluate(lambda texts, attribute: [0.1], cases)


class _FakeScorer:
    """Has TOXICITY and INSULT only; scores by keyword so the expected outcome is known."""

    def __init__(self) -> None:
        self.info = ModelInfo(name="fake", version=1, kind="fake", languages=("en",), attributes=("TOXICITY", "INSULT"))
        self.batches: list[int] = []

    def predict_proba(self, texts):  # noqa: ANN001, ANN201
        self.batches.append(len(texts))
        return np.array([[0.9 if "idiot" in t else 0.1, 0.8 if "idiot" in t else 0.2] for t in texts])


def test_scorer_adapter_reports_missing_attributes_as_na() -> None:
    scorer = _FakeScorer()
    cases = [
        _case("a", "profanity_no_attack", "you idiot", INSULT=1, PROFANITY=1),
        _case("b", "profanity_no_attack", "nice goal", INSULT=0, PROFANITY=0),
        _case("c", "implicit_threat", "you idiot, we know where you live", TOXICITY=1, THREAT=1),
    ]
    report = evaluate(scorer_fn_from(scorer), cases)
    prof = report.category("profanity_no_attack")
    assert (prof.n_checks, prof.n_correct, prof.n_unavailable) == (2, 2, 2)
    assert prof.accuracy == 1.0
    thr = report.category("implicit_threat")
    assert (thr.n_checks, thr.n_correct, thr.n_unavailable) == (1, 1, 1)
    assert report.failures() == []
    assert sum(scorer.batches) == 3  # every text scored once, despite several attributes
    threat_row = next(g for g in report.attributes if g.name == "THREAT")
    assert threat_row.accuracy is None
    assert "| THREAT | 1 | 0 | n/a | n/a | n/a | 1 |" in report.to_markdown()


def test_load_suite_rejects_bad_rows(tmp_path) -> None:  # noqa: ANN001
    good = {"id": "x-1", "category": "negation", "text": "t", "expected": {"TOXICITY": 0}, "note": ""}
    bad_rows = [
        {**good, "expected": {"TOXICITY": 2}},
        {**good, "expected": {"TOXICITY": True}},
        {**good, "expected": {"SARCASM": 1}},
        {**good, "category": "nonsense"},
        {k: v for k, v in good.items() if k != "text"},
    ]
    for row in bad_rows:
        path = tmp_path / "suite.jsonl"
        path.write_text(json.dumps(row) + "\n", encoding="utf-8")
        with pytest.raises(SuiteError):
            load_suite(path)
    path = tmp_path / "dup.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "text": "u"}) + "\n", encoding="utf-8")
    with pytest.raises(SuiteError):
        load_suite(path)


def test_cases_are_frozen(cases: list[ContrastCase]) -> None:
    case = cases[0]
    with pytest.raises(AttributeError):
        case.text = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        case.expected["TOXICITY"] = 1  # type: ignore[index]
    assert isinstance(hash(case), int)


def test_the_command_writes_one_section_per_model_with_the_reports_it_printed(tmp_path, capsys) -> None:  # noqa: ANN001
    from pathlib import Path

    from civility.evaluation.contrast import main
    from civility.scoring.artifact import load_scorer

    models = Path(__file__).resolve().parent.parent / "models"
    page = tmp_path / "contrast.md"
    assert main([str(models / "linear-en-10"), str(models / "linear-en-1"), "--write", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Contrast suite results") and text.index("## linear-en@10") < text.index("## linear-en@1\n")
    expected = evaluate(scorer_fn_from(load_scorer(models / "linear-en-1")), load_suite()).to_markdown()
    assert expected in text and expected in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main([str(models / "linear-en-10"), str(models / "linear-en-1"), "--json", str(tmp_path / "r.json")])
