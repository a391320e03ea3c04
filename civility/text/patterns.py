"""Regular expressions for user text, on RE2: matching time is linear in the text's length, whatever the text.

Python's ``re`` back-tracks, and several patterns once used on comment text took quadratic or cubic time on a run of
one character (``\\S+@\\S+\\.\\w+`` on 8,000 ``@`` did not finish in two minutes). RE2 cannot back-track, but its
``\\w``, ``\\s``, ``\\d`` and ``\\b`` are ASCII-only and it has no look-around or back-references. So the classes here
are Python's own, read off Python's ``re`` once at import (the model inputs depend on them to the character), and the
few patterns that need look-around or back-references are written as scans in the modules that use them.

:func:`compile` also copes with what RE2 cannot encode: a lone surrogate (which JSON escapes can carry in) is
matched as U+FFFD, a character no class here treats differently, and every match still reports text and offsets of
the original string.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import re2

# Every code point as one string, searched once per class with Python's own engine (not user text).
_EVERY = "".join(map(chr, range(sys.maxunicode + 1)))


def _class_body(python_class: str) -> str:
    """The ranges of a Python ``re`` class, written for inside an RE2 ``[...]``."""
    parts = []
    for match in re.finditer(python_class + "+", _EVERY):
        first, last = ord(match.group()[0]), ord(match.group()[-1])
        parts.append(f"\\x{{{first:x}}}" if first == last else f"\\x{{{first:x}}}-\\x{{{last:x}}}")
    return "".join(parts)


WORD = _class_body(r"\w")  # letters, digits, numerals and the underscore: Python's \w
SPACE = _class_body(r"\s")  # Python's \s
DIGIT = _class_body(r"\d")  # decimal digits of any script: Python's \d
ALNUM = _class_body(r"[^\W_]")  # Python's \w without the underscore
LETTER = _class_body(r"[^\W\d_]")  # Python's \w without digits and the underscore


@lru_cache(maxsize=None)
def caseless(word: str) -> str:
    """``word`` as RE2 classes that match what Python's ``re.IGNORECASE`` matches ("i" also matches "İ" and "ı")."""
    out = []
    for ch in word:
        variants = "".join(sorted(set(re.findall(re.escape(ch), _EVERY, re.IGNORECASE))))
        out.append("[" + "".join(f"\\x{{{ord(v):x}}}" for v in variants) + "]")
    return "".join(out)


_SURROGATES = {code: "\ufffd" for code in range(0xD800, 0xE000)}


def _subject(text: str) -> str:
    """``text`` as RE2 can take it: lone surrogates (not encodable as UTF-8) become U+FFFD, one for one."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.translate(_SURROGATES)
    return text


@dataclass(frozen=True)
class Match:
    """One match: its group spans, on the original text."""

    text: str
    spans: tuple[tuple[int, int], ...]

    def span(self, group: int = 0) -> tuple[int, int]:
        return self.spans[group]

    def start(self, group: int = 0) -> int:
        return self.spans[group][0]

    def end(self, group: int = 0) -> int:
        return self.spans[group][1]

    def group(self, group: int = 0) -> str | None:
        begin, end = self.spans[group]
        return None if begin < 0 else self.text[begin:end]


class Pattern:
    """An RE2 pattern with the ``re`` methods the text modules use; every method takes time linear in the text."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._regexp = re2.compile(pattern)

    def finditer(self, text: str) -> Iterator[Match]:
        groups = self._regexp.groups
        for found in self._regexp.finditer(_subject(text)):
            yield Match(text, tuple(found.span(k) for k in range(groups + 1)))

    def search(self, text: str) -> Match | None:
        return next(self.finditer(text), None)

    def fullmatch(self, text: str) -> Match | None:
        found = self._regexp.fullmatch(_subject(text))
        return Match(text, tuple(found.span(k) for k in range(self._regexp.groups + 1))) if found else None

    def findall(self, text: str) -> list[str]:
        """The whole matches (these patterns have no groups the callers read)."""
        return [text[m.start() : m.end()] for m in self.finditer(text)]

    def sub(self, repl: str | Callable[[Match], str], text: str) -> str:
        parts, at = [], 0
        for match in self.finditer(text):
            parts += [text[at : match.start()], repl(match) if callable(repl) else repl]
            at = match.end()
        return "".join(parts) + text[at:] if parts else text

    def split(self, text: str) -> list[str]:
        parts, at = [], 0
        for match in self.finditer(text):
            parts.append(text[at : match.start()])
            at = match.end()
        return [*parts, text[at:]]


class WholeWords:
    """Matches of ``body`` that neither follow nor precede a word character, as Python's ``finditer`` reports
    ``(?<!\\w)body(?!\\w)``: RE2 has no look-around, so the characters on either side are matched too (or the start
    or end of the text), and each search starts at the last character of the previous match. The text is encoded
    once and searched by byte offset, so finding every match stays linear in the text's length."""

    def __init__(self, body: str) -> None:
        self.body = body
        self._regexp = re2.compile(f"(?:^|[^{WORD}])({body})(?:[^{WORD}]|$)")

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each match, in characters of ``text``."""
        subject = _subject(text)
        data = subject.encode("utf-8")
        if len(data) == len(subject):
            char_at, byte_at = None, None  # ASCII: a byte is a character
        else:
            byte_at = [0] * (len(subject) + 1)
            for index, ch in enumerate(subject):
                byte_at[index + 1] = byte_at[index] + len(ch.encode("utf-8"))
            char_at = {offset: index for index, offset in enumerate(byte_at)}
        start = 0  # in characters: where the previous match ended
        while start <= len(subject):
            search_from = start - 1 if start else 0  # the character before a match may end the previous one
            found = self._regexp.search(data, search_from if byte_at is None else byte_at[search_from])
            if found is None:
                return
            begin, end = found.span(1)
            if char_at is not None:
                begin, end = char_at[begin], char_at[end]
            yield begin, end
            start = max(end, begin + 1)

    def search(self, text: str) -> tuple[int, int] | None:
        return next(self.finditer(text), None)


def compile(pattern: str) -> Pattern:  # noqa: A001 - the ``re`` name, on purpose
    return Pattern(pattern)


def escape(text: str) -> str:
    """``text`` as an RE2 literal."""
    return re2.escape(text)


def is_word(ch: str) -> bool:
    """Python's ``\\w`` for one character."""
    return ch.isalnum() or ch == "_"
