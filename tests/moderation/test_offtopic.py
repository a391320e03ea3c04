"""The off-topic signal: low for comments about the article, high for unrelated ones, silent for short ones."""

from __future__ import annotations

from civility.moderation.offtopic import content_words, off_topic_score

RECIPE = "I tried this pasta recipe and my kids loved the garlic bread, will cook it again"
SPAM = "Buy cheap watches and designer handbags at discount prices, visit our online store today"


def test_reference_comments_are_on_topic_or_too_short_to_judge(seed_page) -> None:  # type: ignore[no-untyped-def]
    first, repost, correction, long_comment = seed_page.comments
    assert off_topic_score(first, seed_page.article) is None  # two content words: too little to judge
    assert off_topic_score(repost, seed_page.article) is None
    assert off_topic_score(correction, seed_page.article) == 0.0
    assert off_topic_score(long_comment, seed_page.article) == 0.0


def test_unrelated_comments_score_high(seed_page) -> None:  # type: ignore[no-untyped-def]
    assert off_topic_score(RECIPE, seed_page.article) == 1.0
    assert off_topic_score(SPAM, seed_page.article) == 1.0


def test_partial_overlap_scores_in_between() -> None:
    article = "Turkey banned the delivery of humanitarian aid to Armenia through its airspace."
    comment = "Blocking humanitarian aid is shameful, whatever anybody thinks about borders and football"
    score = off_topic_score(comment, article)
    assert score is not None and 0.0 < score < 1.0
    assert off_topic_score(comment, article, saturation=0.1) == 0.0


def test_stemming_and_normalisation_apply_to_both_sides() -> None:
    assert content_words("Armenians KILLED, 4rmenian") == {"armenian", "kill"}
    assert off_topic_score("armenians fighters deliveries mercenaries ceasefires", "The Armenian fighter delivery of "
                           "mercenary ceasefire") == 0.0


def test_short_comments_and_empty_articles_get_no_score() -> None:
    assert off_topic_score("Well said!", "Some article about Karabakh and the ceasefire.") is None
    assert off_topic_score(RECIPE, "") is None
    assert off_topic_score(RECIPE, "the and of") is None
    assert off_topic_score("one two three", "x", min_words=1) is None  # all stopwords
