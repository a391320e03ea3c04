"""Identity bias split by whether our written training frames name the identity: the templates' sentences are held
out, but most of their identity terms appear in our frames, so the rest are reported on their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from civility.evaluation.card import _bias_section
from civility.evaluation.run import evaluate_bias, written_frames_split
from civility.scoring.artifact import load_scorer
from civility.training.cascade import _bias_lines, bias_summary
from civility.training.written_cases import GROUPS, identity_words

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def _row(name: str, named: bool, worst: float) -> dict[str, object]:
    return {"subgroup": name, "n": 10, "subgroup_auc": 0.99, "bpsn_auc": worst, "bnsp_auc": 0.98, "named_in_written_frames": named}


def test_identity_words_are_the_lower_cased_words_of_the_written_groups() -> None:
    words = identity_words()
    assert {"armenians", "armenian", "middle", "eastern", "paralyzed", "lgbt"} <= words
    assert all(word == word.lower() for word in words)
    assert all(pair[1].split()[-1].lower() in words for pair in GROUPS)
    assert "latinx" not in words and "people" in words  # "gay people": every word of a group's names


def test_split_counts_each_part_below_the_floor() -> None:
    rows = [_row("gay", True, 0.90), _row("deaf", True, 0.97), _row("taoist", False, 0.93), _row("latinx", False, 0.80)]
    split = written_frames_split(rows)
    assert split["named"]["identities"] == ["deaf", "gay"] and split["named"]["below_floor"] == 1
    assert split["not_named"]["identities"] == ["latinx", "taoist"] and split["not_named"]["below_floor"] == 2
    assert split["not_named"]["power_mean_p-5"]["bpsn_auc"] < 0.865 < split["named"]["power_mean_p-5"]["bpsn_auc"]
    assert written_frames_split([])["named"] == {"identities": [], "power_mean_p-5": {}, "below_floor": 0}


def test_cards_show_the_split_and_say_whether_the_model_saw_the_frames() -> None:
    rows = [_row("gay", True, 0.90), _row("taoist", False, 0.93)]
    bias = {
        "n": 4, "file": "t.csv", "overall_roc_auc": 0.9, "mean_score_nontoxic": 0.1, "mean_score_toxic": 0.8,
        "per_identity": rows, "power_mean_p-5": {"subgroup_auc": 0.99, "bpsn_auc": 0.91, "bnsp_auc": 0.98},
        "by_written_frames": written_frames_split(rows),
    }
    seen = "\n".join(_bias_section(bias, {"data": {"civility-written": {}}}))
    assert "name 1 of the 2 template identities" in seen
    assert "| not named: taoist | 1 | 0.990 | 0.930 | 0.980 | 1 |" in seen
    assert "| gay | 10 | 0.990 | 0.900 | 0.980 | yes |" in seen
    unseen = "\n".join(_bias_section(bias, {"data": {"olid": {}}}))
    assert "not trained on our written frames" in unseen
    served = "\n".join(_bias_lines({"bias_as_served": bias_summary(bias)}))
    assert "as served, 1 of those and 1 of the 1 they never name (taoist) are below 0.95" in served


@pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data")
def test_a_real_evaluation_flags_every_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVILITY_EVAL_BIAS_STRIDE", "7")  # about 11,000 template sentences: seconds on the linear model
    bias = evaluate_bias(load_scorer(ROOT / "models" / "linear-en-13"), DATA)
    rows = bias["per_identity"]
    named = {row["subgroup"] for row in rows if row["named_in_written_frames"]}
    split = bias["by_written_frames"]
    assert set(split["named"]["identities"]) == named
    assert set(split["not_named"]["identities"]) == {row["subgroup"] for row in rows} - named
    assert named == {row["subgroup"] for row in rows} & identity_words()
    assert 30 < len(named) < len(rows)
    assert evaluate_bias(load_scorer(ROOT / "models" / "linear-de-1"), DATA, "de").get("by_written_frames") is None
