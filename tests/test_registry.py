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
