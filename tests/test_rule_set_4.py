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


def test_long_words_are_answered_without_filling_the_caches() -> None:
    """A 20 KB comment of long distinct words must not fill the per-word caches: a word longer than any listed word
    fits none, and its answer is computed without being remembered."""
    from civility.text import normalize as rules

    before = (rules._keeps_for.cache_info().currsize, rules._read_mask.cache_info().currsize, rules._cut_spread.cache_info().currsize)
    # 200 words with runs, longer than any listed word even with every run cut to one letter.
    text = " ".join(f"w{i:x}{'x' * 400}abcdefghijklmnop{'y' * 400}" for i in range(200))
    text += " " + " ".join(f"m{i:x}{'qr' * 20}*{'st' * 20}" for i in range(200))  # 200 long masked words, no runs
    text += " " + " ".join("a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q".split()[:45])
    assert normalize(text) == normalize_with_offsets(text).text
    after = (rules._keeps_for.cache_info().currsize, rules._read_mask.cache_info().currsize, rules._cut_spread.cache_info().currsize)
    assert after == before
    assert normalize("you iiiiidiot") == "you idiot"  # short words still read, through the cache
