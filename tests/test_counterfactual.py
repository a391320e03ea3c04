"""Counterfactual identity swaps: only training rows of the public sets change, labels never, and a pack rebuilds."""

from __future__ import annotations

import random

import pytest

from civility.training.counterfactual import Swapper, counterfactual_records
from civility.training.data import Record, make_labels
from civility.training.swap_terms import SWAP_CLASSES

CLASSES = (("muslims", "christians", "jews"), ("deaf", "blind", "disabled"))


def _row(text: str, split: str = "train", dataset: str = "olid") -> Record:
    return Record(text, dataset, split, make_labels(TOXICITY=1))


def test_a_swap_keeps_the_case_and_rewrites_one_word_one_way() -> None:
    swapper = Swapper(CLASSES)
    out = swapper.swap("Muslims and MUSLIMS and muslims; the deaf-blind club and deaf people", random.Random(1))
    first, second, third = out.split(" and ")[:3]
    assert first[0].isupper() and first[1:].islower() and first.lower() != "muslims"
    assert second.isupper() and second.lower() == first.lower()
    assert third.startswith(first.lower())
    assert "deaf-blind" in out  # a hyphenated compound is not a class word
    assert not out.endswith("deaf people")


def test_only_training_rows_of_public_sets_change_and_labels_stay() -> None:
    rows = [_row(f"the muslims of town {i}") for i in range(200)]
    rows += [_row("the muslims of the dev town", split="dev"), _row("muslims written", dataset="civility-written")]
    rows += [_row("muslims scored by Perspective", dataset="perspective-wiki") for _ in range(20)]
    rows += [_row("nothing to swap here")]
    out, changed = counterfactual_records(rows, CLASSES, rate=0.5, seed=3, excluded=("perspective-wiki",))
    assert 60 < changed < 140
    assert sum(a.text != b.text for a, b in zip(rows, out)) == changed
    assert [r.labels for r in out] == [r.labels for r in rows]
    assert out[-23:] == rows[-23:]  # dev, written and calibration rows stay as written
    again, _ = counterfactual_records(rows, CLASSES, rate=0.5, seed=3, excluded=("perspective-wiki",))
    assert [r.text for r in again] == [r.text for r in out]


def test_a_word_in_two_classes_is_refused() -> None:
    with pytest.raises(ValueError, match="two swap classes"):
        Swapper((("deaf", "blind", "mute"), ("deaf", "disabled", "lame")))


def test_the_shipped_classes_swap_within_themselves() -> None:
    swapper = Swapper(SWAP_CLASSES)
    assert len(swapper.class_of) >= 40
    for members in SWAP_CLASSES:
        assert len(members) >= 3
        text = f"I met {members[0]} people"
        assert swapper.swap(text, random.Random(0)).split()[2] in members[1:]
