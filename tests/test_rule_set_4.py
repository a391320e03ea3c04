"""Rule set 4 reads three disguises against the offensive-word list of rule set 3 (built from the training splits):
letters repeated for emphasis, leetspeak where digits dominate a word, and spaced-out runs holding several words.
Anything that spells no listed word reads as it did under rule set 3."""

from __future__ import annotations

import pytest

from civility.text.normalize import normalize, normalize_with_offsets


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("you iiiiidiot", "you idiot"),
        ("stuuuupid take", "stupid take"),
        ("fuuuuckkkk off", "fuck off"),
        ("kiiiilll them", "kill them"),
        ("what a 1d107", "what a idiot"),  # digits dominate the word; every reading of them spells a listed word
        ("you are a f u c k i n g i d i o t", "you are a fucking idiot"),  # one spaced run, three words
        ("son of a b i t c h", "son of a bitch"),
        ("b i t c h n my seat", "bitch n my seat"),
    ],
)
def test_disguised_offensive_words_are_read(written: str, read: str) -> None:
    assert normalize(written) == read
    assert normalize_with_offsets(written).text == read
    assert normalize(written, rules=3) != read  # rule set 3 guessed otherwise


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("sooooo good", "soo good"),  # no listed word: two letters, as before
        ("455 people in the 1990s", "455 people in the 1990s"),  # numbers stay numbers
        ("the 45s and 2000 others", "the 45s and 200 others"),  # as rule set 3 (a run of digits counts twice)
        ("k i n d words", "kind words"),
        ("a s s i s t", "assist"),  # the whole run is no listed word, and no split is listed words only
        ("U S A", "USA"),
    ],
)
def test_what_spells_no_listed_word_reads_as_under_rule_set_3(written: str, read: str) -> None:
    assert normalize(written) == read == normalize(written, rules=3)


def test_offsets_still_point_into_the_original_text() -> None:
    text = "so a f u c k i n g i d i o t, iiiidiot!"
    result = normalize_with_offsets(text)
    assert result.text == "so a fucking idiot, idiot!"
    begin = result.text.index("fucking")
    assert text[slice(*result.original_span(begin, begin + len("fucking")))] == "f u c k i n g"
    begin = result.text.index("idiot!")
    assert text[slice(*result.original_span(begin, begin + len("idiot")))] == "iiiidiot"
