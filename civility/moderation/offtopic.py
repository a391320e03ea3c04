"""A weak off-topic signal: how little of a comment's vocabulary the article shares.

The measure is *coverage* — the share of the comment's distinct content words (stopwords dropped, crude suffixes
stripped) that also occur in the article — rather than a cosine of term vectors: a comment is short and an article
long, and a cosine is dominated by the article's most frequent words, while coverage asks the question that matters
("does this comment talk about anything the article mentions?"). Bag-of-words cannot tell a paraphrase from spam,
so the policy treats the score as weak (review at most, at a high threshold) and short comments get no score.
"""

from __future__ import annotations

from functools import lru_cache

from civility.text import patterns
from civility.text.normalize import normalize

_WORD = patterns.compile(f"[{patterns.LETTER}]{{2,}}")
_STOP = frozenset(
    """a about above after again against all almost also although always am among an and another any anyone anything
    are around as at away back be because been before being below best better between both but by can cannot could
    did do does doing done down during each either else enough even ever every everyone everything few first for from
    further get gets getting give go goes going gone good got great had has have having he her here hers herself him
    himself his how however i if in into is it its itself just know last least less let like made make makes many may
    me might more most much must my myself never new next no none nor not nothing now of off often oh ok okay old on
    once one only or other others our ours ourselves out over own people per please quite rather really right said
    same say says see seem seems she should since so some someone something still such sure take than thank thanks
    that the their theirs them themselves then there therefore these they thing things think this those though through
    thus to today too under until up upon us very want was way we well were what whatever when where whether which
    while who whom whose why will with within without would yes yet you your yours yourself""".split()
)
# The article text looked at: bounds the work of one comment on a very long article (a long feature is some 60,000
# characters); the comment is bounded by the API's size limit.
MAX_ARTICLE_CHARS = 100_000
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "ed", "es", "er", "ly", "s")


def content_words(text: str) -> set[str]:
    """Distinct stemmed content words of ``text`` after obfuscation-aware normalisation."""
    return {_stem(w) for w in _WORD.findall(normalize(text).casefold()) if w not in _STOP}


def off_topic_score(
    comment: str, article: str, *, min_words: int = 5, saturation: float = 0.3, enough_shared: int = 6
) -> float | None:
    """1.0 when the comment shares no content word with the article; 0.0 when it shares ``saturation`` of its
    content words or ``enough_shared`` of them (a long comment has a large vocabulary, so its share alone would be
    low even when it discusses nothing but the article); linear in between.

    None when the comment has fewer than ``min_words`` distinct content words ("Well said!") or the article has none:
    too little text to judge, and such comments are the ones a bag of words misjudges most.
    """
    words = content_words(comment)
    vocabulary = _article_words(article[:MAX_ARTICLE_CHARS])
    if len(words) < min_words or not vocabulary:
        return None
    shared = len(words & vocabulary)
    related = max(shared / len(words) / saturation, shared / enough_shared)
    return round(max(0.0, 1.0 - related), 6)


@lru_cache(maxsize=8)
def _article_words(article: str) -> frozenset[str]:
    """:func:`content_words` of an article, kept for the next comments under it (the text changes rarely)."""
    return frozenset(content_words(article))


def _stem(word: str) -> str:
    """Strip one common English suffix, keeping four letters or more ("armenians" → "armenian", "killed" → "kill")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word
