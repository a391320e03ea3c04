"""Python string indices ↔ UTF-16 code units.

Perspective's span offsets count UTF-16 code units (JavaScript string positions), while Python indexes code points;
every character outside the Basic Multilingual Plane (most emoji) counts twice in UTF-16.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate


class Utf16Index:
    """Converts code-point indices of one text to UTF-16 offsets and back."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._ascii_like = all(ord(ch) < 0x10000 for ch in text)
        if not self._ascii_like:
            widths = [2 if ord(ch) >= 0x10000 else 1 for ch in text]
            self._prefix = [0, *accumulate(widths)]

    def to_utf16(self, index: int) -> int:
        """UTF-16 offset of code-point ``index`` (0 ≤ index ≤ len(text))."""
        if not 0 <= index <= len(self._text):
            raise ValueError(f"index {index} outside text of length {len(self._text)}")
        return index if self._ascii_like else self._prefix[index]

    def from_utf16(self, offset: int) -> int:
        """Code-point index that starts at or contains UTF-16 ``offset``."""
        if self._ascii_like:
            return max(0, min(offset, len(self._text)))
        return max(0, bisect_right(self._prefix, offset) - 1)

    @property
    def utf16_length(self) -> int:
        return self.to_utf16(len(self._text))


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
