"""The weak THREAT labelling function: what it catches, what it must leave alone, and which rows it may touch."""

from __future__ import annotations

import pytest

from civility.training.data import THREAT, Record, make_labels
from civility.training.weak_labels import add_weak_threat_labels, threat_match


@pytest.mark.parametrize(
    "text",
    [
        "that traitor should be shot",
        "I will kill you and your family",
        "they all need to die",
        "I hope you die in your sleep",
        "unblock me or i will find you",
        "THEY SHOULD ALL BE HANGED",
        "they sh0uld be k i l l e d",  # obfuscation is undone by the shared normaliser first
        "im gonna strangle you",
    ],
)
def test_explicit_threats_match(text: str) -> None:
    assert threat_match(text)


@pytest.mark.parametrize(
    "text",
    [
        "three soldiers were killed near the border",
        "nobody should be shot for protesting",
        "the minister should not be executed, he should be voted out",
        "one day you will die and be forgotten",
        "this policy will kill the local economy",
        "the government must be held to account",
    ],
)
def test_reports_negations_and_figures_of_speech_do_not_match(text: str) -> None:
    assert threat_match(text) is None


def _record(text: str, split: str = "train", dataset: str = "jigsaw-toxic", **labels: int | None) -> Record:
    return Record(text, dataset, split, make_labels(**labels))


def test_labels_only_toxic_training_rows_without_a_human_threat_label() -> None:
    records = [
        _record("you should be shot", TOXICITY=1),  # labelled
        _record("you should be shot", split="dev", TOXICITY=1),  # dev keeps human labels
        _record("you should be shot", split="test", TOXICITY=1),  # test keeps human labels
        _record("you should be shot", TOXICITY=0),  # the set says not toxic: THREAT=0 stays
        _record("you should be shot", dataset="ethos", TOXICITY=1, THREAT=0),  # a human 0 stays
        _record("what an idiot", TOXICITY=1),  # no pattern
        _record("all of them should be killed", dataset="dynahate", TOXICITY=1, THREAT=0),  # single-type set
    ]
    out, added = add_weak_threat_labels(records)
    assert [r.label(THREAT) for r in out] == [1, None, None, 0, 0, None, 1]
    assert added == {"jigsaw-toxic": 1, "dynahate": 1}
    assert records[0].label(THREAT) is None  # the input is not mutated
