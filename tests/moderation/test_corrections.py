"""Reader corrections: the reference case to the character, other phrasings, and what is not a correction."""

from __future__ import annotations

import pytest

from civility.moderation.corrections import find_correction


def test_reference_correction_points_exactly_at_the_article_passage(seed_page) -> None:  # type: ignore[no-untyped-def]
    article, comment = seed_page.article, seed_page.comments[2]
    correction = find_correction(comment, article)
    assert correction is not None
    assert correction.wrong == "François Macron"
    assert correction.proposed == "Emmanuel Macron"
    assert article[correction.passage_begin : correction.passage_end] == "Francois Macron"
    assert article[correction.sentence_begin : correction.sentence_end] == correction.article_passage
    assert correction.article_passage.startswith("The issue of mercenaries fighting alongside Azerbaijani forces")
    assert correction.article_passage.endswith("to describe the militant fighters.")
    assert correction.sentence_begin <= correction.passage_begin < correction.passage_end <= correction.sentence_end
    assert comment[correction.comment_begin : correction.comment_end] == "Emmanuel Macron, not François Macron"


def test_no_other_reference_comment_is_a_correction(seed_page) -> None:  # type: ignore[no-untyped-def]
    first, repost, _, long_comment = seed_page.comments
    for comment in (first, repost, long_comment):
        assert find_correction(comment, seed_page.article) is None
    assert "not once but a thousand times" in long_comment


@pytest.mark.parametrize(
    ("comment", "wrong", "proposed", "in_article"),
    [
        ("It's Emmanuel Macron not Francois Macron.", "Francois Macron", "Emmanuel Macron", "Francois Macron"),
        ("its emmanuel macron not francois macron", "francois macron", "emmanuel macron", "Francois Macron"),
        ("IT'S EMMANUEL MACRON, NOT FRANÇOIS MACRON!", "FRANÇOIS MACRON", "EMMANUEL MACRON", "Francois Macron"),
        ("The bodies of 53 Syrian men, not 52.", "52", "53", "52"),
        ("The ceasefire was reached in Geneva rather than Moscow.", "Moscow", "Geneva", "Moscow"),
        ("Shoygu is spelled Shoigu", "Shoygu", "Shoigu", "Shoygu"),
        ("Sergey Shoygu should be Sergei Shoigu", "Sergey Shoygu", "Sergei Shoigu", "Sergei Shoygu"),
        ("typo: Francois -> François", "Francois", "François", "Francois"),
        ("Typo: Shoigu", "Shoygu", "Shoigu", "Shoygu"),
        ("Correction: the minister is Sergei Shoigu", "Sergei Shoygu", "Sergei Shoigu", "Sergei Shoygu"),
        ("Great piece. Small correction: it's Emmanuel, not Francois.", "Francois", "Emmanuel", "Francois"),
    ],
)
def test_corrections_in_other_phrasings(
    seed_page, comment: str, wrong: str, proposed: str, in_article: str  # type: ignore[no-untyped-def]
) -> None:
    correction = find_correction(comment, seed_page.article)
    assert correction is not None, comment
    assert (correction.wrong, correction.proposed) == (wrong, proposed)
    assert seed_page.article[correction.passage_begin : correction.passage_end] == in_article
    assert correction.article_passage in seed_page.article


@pytest.mark.parametrize(
    "comment",
    [
        # harsh criticism of governments and leaders is opinion, not a correction
        "Turkey is the aggressor, not Armenia.",
        "The Turkish government is criminal, not a partner for peace.",
        "Erdogan is a terrorist and a liar, not a leader.",
        "Putin is a murderer, not a peacemaker. Shame on Russia.",
        "These people are terrorists, not freedom fighters",
        "Aliyev should be in prison for what his government has done.",
        "They should be killed not once but a thousand times",
        "They did not recruit anyone, this is all lies by Putin",
        "Not a single word about Armenian losses.",
        "Not only Turkey but also Russia is to blame.",
        # the "wrong" phrase is not in the article: nothing for an editor to fix
        "It's Paris, not London.",
        "Correction: this article is biased",
        "",
    ],
)
def test_what_is_not_a_correction(seed_page, comment: str) -> None:  # type: ignore[no-untyped-def]
    assert find_correction(comment, seed_page.article) is None


def test_matching_is_accent_and_case_insensitive_with_offsets_into_the_original() -> None:
    article = "Le président Émile Zola a parlé.\nIt was ﬁne weather in Ｐａｒｉｓ."
    correction = find_correction("It's Émile Dupont, not EMILE ZOLA.", article)
    assert correction is not None
    assert article[correction.passage_begin : correction.passage_end] == "Émile Zola"
    assert correction.article_passage == "Le président Émile Zola a parlé."
    correction = find_correction("It was rainy in Lyon, not Paris", article)
    assert correction is not None
    assert article[correction.passage_begin : correction.passage_end] == "Ｐａｒｉｓ"


def test_empty_article_gives_nothing() -> None:
    assert find_correction("It's Emmanuel Macron, not François Macron", "") is None
