"""The written training cases: training rows only, kept away from the contrast suite, balanced across groups."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from civility.evaluation.contrast import load_suite
from civility.training.data import IDENTITY_ATTACK, Record, load_records, make_labels
from civility.training.written_cases import DATASET, GROUPS, SuiteGuard, drafts, records, reference_page_texts, suite_texts


def test_rows_are_training_rows_with_labels() -> None:
    rows, _ = records()
    assert len(rows) > 3000
    assert {row.split for row in rows} == {"train"}
    assert {row.dataset for row in rows} == {DATASET}
    assert len({row.text for row in rows}) == len(rows)
    assert all(any(value is not None for value in row.labels.values()) for row in rows)


def test_generation_is_deterministic() -> None:
    first, _ = records(seed=3, per_frame=20)
    second, _ = records(seed=3, per_frame=20)
    assert [row.text for row in first] == [row.text for row in second]


@pytest.mark.parametrize(("blind", "balance"), [(False, False), (True, False), (True, True)])
def test_no_row_is_close_to_a_contrast_case(blind: bool, balance: bool) -> None:
    guard = SuiteGuard(suite_texts())
    rows, dropped = records(blind=blind, balance=balance)
    assert sum(dropped.values()) > 0  # the guard does catch drafts (the frames share the suite's ideas)
    assert not any(guard.too_close(row.text) for row in rows)
    texts = {case.text.lower() for case in load_suite()}
    assert not texts & {row.text.lower() for row in rows}


@pytest.mark.parametrize(("blind", "balance"), [(False, False), (True, False), (True, True)])
def test_no_row_is_close_to_the_reference_page(blind: bool, balance: bool) -> None:
    page = reference_page_texts()
    assert len(page) > 4
    guard = SuiteGuard(page)
    rows, _ = records(blind=blind, balance=balance)
    assert not any(guard.too_close(row.text) for row in rows)


def test_guard_catches_a_suite_sentence_and_its_light_rewording() -> None:
    case = load_suite()[0].text
    guard = SuiteGuard(suite_texts())
    assert guard.too_close(case)
    assert guard.too_close(case.replace("refugees", "migrants"))
    assert not guard.too_close("The library opens at nine on Sundays from next month.")


def test_blind_frames_add_sentences_and_change_none_of_the_others() -> None:
    """Models trained without ``--written-blind`` rebuild from the same rows."""
    plain, blind = drafts(), drafts(blind=True)
    assert [text for _, text in blind[: len(plain)]] == [text for _, text in plain]
    assert len(blind) > len(plain) + 3000


def test_balancing_frames_add_harmless_rows_and_change_none_of_the_others() -> None:
    """Models trained on the blind frames rebuild from the same rows; the balancing twins only add clean sentences."""
    blind, balanced = drafts(blind=True), drafts(blind=True, balance=True)
    assert [text for _, text in balanced[: len(blind)]] == [text for _, text in blind]
    added = balanced[len(blind):]
    assert len(added) > 1000
    assert {frame.labels["TOXICITY"] for frame, _ in added} == {0}
    assert {frame.labels["IDENTITY_ATTACK"] for frame, _ in added} == {0}
    with pytest.raises(ValueError):
        drafts(balance=True)  # they balance the blind attacks, so they never come without them


@pytest.mark.parametrize(("blind", "balance"), [(False, False), (True, False), (True, True)])
def test_every_group_is_on_both_sides(blind: bool, balance: bool) -> None:
    """No identity word may become a cue on its own: each group is named in attacks and in harmless sentences."""
    rows, _ = records(blind=blind, balance=balance)
    sides: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        label = row.label(IDENTITY_ATTACK)
        if label is None:
            continue
        for plural, _adjective in GROUPS:
            if plural.lower() in row.text.lower():
                sides[plural].add(label)
    missing = [plural for plural, _ in GROUPS if sides[plural] != {0, 1}]
    assert not missing


def test_extra_rows_go_through_the_same_held_out_filter(tmp_path: Path) -> None:
    held_out = Record("Some sentence that is in a test split.", "x", "test", make_labels(TOXICITY=0))
    copy = Record("some sentence that is in a TEST split.", DATASET, "train", make_labels(TOXICITY=0))
    other = Record("A sentence found nowhere else.", DATASET, "train", make_labels(TOXICITY=0))
    kept, report = load_records(tmp_path, datasets=[], extra=[held_out, copy, other])
    assert [row.text for row in kept] == [held_out.text, other.text]
    assert report.dropped_duplicates == 1
