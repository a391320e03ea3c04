"""The committed linear artifact loads through the serving path and behaves; training round-trips."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from civility.scoring.artifact import ArtifactError, load_scorer
from civility.scoring.linear import FeatureConfig, LinearScorer
from civility.scoring.types import PRODUCTION_ATTRIBUTES
from civility.text.normalize import RULES
from civility.training.data import Record, make_labels
from civility.training.linear import TrainConfig, train

ARTIFACT = Path(__file__).resolve().parent.parent / "models" / "linear-en-1"
NEUTRAL = ["thanks for the article", "I agree with the council's decision on the new park.", "Great reporting, keep it up"]
TOXIC = ["you are a stupid idiot", "shut up you fucking moron", "I will kill you and your family"]


@pytest.fixture(scope="module")
def scorer() -> LinearScorer:
    loaded = load_scorer(ARTIFACT)
    assert isinstance(loaded, LinearScorer)
    return loaded


def test_manifest_and_shape(scorer: LinearScorer) -> None:
    assert scorer.info.kind == "linear"
    assert scorer.info.label == "linear-en@1"
    assert scorer.info.attributes == PRODUCTION_ATTRIBUTES
    scores = scorer.predict_proba(NEUTRAL + TOXIC + ["", "   "])
    assert scores.shape == (8, len(PRODUCTION_ATTRIBUTES))
    assert np.all((scores >= 0) & (scores <= 1))
    assert scorer.predict_proba([]).shape == (0, len(PRODUCTION_ATTRIBUTES))


def test_toxic_outranks_neutral(scorer: LinearScorer) -> None:
    column = {name: i for i, name in enumerate(scorer.info.attributes)}
    neutral = scorer.predict_proba(NEUTRAL)
    toxic = scorer.predict_proba(TOXIC)
    assert toxic[:, column["TOXICITY"]].min() > neutral[:, column["TOXICITY"]].max()
    pair = scorer.predict_proba(["you are a stupid idiot", "thanks for the article"])
    assert pair[0, column["INSULT"]] > pair[1, column["INSULT"]]
    threat = scorer.predict_proba(["I will kill you and your family", "I will visit you and your family"])
    assert threat[0, column["THREAT"]] > threat[1, column["THREAT"]]


def test_obfuscation_is_normalised(scorer: LinearScorer) -> None:
    plain, hidden = scorer.predict_proba(["you are an idiot", "you are an 1d1ot"])
    assert np.allclose(plain, hidden)


def test_deterministic(scorer: LinearScorer) -> None:
    first = scorer.predict_proba(NEUTRAL + TOXIC)
    again = load_scorer(ARTIFACT).predict_proba(NEUTRAL + TOXIC)
    assert np.array_equal(first, again)
    # A text's score does not depend on the batch it is scored in.
    single = np.vstack([scorer.predict_proba([text]) for text in NEUTRAL + TOXIC])
    assert np.allclose(first, single, atol=1e-6)


def test_tampered_copy_fails_checksums(tmp_path: Path) -> None:
    copy = tmp_path / "linear-en-1"
    shutil.copytree(ARTIFACT, copy)
    weights = copy / "linear_weights.npz"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ArtifactError):
        load_scorer(copy)


def _synthetic_records() -> list[Record]:
    rude = ["you idiot", "stupid fool", "shut up moron", "you are a dumb idiot", "idiot moron fool", "what a moron"]
    kind = ["nice day today", "thank you kindly", "lovely article", "good point well made", "have a nice day", "thanks"]
    records: list[Record] = []
    for round_ in range(3):
        split = ("train", "train", "dev")[round_]
        for index, text in enumerate(rude):
            labels = make_labels(
                TOXICITY=1, SEVERE_TOXICITY=index % 2, IDENTITY_ATTACK=0, INSULT=1, PROFANITY=0,
                THREAT=1 if "shut" in text else 0,
            )
            records.append(Record(f"{text} {round_}", "synthetic", split, labels))
        for text in kind:
            records.append(Record(f"{text} {round_}", "synthetic", split, make_labels(TOXICITY=0)))
    return records


def test_tiny_fit_round_trip(tmp_path: Path) -> None:
    config = TrainConfig(
        name="tiny", version=3, features=FeatureConfig(word_features=2**10, char_features=2**10), c_grid=(1.0,)
    )
    out = tmp_path / "tiny-3"
    result = train(tmp_path, out, config=config, evaluate=False, records=_synthetic_records())
    assert {"manifest.json", "linear.json", "linear_weights.npz", "metrics.json", "SHA256SUMS"} <= {
        p.name for p in out.iterdir()
    }
    assert result.summary.attributes["TOXICITY"]["train_rows"] == 24
    loaded = load_scorer(out)
    assert loaded.info.label == "tiny@3"
    assert loaded.info.normalizer_rules == RULES  # a model trained now records the rules it was trained with
    texts = ["you stupid idiot", "thank you, lovely day"]
    scores = loaded.predict_proba(texts)
    assert scores.shape == (2, 6)
    assert scores[0, 0] > scores[1, 0]
    # Saving the loaded model again reproduces the same scores.
    again = tmp_path / "again"
    loaded.save(again)
    assert np.array_equal(LinearScorer.load(again).predict_proba(texts), scores)
