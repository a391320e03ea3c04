"""A transformer published with a token window reads a long text's first and last tokens, and a short text exactly
as its source does (models/minilm3-en-64 is minilm3-en-48's weights with a 64 + 64 window)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from civility.scoring.artifact import ArtifactError, load_scorer, read_info, write_checksums  # noqa: E402
from civility.scoring.onnx import OnnxScorer, TokenWindow  # noqa: E402

MODELS = Path(__file__).resolve().parent.parent / "models"
# About 330 tokens of neutral news prose: longer than both 128 and 256 tokens.
FILLER = (
    "The council met on Tuesday to discuss the budget for the new library, the repairs to the bridge on the river "
    "road and the timetable of the school buses. "
) * 10
OPENING = "I read the article twice before writing this. "


def _scorer(name: str) -> OnnxScorer:
    scorer = load_scorer(MODELS / name)
    assert isinstance(scorer, OnnxScorer)
    return scorer


def test_the_window_keeps_both_ends_and_leaves_short_texts_alone() -> None:
    window = TokenWindow(head=3, tail=2)
    assert window.size == 5
    assert window.cut(range(10)) == [0, 1, 2, 8, 9]
    assert window.cut([1, 2, 3, 4, 5]) == [1, 2, 3, 4, 5]
    assert window.cut([]) == []
    with pytest.raises(ValueError):
        TokenWindow(head=4, tail=0)  # [SEP] must stay
    assert TokenWindow.from_manifest({"name": "x"}) is None
    assert TokenWindow.from_manifest({"token_window": {"head": 64, "tail": 64}}) == TokenWindow(64, 64)
    with pytest.raises(ValueError):
        TokenWindow.from_manifest({"token_window": 128})


def test_the_windowed_model_reads_a_long_texts_end_and_skips_its_middle() -> None:
    source, windowed = _scorer("minilm3-en-48"), _scorer("minilm3-en-64")
    assert windowed.window == TokenWindow(64, 64) and source.window is None
    attack = OPENING + FILLER + "You are a disgusting idiot and everyone here despises you."
    thanks = OPENING + FILLER + "Thank you for the careful and balanced reporting."
    # The source reads the first 256 tokens only: the two endings are invisible to it.
    assert np.array_equal(source.predict_proba([attack]), source.predict_proba([thanks]))
    ends = windowed.predict_proba([attack, thanks])
    assert not np.allclose(ends[0], ends[1], atol=1e-3)
    insult = windowed.info.attributes.index("INSULT")
    assert ends[0, insult] > ends[1, insult]
    # Same start, same end, another middle: the window reads the same tokens.
    half = FILLER[: len(FILLER) // 2]
    thanks_again = OPENING + half + "The mayor did not answer. " + half + "Thank you for the careful and balanced reporting."
    other_middle = thanks_again.replace("The mayor did not answer.", "The mayor is a liar and a crook.")
    middles = windowed.predict_proba([thanks_again, other_middle])
    assert np.array_equal(middles[0], middles[1])
    assert not np.allclose(*source.predict_proba([thanks_again, other_middle]), atol=1e-3)  # inside the source's 256


def test_a_text_inside_the_window_scores_exactly_as_in_the_source() -> None:
    source, windowed = _scorer("minilm3-en-48"), _scorer("minilm3-en-64")
    texts = [
        "The mercenaries should be killed a thousand times and fed to wild dogs.",
        "France's president is Emmanuel Macron, not François Macron.",
        OPENING * 10,  # about 100 tokens
    ]
    assert np.array_equal(source.predict_proba(texts), windowed.predict_proba(texts))


def test_a_bad_window_in_a_manifest_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "minilm3-en-64"
    shutil.copytree(MODELS / "minilm3-en-64", copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["token_window"] = {"head": 64, "tail": 0}
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    write_checksums(copy)
    with pytest.raises(ArtifactError, match="token_window"):
        load_scorer(copy)
    manifest["token_window"] = {"head": 200, "tail": 100}  # wider than the 256 tokens its tokenizer truncates at
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    write_checksums(copy)
    with pytest.raises(ArtifactError, match="wider"):
        load_scorer(copy)


def test_the_window_command_publishes_the_weights_again_as_a_candidate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from civility.cli import app

    models = tmp_path / "models"
    shutil.copytree(MODELS / "minilm3-en-48", models / "minilm3-en-48")
    shutil.copytree(MODELS / "linear-en-49", models / "linear-en-49")
    monkeypatch.setenv("CIVILITY_MODELS_DIR", str(models))
    runner = CliRunner()
    result = runner.invoke(app, ["models", "window", "minilm3-en-48", "70", "--head", "40", "--tail", "24"])
    assert result.exit_code == 0, result.output
    copy = models / "minilm3-en-70"
    info = read_info(copy)
    assert (info.label, info.candidate, info.normalizer_rules) == ("minilm3-en@70", True, 4)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["token_window"] == {"head": 40, "tail": 24} and manifest["derived_from"] == "minilm3-en@48"
    assert "window minilm3-en-48 70 --head 40 --tail 24" in manifest["training_command"]
    for name in ("model.onnx", "tokenizer.json", "calibration.json"):
        assert (copy / name).read_bytes() == (MODELS / "minilm3-en-48" / name).read_bytes()
    assert not (copy / "MODEL_CARD.md").exists()  # stale until evaluated
    scorer = load_scorer(copy)
    assert isinstance(scorer, OnnxScorer) and scorer.window == TokenWindow(40, 24)
    assert runner.invoke(app, ["models", "window", "minilm3-en-48", "70"]).exit_code != 0  # never overwritten
    refused = runner.invoke(app, ["models", "window", "linear-en-49", "71"])
    assert refused.exit_code != 0 and "onnx" in refused.output  # a linear model reads no tokens
    wide = runner.invoke(app, ["models", "window", "minilm3-en-48", "72", "--head", "200", "--tail", "100"])
    assert wide.exit_code != 0 and "wider" in wide.output
