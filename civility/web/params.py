"""Whole-number query parameters of dashboard pages (paging offsets, ids, day counts), bounded before they reach SQL.

A value the database cannot hold (an offset past 2**63, a negative id) would otherwise surface as a driver error and a
500; out of range, negative or not a number, it is the reader's mistake and gets a plain 400 page instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import overload

from civility import errors

MAX_OFFSET = 10_000_000  # the native API's bound on `offset`
MAX_ID = 2_147_483_647  # row ids are 32-bit integers in PostgreSQL


@overload
def bounded_int(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int: ...


@overload
def bounded_int(query: Mapping[str, str], name: str, default: None, low: int, high: int) -> int | None: ...


def bounded_int(query: Mapping[str, str], name: str, default: int | None, low: int, high: int) -> int | None:
    """``query[name]`` as an int in [low, high]; ``default`` when absent or empty; a 400 (CivilityError) otherwise."""
    raw = (query.get(name) or "").strip()
    if not raw:
        return default
    # ASCII digits only: str.isdigit() also admits "²" and other characters int() refuses; the length cap keeps
    # int() from ever converting a huge string.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(high))) or not low <= int(raw) <= high:
        raise errors.invalid_request(f"'{name}' must be a whole number from {low} to {high}.")
    return int(raw)
