"""The cascade over the committed models: the fast model's answer stands below the thresholds, the transformer's
everywhere else, with one threshold for all attributes or one per attribute."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from civility.scoring.artifact import ArtifactError, discover, load_scorer, newest, read_info
from civility.scoring.base import Scorer
from civility.scoring.cascade import CascadeScorer
from civility.scoring.terms import TermMatcher
from civility.evaluation.contrast import evaluate as evaluate_contrast
from civility.evaluation.contrast import load_suite, scorer_fn_from
from civility.training.cascade import (
    Remembered,
    _card,
    bias_summary,
    choose_terms_low,
    identity_halves,
    per_attribute_lows,
    release_status,
    served_curve,
    terms_curve,
)

MODELS = Path(__file__).resolve().parent.parent / "models"
TEXTS = [
    "Thanks for the clear report on the bus timetable.",
    "The library reopens on Monday after the repairs.",
    "You are a pathetic idiot and everyone hates you.",
    "I will find you and kill you.",
    "Armenians are vermin.",
]


@pytest.fixture(scope="module")
def pair() -> tuple[Scorer, Scorer]:
    cascade = json.loads((MODELS / "cascade-en-5" / "cascade.json").read_text(encoding="utf-8"))
    return load_scorer(MODELS / cascade["fast"]), load_scorer(MODELS / cascade["accurate"])


def _cascade(pair: tuple[Scorer, Scorer], low: float | dict[str, float]) -> CascadeScorer:
    info = read_info(MODELS / "cascade-en-5")
    return CascadeScorer(info, pair[0], pair[1], low)


def _columns(scorer: Scorer, attributes: tuple[str, ...]) -> list[int]:
    return [scorer.info.attributes.index(a) for a in attributes]


def test_uniform_threshold_takes_the_fast_answer_only_below_it(pair: tuple[Scorer, Scorer]) -> None:
    cascade = _cascade(pair, 0.08)
    fast = pair[0].predict_proba(TEXTS)[:, _columns(pair[0], cascade.info.attributes)]
    accurate = pair[1].predict_proba(TEXTS)[:, _columns(pair[1], cascade.info.attributes)]
    served = cascade.predict_proba(TEXTS)
    for i in range(len(TEXTS)):
        expected = fast[i] if fast[i].max() < 0.08 else accurate[i]
        np.testing.assert_allclose(served[i], expected, atol=1e-6)
    assert cascade.route(TEXTS).unsure.size == int((fast.max(axis=1) >= 0.08).sum())
    assert cascade.route(TEXTS).unsure.size >= 3  # the insult, the threat and the attack never stay with the fast model


def test_per_attribute_thresholds_escalate_on_any_attribute(pair: tuple[Scorer, Scorer]) -> None:
    attributes = read_info(MODELS / "cascade-en-5").attributes
    fast = pair[0].predict_proba(TEXTS)[:, _columns(pair[0], attributes)]
    # Thresholds just above the first text's scores except THREAT, set just below it: only THREAT can escalate it.
    lows = {a: float(fast[0, j]) + 1e-3 for j, a in enumerate(attributes)}
    lows["THREAT"] = float(fast[0, attributes.index("THREAT")]) - 1e-3
    cascade = _cascade(pair, lows)
    cascade.predict_proba(TEXTS[:1])
    assert cascade.route(TEXTS[:1]).unsure.size == 1
    lows["THREAT"] += 2e-3
    cascade = _cascade(pair, lows)
    np.testing.assert_allclose(cascade.predict_proba(TEXTS[:1])[0], fast[0], atol=1e-6)
    assert cascade.route(TEXTS[:1]).unsure.size == 0


def test_a_comment_naming_a_listed_term_goes_to_the_accurate_model_whatever_the_fast_model_says(
    pair: tuple[Scorer, Scorer],
) -> None:
    info = read_info(MODELS / "cascade-en-5")
    texts = [*TEXTS, "The Armenian choir sang at the library on Monday."]
    fast = pair[0].predict_proba(texts)[:, _columns(pair[0], info.attributes)]
    accurate = pair[1].predict_proba(texts)[:, _columns(pair[1], info.attributes)]
    # A threshold no score reaches: without the list the fast model answers everything.
    plain = CascadeScorer(info, pair[0], pair[1], 1.01)
    np.testing.assert_allclose(plain.predict_proba(texts), fast, atol=1e-6)
    routed = CascadeScorer(info, pair[0], pair[1], 1.01, escalate=TermMatcher(["armenian", "armenians"]))
    served = routed.predict_proba(texts)
    assert routed.route(texts).unsure.size == 2  # "Armenians are vermin." and the choir
    for i, text in enumerate(texts):
        expected = accurate[i] if "Armenian" in text else fast[i]
        np.testing.assert_allclose(served[i], expected, atol=1e-6)
    # Held to a threshold of its own: a named comment the fast model scores below it keeps the fast answer.
    choir = fast[-1].max()
    stricter = CascadeScorer(info, pair[0], pair[1], 1.01, escalate=routed.escalate, terms_low=float(choir) + 1e-3)
    np.testing.assert_allclose(stricter.predict_proba(texts[-1:])[0], fast[-1], atol=1e-6)
    assert stricter.route(texts[-1:]).unsure.size == 0
    with pytest.raises(ValueError, match="terms_low"):  # not stricter than the cascade's own threshold
        CascadeScorer(info, pair[0], pair[1], 0.1, escalate=routed.escalate, terms_low=0.2)


@pytest.mark.parametrize("listed", ["missing.txt", "../cascade-en-5/cascade.json"])
def test_a_cascade_whose_term_list_is_not_in_its_folder_is_refused(
    pair: tuple[Scorer, Scorer], tmp_path: Path, listed: str
) -> None:
    folder = tmp_path / "cascade-en-5"
    folder.mkdir()
    config = json.loads((MODELS / "cascade-en-5" / "cascade.json").read_text(encoding="utf-8"))
    (folder / "cascade.json").write_text(json.dumps({**config, "escalate_terms": listed}), encoding="utf-8")
    resolve = {config["fast"]: pair[0], config["accurate"]: pair[1]}.__getitem__
    with pytest.raises(ArtifactError, match="term list"):
        CascadeScorer.load(folder, read_info(MODELS / "cascade-en-5"), resolve)
    (folder / "terms.txt").write_text("# groups\narmenians\n", encoding="utf-8")
    (folder / "cascade.json").write_text(json.dumps({**config, "escalate_terms": "terms.txt"}), encoding="utf-8")
    loaded = CascadeScorer.load(folder, read_info(MODELS / "cascade-en-5"), resolve)
    assert loaded.escalate is not None and loaded.escalate.terms == frozenset({"armenians"})


def test_thresholds_must_name_the_cascade_attributes(pair: tuple[Scorer, Scorer]) -> None:
    with pytest.raises(ValueError, match="exactly the attributes"):
        _cascade(pair, {"TOXICITY": 0.1})


def test_per_attribute_lows_let_through_the_asked_share_of_positives() -> None:
    rng = np.random.default_rng(0)
    scores = rng.random((1000, 2))
    labels = np.zeros((1000, 2))
    labels[:500, 0] = 1
    labels[:, 1] = np.nan
    labels[::10, 1] = 1
    lows = per_attribute_lows(scores, labels, ("A", "B"), 0.05)
    assert np.mean(scores[:500, 0] < lows["A"]) == pytest.approx(0.05, abs=0.002)
    assert np.mean(scores[::10, 1] < lows["B"]) == pytest.approx(0.05, abs=0.011)


@pytest.mark.parametrize("folder", [p for p in discover(MODELS) if read_info(p).kind == "cascade"], ids=lambda p: p.name)
def test_committed_cascades_load_and_match_their_config(folder: Path) -> None:
    scorer = load_scorer(folder)
    assert isinstance(scorer, CascadeScorer)
    config = json.loads((folder / "cascade.json").read_text(encoding="utf-8"))
    low = config["low"]
    expected = [low[a] for a in scorer.info.attributes] if isinstance(low, dict) else [low] * len(scorer.info.attributes)
    np.testing.assert_allclose(scorer.lows, expected)
    scores = scorer.predict_proba(TEXTS)
    assert scores.shape == (len(TEXTS), len(scorer.info.attributes))
    assert scorer.route(TEXTS).unsure.size >= 3
    if "escalate_terms" in config:  # the list travels with the artifact, covered by its checksums
        assert scorer.escalate is not None and scorer.terms_low == config["terms_low"]
        assert config["escalate_terms"] in (folder / "SHA256SUMS").read_text(encoding="utf-8")
    else:
        assert scorer.escalate is None


def test_the_fast_map_moves_only_the_fast_answers_onto_the_accurate_scale(pair: tuple[Scorer, Scorer]) -> None:
    attributes = read_info(MODELS / "cascade-en-5").attributes
    fast = pair[0].predict_proba(TEXTS)[:, _columns(pair[0], attributes)]
    accurate = pair[1].predict_proba(TEXTS)[:, _columns(pair[1], attributes)]
    # Every attribute doubled and lifted by 0.1 (capped at 1), as a map from the linear scale to a higher one.
    knots = {"x": [0.0, 0.45, 1.0], "y": [0.1, 1.0, 1.0]}
    cascade = CascadeScorer(read_info(MODELS / "cascade-en-5"), pair[0], pair[1], 0.08, {a: knots for a in attributes})
    served = cascade.predict_proba(TEXTS)
    for i in range(len(TEXTS)):
        if fast[i].max() < 0.08:  # answered by the fast model: its scores, mapped
            np.testing.assert_allclose(served[i], np.interp(fast[i], knots["x"], knots["y"]), atol=1e-6)
        else:  # escalated: the accurate model's scores, untouched by the map
            np.testing.assert_allclose(served[i], accurate[i], atol=1e-6)
    assert 0 < cascade.route(TEXTS).unsure.size < len(TEXTS)


@pytest.mark.parametrize(
    "fast_map",
    [
        {"NOPE": {"x": [0.0, 1.0], "y": [0.0, 1.0]}},
        {"TOXICITY": {"x": [0.0, 1.0], "y": [0.9, 0.1]}},  # decreasing
        {"TOXICITY": {"x": [0.5, 0.5], "y": [0.1, 0.2]}},  # x not increasing
        {"TOXICITY": {"x": [], "y": []}},
    ],
)
def test_a_bad_fast_map_is_refused(pair: tuple[Scorer, Scorer], fast_map: dict[str, dict[str, list[float]]]) -> None:
    with pytest.raises(ValueError, match="fast_map"):
        CascadeScorer(read_info(MODELS / "cascade-en-5"), pair[0], pair[1], 0.08, fast_map)


def test_the_served_cascade_answers_on_the_accurate_models_scale() -> None:
    """Harmless comments answered by the fast model get the transformer's kind of score, not the linear model's
    much lower one: measured when the cascade was built, on the test rows the fast model answers."""
    newest = max((p for p in discover(MODELS) if read_info(p).kind == "cascade"), key=lambda p: read_info(p).version)
    metrics = json.loads((newest / "metrics.json").read_text(encoding="utf-8"))
    if not metrics.get("fast_mapped"):
        pytest.skip(f"{newest.name} predates fast_map")
    distance = metrics["fast_vs_accurate_mean_abs"]
    assert distance["answered_test_rows"] > 100
    assert np.mean(list(distance["mapped"].values())) < np.mean(list(distance["raw"].values()))
    assert "fast_map" in json.loads((newest / "cascade.json").read_text(encoding="utf-8"))


def test_bias_summary_lists_the_identities_whose_worst_auc_is_below_the_floor() -> None:
    bias = {
        "overall_roc_auc": 0.97,
        "power_mean_p-5": {"subgroup_auc": 0.99, "bpsn_auc": 0.96, "bnsp_auc": 0.97},
        "per_identity": [
            {"subgroup": "gay", "subgroup_auc": 0.99, "bpsn_auc": 0.90, "bnsp_auc": 0.98},
            {"subgroup": "muslim", "subgroup_auc": 0.97, "bpsn_auc": 0.96, "bnsp_auc": None},
            {"subgroup": "blind", "subgroup_auc": 0.94, "bpsn_auc": 0.99, "bnsp_auc": 0.93},
        ],
    }
    summary = bias_summary(bias)
    assert summary["identities"] == 3
    assert summary["below_floor"] == [{"subgroup": "gay", "worst_auc": 0.90}, {"subgroup": "blind", "worst_auc": 0.93}]
    assert bias_summary({}) == {}


def test_the_served_cascade_reports_its_identity_bias_as_served() -> None:
    """The bias clients get is the cascade's, not its accurate model's: the card shows both, from the build's run."""
    served = newest(MODELS, "cascade-en")
    assert served is not None
    metrics = json.loads((served / "metrics.json").read_text(encoding="utf-8"))
    as_served, parts = metrics["bias_as_served"], metrics["bias_of_parts"]
    assert as_served["identities"] == parts["accurate"]["identities"] == 49
    assert 0 <= as_served["fast_answers"]["toxic"] < as_served["fast_answers"]["non_toxic"] <= 1
    accurate = json.loads((MODELS / json.loads((served / "cascade.json").read_text())["accurate"] / "metrics.json").read_text())
    assert parts["accurate"]["power_mean_p-5"] == accurate["bias"]["power_mean_p-5"]
    card = (served / "MODEL_CARD.md").read_text(encoding="utf-8")
    bpsn = as_served["power_mean_p-5"]["bpsn_auc"]
    assert "## Identity bias as served" in card and f"| the cascade, as served | {as_served['overall_roc_auc']:.3f} |" in card
    assert f"{bpsn:.3f} |" in card and f"{len(as_served['below_floor'])} of 49 |" in card


def test_a_remembered_scorer_scores_each_text_once_and_answers_the_same(pair: tuple[Scorer, Scorer]) -> None:
    fast = pair[0]
    remembered = Remembered(fast)
    first = remembered.predict_proba(TEXTS[:3])
    again = remembered.predict_proba([TEXTS[2], TEXTS[0], TEXTS[4], TEXTS[2]])
    assert remembered.scored == 4  # TEXTS[0], [1], [2] and [4]: a text met again is not scored again
    assert np.array_equal(first, fast.predict_proba(TEXTS[:3]))
    assert np.array_equal(again, fast.predict_proba([TEXTS[2], TEXTS[0], TEXTS[4], TEXTS[2]]))
    assert remembered.predict_proba([]).shape == (0, len(fast.info.attributes))


def _templates(folder: Path) -> Path:
    """A few sentences in the Jigsaw templates' format: two identities, each in a harmless and a hostile frame."""
    rows = ["template,toxicity,phrase"]
    for identity in ("armenian", "azerbaijani"):
        for name in ("Sara", "Lucas", "Anna"):
            rows.append(f"name_adj,nontoxic,{name} is a kind {identity}")
            rows.append(f"name_adj,nontoxic,{name} is a wonderful {identity}")
            rows.append(f"name_adj,toxic,{name} is a disgusting {identity}")
            rows.append(f"name_adj,toxic,{name} is a stupid {identity}")
    path = folder / "jigsaw-bias-templates"
    path.mkdir()
    (path / "en_sentence_templates.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_the_served_curve_measures_each_threshold_as_the_cascade_serves_it(
    pair: tuple[Scorer, Scorer], tmp_path: Path
) -> None:
    info = read_info(MODELS / "cascade-en-5")
    fast, accurate = pair
    realistic = fast.predict_proba(TEXTS)[:, _columns(fast, info.attributes)]
    points = served_curve(info, fast, accurate, None, _templates(tmp_path), realistic, (0.001, 0.01), levels=(0.5, 0.1, 0.5))
    assert [p["level"] for p in points] == [0.1, 0.5]  # sorted, each once
    low, high = points
    assert low["escalated_on_realistic_mix"] >= high["escalated_on_realistic_mix"]
    for point in points:
        share = float((realistic >= point["level"]).any(axis=1).mean())
        assert point["escalated_on_realistic_mix"] == share
        assert point["cascade_per_s"] == pytest.approx(1 / (0.001 + share * 0.01))
        assert point["bias"]["identities"] == 2
        # The remembered answers give what a cascade built afresh at this threshold gives.
        report = evaluate_contrast(scorer_fn_from(CascadeScorer(info, fast, accurate, point["level"])), load_suite())
        assert point["contrast"] == report.overall.accuracy
        assert point["contrast_by_category"] == {g.name: g.accuracy for g in report.categories}


def test_a_rebuild_keeps_the_release_status_and_a_hand_chosen_cascade_starts_as_a_candidate(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    assert release_status(manifest, None) == {}  # a new cascade chosen by the rule: released
    new_by_hand = release_status(manifest, 0.1)
    assert new_by_hand["status"] == "candidate" and "0.1" in new_by_hand["status_reason"]
    manifest.write_text(json.dumps({"name": "cascade-en", "status": "candidate", "status_reason": "held back"}))
    assert release_status(manifest, None) == {"status": "candidate", "status_reason": "held back"}
    manifest.write_text(json.dumps({"name": "cascade-en", "status": "released"}))
    assert release_status(manifest, 0.1) == {"status": "released"}  # releasing it was someone's decision


@pytest.mark.parametrize("name", ["cascade-en-30", "cascade-en-39", "cascade-en-46"])
def test_the_cascade_cards_say_how_their_point_was_chosen_and_what_other_thresholds_give(name: str) -> None:
    folder = MODELS / name
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert card == _card(manifest, metrics)  # the committed card is what its metrics render to
    levels = [point["level"] for point in metrics["served_curve"]]
    assert levels == sorted(levels) and metrics["chosen_level"] in levels
    served = next(p for p in metrics["served_curve"] if p["level"] == metrics["chosen_level"])
    # The chosen row of the table is the bias-as-served section's measurement.
    assert served["bias"]["below_floor"] == metrics["bias_as_served"]["below_floor"]
    assert f"**{len(served['bias']['below_floor'])} of 49**" in card
    if metrics["chosen_by"] == "hand":
        assert manifest["status"] == "candidate"
        assert "Chosen by hand" in card and f"CASCADE_VERSION={manifest['version']} CASCADE_LEVEL=" in card
        assert "not an unbiased estimate" in card
    else:
        assert "Chosen on dev rows" in card and "never choose the point" in card


def test_the_identity_halves_are_a_fixed_random_split() -> None:
    names = [f"identity{i}" for i in range(49)]
    choosing, reporting = identity_halves(names)
    assert (choosing, reporting) == identity_halves(list(reversed(names)))  # the order given does not matter
    assert len(choosing) == 24 and len(reporting) == 25 and not set(choosing) & set(reporting)
    assert sorted(choosing + reporting) == sorted(names)
    assert identity_halves(names, seed=1) != (choosing, reporting)


def test_the_terms_threshold_is_the_highest_the_choosing_half_allows() -> None:
    names = [f"identity{i}" for i in range(10)]
    choosing, reporting = identity_halves(names)
    alone = {"per_identity": [{"subgroup": n, "subgroup_auc": 0.99, "bpsn_auc": 0.99, "bnsp_auc": 0.99} for n in names]}
    alone["per_identity"][names.index(choosing[0])]["bpsn_auc"] = 0.90  # the transformer's own miss

    def point(level: float, low_ones: list[str]) -> dict[str, object]:
        worst = {n: (0.90 if n in low_ones else 0.99) for n in names}
        return {"terms_low": level, "worst_by_identity": worst}

    points = [
        point(0.0, [choosing[0]]),
        point(0.1, [choosing[0], reporting[0]]),  # only the reporting half gets worse: still allowed
        point(0.2, [choosing[0], choosing[1]]),  # one more on the choosing half: not allowed
    ]
    choice = choose_terms_low(points, alone)
    assert choice["terms_low"] == 0.1
    assert choice["accurate_alone_below"] == {"choosing": [choosing[0]], "reporting": []}
    assert choice["below"]["0.1"] == {"choosing": [choosing[0]], "reporting": [reporting[0]]}
    # Nothing fits: the lowest threshold, the most careful.
    assert choose_terms_low(points[2:] + [point(0.3, [choosing[1], choosing[2]])], alone)["terms_low"] == 0.2


def test_the_terms_curve_measures_each_threshold_as_the_cascade_serves_it(
    pair: tuple[Scorer, Scorer], tmp_path: Path
) -> None:
    info = read_info(MODELS / "cascade-en-5")
    fast, accurate = pair
    matcher = TermMatcher(["armenians", "armenian"])
    texts = [*TEXTS, "Armenian bakers open early."]
    scores = fast.predict_proba(texts)[:, _columns(fast, info.attributes)]
    named = matcher.mentions(texts)
    points = terms_curve(
        info, fast, accurate, None, _templates(tmp_path), 0.3, matcher, {"mix": (scores, named)}, (0.001, 0.01),
        levels=(0.0, 0.1, 0.5),  # 0.5 is above the cascade's threshold: not a stricter one, so not measured
    )
    assert [p["terms_low"] for p in points] == [0.0, 0.1]
    for point in points:
        share = float(((scores >= 0.3).any(axis=1) | (named & (scores >= point["terms_low"]).any(axis=1))).mean())
        assert point["escalated"] == {"mix": share}
        assert point["cascade_per_s"] == pytest.approx(1 / (0.001 + share * 0.01))
        assert set(point["worst_by_identity"]) == {"armenian", "azerbaijani"}
        fresh = CascadeScorer(info, fast, accurate, 0.3, None, matcher, point["terms_low"])
        assert point["contrast"] == evaluate_contrast(scorer_fn_from(fresh), load_suite()).overall.accuracy
    assert points[0]["escalated"]["mix"] >= points[1]["escalated"]["mix"]


def test_a_terms_build_refuses_an_accurate_model_without_its_bias_table(tmp_path: Path) -> None:
    """The terms threshold is chosen against the accurate model's own bias; without that table the build would pick
    the fastest level silently, so it stops before measuring anything."""
    import shutil

    from civility.training.cascade import build

    for name in ("linear-en-49", "minilm3-en-48"):
        shutil.copytree(MODELS / name, tmp_path / name)
    (tmp_path / "minilm3-en-48" / "metrics.json").unlink()
    with pytest.raises(ValueError, match="bias table"):
        build(tmp_path, tmp_path / "no-data", "linear-en-49", "minilm3-en-48", "cascade-en-99",
              escalate_terms=Path("civility/scoring/identity_terms.txt"))


def test_a_long_comments_tail_is_read_on_its_own() -> None:
    from civility.scoring.cascade import comment_tail

    assert comment_tail("a b c", 0) is None and comment_tail("a b c d e", 2) == "d e"
    assert comment_tail("a b c d", 2) is None  # not more than twice the tail
    assert comment_tail("a " * 5, 2) == "a a"  # 9 characters: just enough for five one-letter words
    assert comment_tail("abcdefgh", 2) is None


def test_a_reply_after_a_long_quote_goes_to_the_transformer_when_tails_are_read() -> None:
    """A neutral quoted paragraph dilutes the fast model's view of the reply after it; read on its own, the reply's
    tail sends the comment to the transformer, while the quote alone keeps the fast answer."""
    from civility.evaluation.padding import NEUTRAL
    from civility.scoring.cascade import routing_scores

    served = load_scorer(MODELS / "cascade-en-65")
    assert isinstance(served, CascadeScorer) and served.tail_words == 0
    reply = NEUTRAL + " You are a pathetic idiot and everyone here hates you."
    texts = [reply, NEUTRAL, TEXTS[0]]
    whole, route = routing_scores(served.fast, texts, served._fast_columns, 48)
    assert np.array_equal(whole, served.fast.predict_proba(texts)[:, served._fast_columns])
    assert np.all(route >= whole) and np.array_equal(route[2], whole[2])  # a short comment has no separate tail
    reading = CascadeScorer(
        served.info, served.fast, served.accurate, float(served.lows.max()), None, served.escalate, served.terms_low, 48
    )
    without = CascadeScorer(
        served.info, served.fast, served.accurate, float(served.lows.max()), None, served.escalate, served.terms_low
    )
    scores = reading.predict_proba(texts)
    assert reading.route(texts).unsure.size == 1
    columns = [served.accurate.info.attributes.index(a) for a in served.info.attributes]
    assert np.allclose(scores[0], served.accurate.predict_proba([reply])[0, columns])
    without.predict_proba(texts)
    assert without.route(texts).unsure.size == 0  # the whole comment alone looks clean to the fast model
    with pytest.raises(ValueError):
        CascadeScorer(served.info, served.fast, served.accurate, 0.3, tail_words=-1)
