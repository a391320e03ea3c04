"""Per-sentence span scores, from the same model that gives the summary score."""

from __future__ import annotations

from civility.scoring.base import Scorer
from civility.scoring.types import SpanScore
from civility.text.segment import sentences


def sentence_spans(scorer: Scorer, text: str, columns: list[int], max_sentences: int) -> dict[int, list[SpanScore]]:
    """Score each sentence of ``text`` once; return span scores per requested column of ``scorer``.

    A text of one sentence gets one span covering it. Sentences past ``max_sentences`` are not scored, which bounds
    the work a single 20 KB comment can cause.
    """
    pieces = sentences(text)[:max_sentences]
    if not pieces:
        return {column: [] for column in columns}
    probabilities = scorer.predict_proba([piece.text for piece in pieces])
    return {
        column: [SpanScore(piece.begin, piece.end, float(row[column])) for piece, row in zip(pieces, probabilities)]
        for column in columns
    }
