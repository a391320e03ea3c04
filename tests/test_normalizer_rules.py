"""Each artifact normalises with the rule set it was trained with, so a pinned version's scores never move when the
normaliser improves (a better normaliser reaches clients as a new version)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from civility.scoring.artifact import load_scorer, read_info, write_checksums
from civility.text.normalize import RULES, normalize

MODELS = Path(__file__).resolve().parent.parent / "models"
OBFUSCATED = ["what a st00pid r3f", "уоu are a dоре", "go h0me l00ser"]


def _with_rules(tmp_path: Path, name: str, rules: int) -> Path:
    copy = tmp_path / name
    shutil.copytree(MODELS / name, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["normalizer_rules"] = rules
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    write_checksums(copy)
    return copy


def test_a_manifest_without_rules_means_the_first_set() -> None:
    assert read_info(MODELS / "linear-en-13").normalizer_rules == 1
    assert RULES >= 2


@pytest.mark.parametrize("name", ["linear-en-13", "minilm3-en-20"])
def test_a_scorer_reads_text_with_its_own_rules(tmp_path: Path, name: str) -> None:
    old, new = load_scorer(MODELS / name), load_scorer(_with_rules(tmp_path, name, RULES))
    assert new.info.normalizer_rules == RULES
    # Under the current rules the obfuscated text reads as its plain spelling; the first rules leave it alone.
    plain = [normalize(text) for text in OBFUSCATED]
    assert plain == ["what a stoopid ref", "you are a dope", "go home looser"]
    assert np.allclose(new.predict_proba(OBFUSCATED), old.predict_proba(plain), atol=1e-6)
    assert np.allclose(old.predict_proba(OBFUSCATED), old.predict_proba([normalize(t, 1) for t in OBFUSCATED]), atol=1e-6)
    assert not np.allclose(old.predict_proba(OBFUSCATED), new.predict_proba(OBFUSCATED), atol=1e-3)


def test_renormalise_publishes_the_weights_again_as_a_candidate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from civility.cli import app

    models = tmp_path / "models"
    shutil.copytree(MODELS / "linear-en-13", models / "linear-en-13")
    monkeypatch.setenv("CIVILITY_MODELS_DIR", str(models))
    runner = CliRunner()
    result = runner.invoke(app, ["models", "renormalise", "linear-en-13", "30"])
    assert result.exit_code == 0, result.output
    copy = models / "linear-en-30"
    info = read_info(copy)
    assert (info.label, info.normalizer_rules, info.candidate) == ("linear-en@30", RULES, True)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["derived_from"] == "linear-en@13" and f"renormalise linear-en-13 30 --rules {RULES}" in manifest["training_command"]
    assert (copy / "linear_weights.npz").read_bytes() == (MODELS / "linear-en-13" / "linear_weights.npz").read_bytes()
    assert not (copy / "MODEL_CARD.md").exists()  # stale until evaluated
    load_scorer(copy)  # checksums written
    assert runner.invoke(app, ["models", "renormalise", "linear-en-13", "30"]).exit_code != 0  # never overwritten
    assert "newer" in runner.invoke(app, ["models", "renormalise", "linear-en-13", "12"]).output
    other = models / "other-en-31"
    other.mkdir()
    (other / "manifest.json").write_text(
        json.dumps({"name": "other-en", "version": 31, "kind": "linear", "languages": ["en"], "attributes": ["TOXICITY"]}),
        encoding="utf-8",
    )
    taken = runner.invoke(app, ["models", "renormalise", "linear-en-13", "31"])
    assert taken.exit_code != 0 and "taken by other-en-31" in taken.output  # a pin ATTR@31 must name one model


def test_committed_copies_hold_their_sources_weights_and_the_served_cascade_reads_with_the_current_rules() -> None:
    from civility.scoring.artifact import discover, newest
    from civility.scoring.cascade import CascadeScorer

    derived = [folder for folder in discover(MODELS) if "derived_from" in json.loads((folder / "manifest.json").read_text())]
    assert derived
    for folder in derived:
        name, version = json.loads((folder / "manifest.json").read_text())["derived_from"].split("@")
        source = MODELS / f"{name}-{version}"
        for weights in ("model.onnx", "linear_weights.npz", "calibration.json", "linear.json", "tokenizer.json"):
            if (source / weights).exists():
                assert (folder / weights).read_bytes() == (source / weights).read_bytes(), (folder.name, weights)
    served = newest(MODELS, "cascade-en")
    assert served is not None
    cascade = load_scorer(served)
    assert isinstance(cascade, CascadeScorer)
    assert cascade.fast.info.normalizer_rules == cascade.accurate.info.normalizer_rules == RULES
    # The attributes the cascade does not serve (SEXUALLY_EXPLICIT, SPAM) go to the newest released transformer: the
    # cascade's own, so the server holds one copy of it and reads every attribute with the same rules.
    accurate = newest(MODELS, cascade.accurate.info.name)
    assert accurate is not None and read_info(accurate).label == cascade.accurate.info.label
