"""The committed transformer artifacts (models/minilm-en-*): each loads through the serving path, behaves, and never
needs torch. These tests only load and score the committed artifacts; they never train."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("tokenizers")

from civility.scoring.artifact import ArtifactError, discover, load_scorer, read_info  # noqa: E402
from civility.scoring.onnx import OnnxScorer  # noqa: E402
from civility.scoring.registry import ModelRegistry  # noqa: E402
from civility.scoring.types import KNOWN_ATTRIBUTES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
ARTIFACTS = sorted(MODELS.glob("minilm-en-*/manifest.json"))
THREAT_TEXT = (
    "should be killed not once but a thousand times and their corpses be fed to wild dogs"
)

pytestmark = pytest.mark.skipif(not ARTIFACTS, reason="no minilm-en artifact built")


@pytest.fixture(scope="module", params=[m.parent for m in ARTIFACTS], ids=[m.parent.name for m in ARTIFACTS])
def artifact(request: pytest.FixtureRequest) -> Path:
    return request.param


@pytest.fixture(scope="module")
def scorer(artifact: Path) -> OnnxScorer:
    loaded = load_scorer(artifact)
    assert isinstance(loaded, OnnxScorer)
    return loaded


def test_manifest_and_files(artifact: Path) -> None:
    info = read_info(artifact)
    assert (info.name, info.kind, info.languages) == ("minilm-en", "onnx", ("en",))
    assert artifact.name == f"minilm-en-{info.version}"
    assert info.attributes == KNOWN_ATTRIBUTES
    manifest = json.loads((artifact / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["training_command"] == "make train-transformer"
    for name in ("model.onnx", "tokenizer.json", "calibration.json", "metrics.json", "MODEL_CARD.md", "SHA256SUMS"):
        assert (artifact / name).exists(), name
    assert (artifact / "model.onnx").stat().st_size < 50 * 1024 * 1024
    tokenizer = json.loads((artifact / "tokenizer.json").read_text(encoding="utf-8"))
    assert tokenizer["padding"] is None and tokenizer["truncation"]["max_length"] <= 512


def test_shapes_ranges_and_empty(scorer: OnnxScorer) -> None:
    texts = ["Thanks for the thoughtful article.", "", "a" * 5000, "You are an idiot.", "🙂 ok"]
    scores = scorer.predict_proba(texts)
    assert scores.shape == (len(texts), len(KNOWN_ATTRIBUTES))
    assert np.all(np.isfinite(scores)) and np.all(scores >= 0.0) and np.all(scores <= 1.0)
    assert scorer.predict_proba([]).shape == (0, len(KNOWN_ATTRIBUTES))


def test_deterministic_and_batch_independent(scorer: OnnxScorer, artifact: Path) -> None:
    texts = [f"comment number {i}: you people are {'great' if i % 2 else 'pathetic morons'}" for i in range(70)]
    first = scorer.predict_proba(texts)
    again = scorer.predict_proba(texts)
    np.testing.assert_array_equal(first, again)
    # int8 dynamic quantisation scales activations per batch, so the served default (batch_size=1) scores every text
    # on its own: a comment's score never depends on what else is scored with it.
    one_by_one = np.vstack([scorer.predict_proba([t]) for t in texts[:5]])
    np.testing.assert_array_equal(one_by_one, first[:5])
    single = OnnxScorer.load(artifact, batch_size=1)
    np.testing.assert_array_equal(single.predict_proba(texts[:5]), np.vstack([single.predict_proba([t]) for t in texts[:5]]))


def test_parallel_workers_give_the_same_scores(artifact: Path) -> None:
    """Two one-thread streams score a list as one stream does, text for text (each text is still its own batch)."""
    texts = [f"reply {i}: {'thanks for the report' if i % 3 else 'shut up, you clueless clown'} " * (1 + i % 7) for i in range(41)]
    serial = OnnxScorer.load(artifact, threads=2, batch_size=1, workers=1)
    parallel = OnnxScorer.load(artifact, threads=2, batch_size=1, workers=2)
    assert parallel.workers == 2
    np.testing.assert_array_equal(parallel.logits(texts), serial.logits(texts))
    np.testing.assert_array_equal(parallel.logits(texts[:1]), serial.logits(texts[:1]))


def test_toxic_above_neutral(scorer: OnnxScorer) -> None:
    columns = {a: i for i, a in enumerate(scorer.info.attributes)}
    neutral, toxic = scorer.predict_proba(
        ["The council meets on Tuesday to discuss the new bus timetable.", "You are a worthless piece of shit, idiot."]
    )
    for attribute in ("TOXICITY", "INSULT", "PROFANITY"):
        assert toxic[columns[attribute]] > neutral[columns[attribute]] + 0.3, attribute
    assert neutral[columns["TOXICITY"]] < 0.3


def test_threat_sentence_stands_out_from_reports_and_negations(scorer: OnnxScorer) -> None:
    """The reference page's threat clause against sentences with the same violent words that threaten nobody.

    Ranking, not a level: THREAT is calibrated on a dev split with few threats, so its scale differs by version
    (this clause: 0.62 on minilm-en@4, 0.36 on @6); whether the whole comment is removed is the policy's call,
    tested on the reference page in test_native_api.py."""
    column = scorer.info.attributes.index("THREAT")
    threat, *harmless = scorer.predict_proba(
        [
            THREAT_TEXT,
            "Three soldiers were killed near the border, officials said.",
            "The film shows how the village was destroyed and its people killed.",
            "Nobody should be killed for what they write.",
        ]
    )[:, column]
    assert threat > 0.3
    assert all(threat > 3 * value and threat > value + 0.2 for value in harmless), (threat, harmless)


def test_checksums_are_verified(tmp_path: Path, artifact: Path) -> None:
    import shutil

    copy = tmp_path / artifact.name
    shutil.copytree(artifact, copy)
    calibration = json.loads((copy / "calibration.json").read_text(encoding="utf-8"))
    calibration["attributes"]["TOXICITY"]["offset"] += 1.0
    (copy / "calibration.json").write_text(json.dumps(calibration), encoding="utf-8")
    with pytest.raises(ArtifactError):
        load_scorer(copy)


def test_no_torch_on_the_serving_path() -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import civility.scoring.onnx\n"
        "from civility.scoring.artifact import load_scorer\n"
        f"s = load_scorer(Path({str(ARTIFACTS[-1].parent)!r}))\n"
        "s.predict_proba(['hello there', 'you idiot'])\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


def test_registry_defaults_to_the_newest_released_version_and_pins_every_one() -> None:
    registry = ModelRegistry.from_dir(MODELS)
    infos = [read_info(folder) for folder in discover(MODELS)]
    toxicity = {i.version: i for i in infos if "en" in i.languages and "TOXICITY" in i.attributes}
    assert set(toxicity) >= {1, 2}
    released = [version for version, info in toxicity.items() if not info.candidate]
    newest = registry.resolve("TOXICITY", "en")
    assert newest is not None and newest.scorer.info.label == toxicity[max(released)].label
    for version, info in toxicity.items():  # candidates included: a pin reaches them
        assert registry.resolve("TOXICITY", "en", version=version).scorer.info.label == info.label
    spam = {i.version: i.label for i in infos if "SPAM" in i.attributes and not i.candidate}
    assert registry.resolve("SPAM", "en").scorer.info.label == spam[max(spam)]
    assert registry.resolve("SPAM", "en", version=1) is None


def test_the_torchscript_export_of_minilm_en_6_matches_the_dynamo_export() -> None:
    """minilm-en@8 is @6's checkpoint exported again (TorchScript instead of dynamo): both int8 graphs must give the
    network the same answers up to quantisation noise, or the faster export changed the model."""
    dynamo, torchscript = MODELS / "minilm-en-6", MODELS / "minilm-en-8"
    if not (dynamo.exists() and torchscript.exists()):
        pytest.skip("needs minilm-en-6 and minilm-en-8")
    suite = ROOT / "civility" / "evaluation" / "suites" / "contrast.jsonl"
    texts = [json.loads(line)["text"] for line in suite.read_text(encoding="utf-8").splitlines() if line.strip()][:200]
    a = OnnxScorer.load(dynamo).logits(texts)
    b = OnnxScorer.load(torchscript).logits(texts)
    assert np.abs(a - b).mean() < 0.05
    assert np.abs(a - b).max() < 1.0
    for column in range(a.shape[1]):  # the two rank the texts alike on every head
        assert np.corrcoef(a[:, column], b[:, column])[0, 1] > 0.99
