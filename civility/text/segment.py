"""Sentence and word segmentation for span scores.

Spans index the *original* text (code points, end exclusive); the API converts them to UTF-16 at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass

from civility.text import patterns

# A sentence ends at ., !, ?, …, or the Arabic/CJK stops, followed by space; or at a line break. RE2 (linear time)
# has no look-behind, so the stop is matched too, and the break is group 1 (or, for line breaks, the whole match).
_SENTENCE_END = patterns.compile(f"[.!?…。！？؟]([\"'”’)\\]]*[{patterns.SPACE}]+)|\n+")
_WORD = patterns.compile(f"[{patterns.WORD}'’*@$-]+")


@dataclass(frozen=True)
class Segment:
    begin: int
    end: int
    text: str


def sentences(text: str) -> list[Segment]:
    """Split ``text`` into sentences, trimmed of surrounding whitespace; empty pieces are dropped."""
    out: list[Segment] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        begin, end = match.span(1) if match.start(1) >= 0 else match.span()
        _add_trimmed(out, text, start, begin + len(text[begin:end].rstrip()))
        start = end
    _add_trimmed(out, text, start, len(text))
    return out


_CLAUSE_BREAK = patterns.compile(f"[,;:\u2013\u2014][{patterns.SPACE}]+")


def clauses(text: str, min_sentence_words: int = 20, min_words: int = 4) -> list[Segment]:
    """Clauses of long sentences (split at , ; : and dashes), each of at least ``min_words`` words.

    A call for violence often sits in one clause of a long sentence whose other clauses dilute its score; scoring the
    clauses too lets the moderation policy see it. Short sentences yield nothing (the sentence is the clause).
    """
    out: list[Segment] = []
    for sentence in sentences(text):
        if len(sentence.text.split()) < min_sentence_words:
            continue
        start = 0
        for match in [*_CLAUSE_BREAK.finditer(sentence.text), None]:
            end = match.start() + 1 if match else len(sentence.text)
            piece: list[Segment] = []
            _add_trimmed(piece, sentence.text, start, end)
            if piece and len(piece[0].text.split()) >= min_words:
                out.append(Segment(sentence.begin + piece[0].begin, sentence.begin + piece[0].end, piece[0].text))
            start = match.end() if match else len(sentence.text)
    return out


def words(text: str) -> list[Segment]:
    return [Segment(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _add_trimmed(out: list[Segment], text: str, begin: int, end: int) -> None:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    if end > begin:
        out.append(Segment(begin, end, text[begin:end]))
