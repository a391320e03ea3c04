"""The term list that sends comments about social groups to the cascade's accurate model: whole-word matching on the
text as the models read it, and the committed list's own rules."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from civility.scoring.terms import TermMatcher

IDENTITY_TERMS = Path(__file__).resolve().parent.parent / "civility" / "scoring" / "identity_terms.txt"


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(["muslims", "jews", "gay", "man", "african-american", "middle eastern", "people of colour"])


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Muslims are welcome here.", ["muslims"]),
        ("I HATE J3WS", ["jews"]),  # leetspeak undone before matching
        ("g a y people", ["gay"]),  # spread-out letters joined
        ("Ｇａｙ rights", ["gay"]),  # full-width letters folded
        ("An African-American man spoke.", ["african american", "man"]),
        ("an african american teacher", ["african american"]),  # hyphen or space alike
        ("Middle Eastern food and more middle eastern food", ["middle eastern"]),  # once each
        ("for people of colour", ["people of colour"]),
        ("Mankind, the manager and the Germans' gayety", []),  # whole words only
        ("The bus timetable changed on Monday.", []),
        ("", []),
    ],
)
def test_terms_are_found_as_whole_words_of_the_normalised_text(matcher: TermMatcher, text: str, found: list[str]) -> None:
    assert matcher.found(text) == found


def test_mentions_marks_each_text(matcher: TermMatcher) -> None:
    marks = matcher.mentions(["A gay couple moved in.", "The library reopens.", "jews and muslims"])
    assert marks.dtype == np.bool_ and marks.tolist() == [True, False, True]
    assert matcher.mentions([]).shape == (0,)


@pytest.mark.parametrize("term", ["Muslims", "a  b", "one two three four", "x_y", "", "straße"])
def test_a_malformed_term_is_refused(term: str) -> None:
    with pytest.raises(ValueError, match="one to three lower-case words"):
        TermMatcher([term])


def test_an_empty_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "terms.txt"
    path.write_text("# only a comment\n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="at least one term"):
        TermMatcher.from_file(path)


def test_a_file_skips_comments_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "terms.txt"
    path.write_text("# groups\nsikhs\n\n  # indented comment\nroma\n", encoding="utf-8")
    assert TermMatcher.from_file(path).terms == frozenset({"sikhs", "roma"})


def test_the_identity_list_is_well_formed_and_names_the_broad_groups() -> None:
    lines = IDENTITY_TERMS.read_text(encoding="utf-8").splitlines()
    terms = [line for line in lines if line.strip() and not line.startswith("#")]
    assert len(terms) == len(set(terms)), "no term twice"
    assert all(re.fullmatch(r"[a-z0-9]+(?:[ -][a-z0-9]+){0,2}", term) for term in terms)
    matcher = TermMatcher.from_file(IDENTITY_TERMS)
    # One group of each kind the list is for; none of these sentences is in any evaluation set.
    for text in (
        "The imam and the Buddhists met at the town hall.",
        "Armenians and Azerbaijanis both lost homes.",
        "My sister is a lesbian.",
        "Wheelchair users could not reach the platform.",
        "Teenagers queued for the concert.",
        "Refugees arrived by train.",
        "Women make up half the council.",
    ):
        assert matcher.found(text), text
    assert not matcher.found("The council approved the budget for the new bridge on Tuesday.")
