"""Properties on arbitrary text: nothing crashes, every offset points inside the text it claims to index."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from civility.moderation.corrections import find_correction
from civility.moderation.duplicates import DuplicateIndex, canonical
from civility.moderation.offtopic import off_topic_score
from civility.moderation.policy import Policy, TermLists, decide
from civility.moderation.types import Signals

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)
wordy = st.lists(
    st.sampled_from(["kill", "k i l l", "b1tch", "Macron", "not", "François", ",", "Emmanuel", "é", "\u200b", "ß"]),
    max_size=20,
).map(" ".join)
ARTICLE = "French President Francois Macron said so. Straße und Kill-Zone.\nShoygu met Akar."
TERMS = Policy(terms=TermLists(banned=("kill", "bitch"), suspect=("strasse",)))


@given(st.one_of(text, wordy))
@settings(max_examples=300)
def test_term_spans_point_inside_the_original_text(comment: str) -> None:
    for reason in decide({}, Signals(), TERMS, comment, None).reasons:
        for span in reason.spans:
            assert 0 <= span.begin < span.end <= len(comment)


@given(st.one_of(text, wordy), st.one_of(st.just(ARTICLE), text))
@settings(max_examples=300)
def test_corrections_have_valid_offsets(comment: str, article: str) -> None:
    correction = find_correction(comment, article)
    if correction is not None:
        assert 0 <= correction.sentence_begin <= correction.passage_begin < correction.passage_end
        assert correction.passage_end <= correction.sentence_end <= len(article)
        assert article[correction.sentence_begin : correction.sentence_end] == correction.article_passage
        assert 0 <= correction.comment_begin < correction.comment_end <= len(comment)


@given(text)
@settings(max_examples=200)
def test_a_long_enough_text_is_a_duplicate_of_itself(comment: str) -> None:
    index = DuplicateIndex()
    index.add("a", comment, "ann", "s", at=0.0)
    match = index.query(comment, "bob", "s", at=1.0)
    if len(canonical(comment)) >= index.min_chars:
        assert (match.duplicate_of, match.similarity) == ("a", 1.0)
    else:
        assert match.duplicate_of is None


@given(text, st.one_of(st.just(ARTICLE), text))
def test_off_topic_is_a_probability_or_none(comment: str, article: str) -> None:
    score = off_topic_score(comment, article)
    assert score is None or 0.0 <= score <= 1.0
