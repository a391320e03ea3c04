"""Which comments name a word or phrase from a list: the cascade holds a comment that mentions a social group to a
stricter threshold before its fast model's answer stands.

A bag-of-words model learns identity words as evidence of toxicity (it has seen "muslims" and "gay" mostly in attacks),
so on a comment that mentions a group its score is least trustworthy in both directions: it flags "I am a gay man"
and answers confidently on attacks phrased in words it has not seen. Sending more of them to the transformer costs
speed only, on the share of comments that name a group.

Matching is on whole words of the text as the models read it (:func:`civility.text.normalize.normalize`: look-alike
letters, leetspeak and spread-out letters undone), lower-cased, with hyphens read as spaces, for phrases of up to
three words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from civility.text import patterns
from civility.text.normalize import normalize

MAX_WORDS = 3
_WORD = patterns.compile(f"[{patterns.ALNUM}]+")
_TERM = patterns.compile(r"[a-z0-9]+(?:[ -][a-z0-9]+){0,2}")


class TermMatcher:
    """A fixed set of lower-case terms (one to three words), matched as whole words."""

    def __init__(self, terms: Iterable[str]) -> None:
        cleaned = set()
        for term in terms:
            if not _TERM.fullmatch(term):
                raise ValueError(f"a term is one to three lower-case words: {term!r}")
            cleaned.add(term.replace("-", " "))
        if not cleaned:
            raise ValueError("a term list needs at least one term")
        self.terms = frozenset(cleaned)
        # One-word terms are found by one set intersection; a longer phrase is only tried where its first word is.
        self._single = frozenset(t for t in cleaned if " " not in t)
        self._starts = frozenset(t.split(" ", 1)[0] for t in cleaned if " " in t)

    @classmethod
    def from_file(cls, path: Path) -> TermMatcher:
        """One term per line; blank lines and lines starting with '#' are skipped."""
        lines = path.read_text(encoding="utf-8").splitlines()
        return cls(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))

    @staticmethod
    def _words(text: str) -> list[str]:
        return _WORD.findall(normalize(text).lower())

    def found(self, text: str) -> list[str]:
        """The terms the text mentions, in order of appearance (a term counted once)."""
        words = self._words(text)
        seen: dict[str, None] = {}
        for start, word in enumerate(words):
            if word in self._single:
                seen[word] = None
            if word in self._starts:
                for width in range(2, MAX_WORDS + 1):
                    phrase = " ".join(words[start:start + width])
                    if start + width <= len(words) and phrase in self.terms:
                        seen[phrase] = None
        return list(seen)

    def mentions(self, texts: Sequence[str]) -> np.ndarray:
        """Per text, whether it mentions any term (the cascade's question, answered without listing them)."""
        out = np.zeros(len(texts), dtype=bool)
        for i, text in enumerate(texts):
            words = self._words(text)
            unique = set(words)
            if not unique.isdisjoint(self._single):
                out[i] = True
            elif not unique.isdisjoint(self._starts):
                out[i] = bool(self.found(text))
        return out
