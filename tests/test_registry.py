"""Which models sit in memory: the defaults of the preloaded languages at start, everything else on first use."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from civility.scoring.artifact import ArtifactError, load_scorer
from civility.scoring.lazy import LazyScorer
from civility.scoring.registry import ModelRegistry

MODELS = Path(__file__).resolve().parent.parent / "models"


@pytest.fixture()
def models(tmp_path: Path) -> Path:
    for name in ("linear-en-1", "linear-de-1"):
        shutil.copytree(MODELS / name, tmp_path / name)
    return tmp_path


def _scorer(registry: ModelRegistry, language: str) -> LazyScorer:
    resolved = registry.resolve("TOXICITY", language)
    assert resolved is not None and isinstance(resolved.scorer, LazyScorer)
    return resolved.scorer


def test_only_preloaded_languages_load_at_start(models: Path) -> None:
    registry = ModelRegistry.from_dir(models, preload_languages=["en"])
    english, german = _scorer(registry, "en"), _scorer(registry, "de")
    assert english.loaded and not german.loaded
    assert registry.coverage()["TOXICITY"] == {"de": [1], "en": [1]}  # listed all the same

    text = ["Du bist ein Idiot", "Danke für den Artikel"]
    scores = german.predict_proba(text)
    assert german.loaded
    np.testing.assert_array_equal(scores, load_scorer(models / "linear-de-1").predict_proba(text))


def test_star_and_none_preload_everything(models: Path) -> None:
    for preload in (["*"], None):
        registry = ModelRegistry.from_dir(models, preload_languages=preload)
        assert _scorer(registry, "de").loaded and _scorer(registry, "en").loaded


def test_concurrent_first_requests_load_once(models: Path) -> None:
    calls: list[Path] = []

    def loader(folder: Path):
        calls.append(folder)
        return load_scorer(folder, verify=False)

    lazy = LazyScorer(models / "linear-de-1", loader=loader)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: lazy.predict_proba(["Halt die Klappe"]), range(16)))
    assert len(calls) == 1
    assert all(np.array_equal(results[0], r) for r in results)


def test_a_damaged_artifact_fails_at_start_not_at_first_use(models: Path) -> None:
    weights = models / "linear-de-1" / "linear_weights.npz"
    weights.write_bytes(weights.read_bytes()[:-10])
    with pytest.raises(ArtifactError, match="checksum"):
        ModelRegistry.from_dir(models, preload_languages=["en"])


def test_a_candidate_answers_only_requests_that_pin_it(models: Path) -> None:
    from civility.scoring.artifact import newest, set_status

    shutil.copytree(MODELS / "linear-en-10", models / "linear-en-10")
    set_status(models / "linear-en-10", "candidate", reason="tried on a pin first")
    card = (models / "linear-en-10" / "MODEL_CARD.md").read_text(encoding="utf-8").splitlines()
    assert card[2].startswith("- Status: **candidate**") and card[2].endswith("Why: tried on a pin first")
    registry = ModelRegistry.from_dir(models, preload_languages=["en"])
    unpinned, pinned = registry.resolve("TOXICITY", "en"), registry.resolve("TOXICITY", "en", 10)
    assert unpinned is not None and unpinned.scorer.info.label == "linear-en@1"
    assert pinned is not None and pinned.scorer.info.label == "linear-en@10"
    assert [s.info.label for s in registry.scorers if s.info.candidate] == ["linear-en@10"]
    assert sorted(s.info.label for s in registry.defaults()) == ["linear-de@1", "linear-en@1"]
    assert registry.coverage()["TOXICITY"]["en"] == [1, 10]  # the pin is listed as reachable
    assert newest(models, "linear-en") == models / "linear-en-1"
    assert newest(models, "linear-en", candidates=True) == models / "linear-en-10"

    set_status(models / "linear-en-10", "released")  # released: newest again, and its checksums still hold
    assert "- Status:" not in (models / "linear-en-10" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert (models / "linear-en-10" / "MODEL_CARD.md").read_text(encoding="utf-8") == (
        MODELS / "linear-en-10" / "MODEL_CARD.md"
    ).read_text(encoding="utf-8")
    registry = ModelRegistry.from_dir(models, preload_languages=[])
    unpinned = registry.resolve("TOXICITY", "en")
    assert unpinned is not None and unpinned.scorer.info.label == "linear-en@10"
    assert not any(s.info.candidate for s in registry.scorers)
    load_scorer(models / "linear-en-10")


def test_changing_a_status_refuses_a_damaged_artifact_or_an_unknown_status(models: Path) -> None:
    from civility.scoring.artifact import set_status

    with pytest.raises(ArtifactError, match="status must be"):
        set_status(models / "linear-en-1", "beta")
    config = models / "linear-en-1" / "linear.json"
    config.write_text(config.read_text(encoding="utf-8") + " ", encoding="utf-8")
    with pytest.raises(ArtifactError, match="checksum"):
        set_status(models / "linear-en-1", "candidate")
    assert '"status"' not in (models / "linear-en-1" / "manifest.json").read_text(encoding="utf-8")


def test_the_models_command_lists_and_changes_status(models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from civility.cli import app

    monkeypatch.setenv("CIVILITY_MODELS_DIR", str(models))
    runner = CliRunner()
    result = runner.invoke(app, ["models", "status", "linear-de-1", "candidate"])
    assert result.exit_code == 0, result.output
    assert "linear-de@1: candidate (pin only)" in result.output
    listed = runner.invoke(app, ["models", "list"])
    assert listed.exit_code == 0 and "candidate (pin only)" in listed.output and "linear-en@1" in listed.output
    missing = runner.invoke(app, ["models", "status", "nothing-9", "released"])
    assert missing.exit_code != 0 and "no artifact" in missing.output
    outside = runner.invoke(app, ["models", "status", f"../{models.name}/linear-en-1", "candidate"])  # a real folder
    assert outside.exit_code != 0 and "no artifact" in outside.output
    bad = runner.invoke(app, ["models", "status", "linear-en-1", "beta"])
    assert bad.exit_code != 0 and "status must be" in bad.output
