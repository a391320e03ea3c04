"""Per-sentence span scores, from the same model that gives the summary score."""

from __future__ import annotations

from civility.scoring.base import Scorer
from civility.scoring.types import SpanScore
from civility.text.segment import Segment, clauses, sentences, words


def _piece_spans(scorer: Scorer, pieces: list[Segment], columns: list[int]) -> dict[int, list[SpanScore]]:
    """One model call over all ``pieces``; their spans per requested column."""
    if not pieces:
        return {column: [] for column in columns}
    probabilities = scorer.predict_proba([piece.text for piece in pieces])
    return {
        column: [SpanScore(piece.begin, piece.end, float(row[column])) for piece, row in zip(pieces, probabilities)]
        for column in columns
    }


def sentence_spans(scorer: Scorer, text: str, columns: list[int], max_sentences: int) -> dict[int, list[SpanScore]]:
    """Score each sentence of ``text`` once; return span scores per requested column of ``scorer``.

    A text of one sentence gets one span covering it. Sentences past ``max_sentences`` are not scored, which bounds
    the work a single 20 KB comment can cause.
    """
    return _piece_spans(scorer, sentences(text)[:max_sentences], columns)


def word_spans(
    scorer: Scorer, text: str, columns: list[int], max_sentences: int, max_words: int = 64, min_sentence: float = 0.5
) -> dict[int, list[SpanScore]]:
    """Per-word spans: how much each word contributes to its sentence's score (occlusion).

    A word's score is ``p(sentence) - p(sentence without the word)``, clipped at 0: the share of the sentence's
    probability that the word carries. Only sentences scoring at least ``min_sentence`` on a requested column are
    examined (the rest hold no word worth pointing at), and at most ``max_words`` words in all, so the work a comment
    can cause stays bounded.
    """
    pieces = sentences(text)[:max_sentences]
    out: dict[int, list[SpanScore]] = {column: [] for column in columns}
    if not pieces:
        return out
    sentence_scores = scorer.predict_proba([piece.text for piece in pieces])
    budget = max_words
    for piece, row in zip(pieces, sentence_scores):
        if budget <= 0 or max(float(row[c]) for c in columns) < min_sentence:
            continue
        tokens = words(piece.text)[:budget]
        budget -= len(tokens)
        if len(tokens) < 2:
            continue
        variants = [piece.text[: t.begin] + piece.text[t.end :] for t in tokens]
        without = scorer.predict_proba(variants)
        for column in columns:
            for token, probabilities in zip(tokens, without):
                contribution = float(row[column]) - float(probabilities[column])
                if contribution > 0.01:
                    out[column].append(SpanScore(piece.begin + token.begin, piece.begin + token.end, min(1.0, contribution)))
    return out


def clause_spans(scorer: Scorer, text: str, columns: list[int], max_clauses: int = 100) -> dict[int, list[SpanScore]]:
    """Scores of the clauses of long sentences (see ``segment.clauses``), for moderation to find diluted threats."""
    return _piece_spans(scorer, clauses(text)[:max_clauses], columns)
