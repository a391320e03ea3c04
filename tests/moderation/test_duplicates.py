"""Near-duplicates and brigades: the reference repost, scopes, windows, short texts, determinism."""

from __future__ import annotations

import pytest

from civility.moderation.duplicates import DuplicateIndex, DuplicateMatch, canonical, shingles

LONG = "This is exactly what the government wants you to believe about the war"
HOUR = 3600.0


def test_reference_repost_is_a_duplicate_of_the_first_comment(seed_page) -> None:  # type: ignore[no-untyped-def]
    first, repost, correction, long_comment = seed_page.comments
    index = DuplicateIndex()
    index.add("c1", first, None, "article:karabakh", at=0.0)
    match = index.query(repost, None, "article:karabakh", at=60.0)
    assert match.duplicate_of == "c1"
    assert 0.7 <= match.similarity < 1.0
    assert not match.brigade
    index.add("c2", repost, None, "article:karabakh", at=60.0)
    for other in (correction, long_comment):
        assert index.query(other, None, "article:karabakh", at=120.0) == DuplicateMatch()


def test_canonical_form_ignores_case_punctuation_spacing_and_obfuscation() -> None:
    assert canonical("  THIS is   EXACTLY, what…  ") == "this is exactly what"
    assert canonical("v1sit my s1te") == canonical("visit my site")
    assert shingles("abcdef", 4) == {"abcd", "bcde", "cdef"}
    assert shingles("ab", 4) == {"ab"}
    assert shingles("...", 4) == set()


def test_exact_matches_after_normalisation_have_similarity_one() -> None:
    index = DuplicateIndex()
    index.add("a", LONG, "ann", "s", at=0.0)
    match = index.query("THIS is exactly what the g0vernment wants you to believe about the war!!!", "bob", "s", 1.0)
    assert (match.duplicate_of, match.similarity) == ("a", 1.0)


def test_unrelated_comments_are_not_duplicates() -> None:
    index = DuplicateIndex()
    index.add("a", LONG, "ann", "s", at=0.0)
    other = "The ceasefire reached in Moscow did not hold for even a day"
    assert index.query(other, "bob", "s", 1.0).duplicate_of is None


def test_scopes_are_separate() -> None:
    index = DuplicateIndex()
    index.add("a", LONG, "ann", "article:1", at=0.0)
    index.add("a", LONG, "ann", "site:news", at=0.0)
    assert index.query(LONG, "bob", "article:2", 1.0).duplicate_of is None
    assert index.query(LONG, "bob", "site:news", 1.0).duplicate_of == "a"
    assert set(index.scopes) == {"article:1", "site:news"}


def test_only_earlier_comments_inside_the_window_count_and_pruning_forgets_old_ones() -> None:
    index = DuplicateIndex(window_seconds=24 * HOUR)
    index.add("old", LONG, "ann", "s", at=0.0)
    index.add("later", LONG + " today", "ann", "s", at=30 * HOUR)
    assert index.query(LONG, "bob", "s", at=23 * HOUR).duplicate_of == "old"
    assert index.query(LONG, "bob", "s", at=25 * HOUR).duplicate_of is None  # "old" is outside, "later" is after
    assert index.query(LONG, "bob", "s", at=31 * HOUR).duplicate_of == "later"
    assert len(index) == 2
    assert index.prune(now=31 * HOUR) == 1
    assert len(index) == 1
    assert index.prune(now=100 * HOUR) == 1
    assert len(index) == 0 and index.scopes == ()


def test_ties_go_to_the_earliest_comment() -> None:
    index = DuplicateIndex()
    index.add("second", LONG, "b", "s", at=10.0)
    index.add("first", LONG, "a", "s", at=5.0)
    index.add("third", LONG, "c", "s", at=10.0)
    assert index.query(LONG, "d", "s", at=20.0).duplicate_of == "first"
    index.remove("first", "s")
    assert index.query(LONG, "d", "s", at=20.0).duplicate_of == "second"


def test_brigade_needs_enough_copies_from_enough_authors() -> None:
    index = DuplicateIndex(brigade_min_size=3, brigade_min_authors=2)
    index.add("a", LONG, "ann", "s", at=0.0)
    two = index.query(LONG + "!", "bob", "s", at=1.0)
    assert (two.brigade, two.brigade_size, two.brigade_authors) == (False, 2, 2)
    index.add("b", LONG + ", really", "bob", "s", at=1.0)
    three = index.query("this is exactly what the government wants you to believe about this war", "cat", "s", 2.0)
    assert (three.brigade, three.brigade_size, three.brigade_authors) == (True, 3, 3)


def test_one_author_repeating_is_a_duplicate_but_not_a_brigade() -> None:
    index = DuplicateIndex(brigade_min_size=3, brigade_min_authors=2)
    for k in range(3):
        index.add(f"c{k}", LONG, "ann", "s", at=float(k))
    match = index.query(LONG, "ann", "s", at=10.0)
    assert match.duplicate_of == "c0"
    assert (match.brigade, match.brigade_size, match.brigade_authors) == (False, 4, 1)


def test_anonymous_comments_count_as_one_author() -> None:
    index = DuplicateIndex(brigade_min_size=3, brigade_min_authors=2)
    index.add("a", LONG, None, "s", at=0.0)
    index.add("b", LONG, None, "s", at=1.0)
    assert index.query(LONG, None, "s", at=2.0).brigade_authors == 1
    assert index.query(LONG, "ann", "s", at=2.0).brigade


def test_short_texts_only_match_the_same_authors_identical_text_and_never_brigade() -> None:
    index = DuplicateIndex(brigade_min_size=2, brigade_min_authors=1)
    index.add("a", "Well said!", "ann", "s", at=0.0)
    index.add("b", "well said", "bob", "s", at=1.0)
    assert index.query("Well said.", "cat", "s", 2.0).duplicate_of is None
    assert index.query("Well said.", None, "s", 2.0).duplicate_of is None
    flood = index.query("WELL SAID", "ann", "s", 2.0)
    assert (flood.duplicate_of, flood.similarity, flood.brigade) == ("a", 1.0, False)
    assert index.query("Well sad", "ann", "s", 2.0).duplicate_of is None


def test_adding_an_id_again_replaces_it_and_exclude_skips_the_comment_itself() -> None:
    index = DuplicateIndex()
    index.add("a", LONG, "ann", "s", at=0.0)
    index.add("a", "A completely different comment about ceasefire talks in Moscow", "ann", "s", at=1.0)
    assert len(index) == 1
    assert index.query(LONG, "bob", "s", 2.0).duplicate_of is None
    edited = "A completely different comment about ceasefire talks in Moscow"
    assert index.query(edited, "ann", "s", 2.0).duplicate_of == "a"
    assert index.query(edited, "ann", "s", 2.0, exclude="a").duplicate_of is None
    assert index.remove("a", "s") and not index.remove("a", "s")


def test_results_are_deterministic_across_instances() -> None:
    texts = [f"Comment number {k} about the humanitarian aid that Turkey blocked" for k in range(20)]
    results = []
    for _ in range(2):
        index = DuplicateIndex()
        for k, text in enumerate(texts):
            index.add(f"c{k}", text, f"u{k % 4}", "s", at=float(k))
        results.append(index.query("comment number 7 about the humanitarian aid turkey blocked", "x", "s", 99.0))
    assert results[0] == results[1]
    assert results[0].duplicate_of == "c7"
    assert results[0].brigade and results[0].brigade_authors == 5  # u0..u3 and x


@pytest.mark.parametrize(
    "kwargs",
    [{"threshold": 0.0}, {"threshold": 1.5}, {"window_seconds": 0}, {"brigade_min_size": 1}, {"shingle_size": 0}],
)
def test_invalid_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        DuplicateIndex(**kwargs)  # type: ignore[arg-type]
