"""Every file of a model folder must be listed in its SHA256SUMS: an unlisted file is refused like a damaged one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from civility.scoring.artifact import CHECKSUMS, ArtifactError, discover, load_scorer
from civility.scoring.registry import ModelRegistry

MODELS = Path(__file__).resolve().parent.parent / "models"


@pytest.fixture()
def models(tmp_path: Path) -> Path:
    shutil.copytree(MODELS / "linear-de-1", tmp_path / "linear-de-1")
    return tmp_path


def test_the_copy_loads_as_committed(models: Path) -> None:
    assert load_scorer(models / "linear-de-1").predict_proba(["Danke"]).shape[0] == 1


@pytest.mark.parametrize("extra", ["vocabulary_extra.json", ".hidden", "MODEL_CARD.md.orig"])
def test_an_unlisted_file_refuses_the_model(models: Path, extra: str) -> None:
    (models / "linear-de-1" / extra).write_text("{}", encoding="utf-8")
    with pytest.raises(ArtifactError, match=re.escape(f"{extra} not listed in SHA256SUMS")):
        load_scorer(models / "linear-de-1")
    with pytest.raises(ArtifactError, match="not listed"):
        ModelRegistry.from_dir(models, preload_languages=[])  # refused at start, even a model loaded on first use


def test_an_unlisted_folder_refuses_the_model(models: Path) -> None:
    (models / "linear-de-1" / "extra").mkdir()
    with pytest.raises(ArtifactError, match="extra not listed"):
        load_scorer(models / "linear-de-1")


def test_sums_may_name_only_files_of_the_folder(models: Path) -> None:
    outside = models / "outside.txt"
    outside.write_text("x", encoding="utf-8")
    sums = models / "linear-de-1" / CHECKSUMS
    sums.write_text(sums.read_text(encoding="utf-8") + f"{'0' * 64}  ../outside.txt\n", encoding="utf-8")
    with pytest.raises(ArtifactError, match="names no file of the folder"):
        load_scorer(models / "linear-de-1")


def test_every_committed_model_lists_every_file() -> None:
    for folder in discover(MODELS):
        listed = {line.split(maxsplit=1)[1].strip() for line in (folder / CHECKSUMS).read_text().splitlines() if line.strip()}
        present = {entry.name for entry in folder.iterdir()} - {CHECKSUMS}
        assert present == listed, folder.name
