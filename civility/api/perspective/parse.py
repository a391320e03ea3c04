"""Decoding Perspective request bodies the way Google's front end does.

Google accepts proto3-style lenient JSON: the official cURL sample sends unquoted keys. Strict JSON is tried first
(fast); only when it fails is the body read as JSON5, and only up to ``LENIENT_MAX_CHARS``: the JSON5 parser is pure
Python, about a hundred times slower, and a hand-typed request with unquoted keys is small. Nesting deeper than
``MAX_DEPTH`` is refused, and so is nesting too deep for either parser to recurse through (a body of 100,000 "[").
The parse takes CPU time in proportion to the body, so callers run it off the event loop (``parse_off_loop``). Unpaired UTF-16 surrogates that JSON escapes can smuggle in
become U+FFFD, so that every stored string is valid Unicode and span offsets stay one code unit each.
"""

from __future__ import annotations

import json
from typing import Any

import json5
from starlette.concurrency import run_in_threadpool

from civility import errors

MAX_DEPTH = 32
LENIENT_MAX_CHARS = 64 * 1024
_TOO_DEEP = "Invalid JSON payload received. Nesting too deep."


async def parse_off_loop(text: str) -> dict[str, Any]:
    """:func:`parse_json_object` on a worker thread, so a large or lenient body does not stall other requests."""
    return await run_in_threadpool(parse_json_object, text)


def parse_json_object(text: str) -> dict[str, Any]:
    if not text.strip():
        raise errors.invalid_request("Invalid JSON payload received. Empty body.")
    try:
        value = json.loads(text)
    except RecursionError:
        raise errors.invalid_request(_TOO_DEEP) from None
    except ValueError:
        if len(text) > LENIENT_MAX_CHARS:
            raise errors.invalid_request(
                f"Invalid JSON payload received. A body over {LENIENT_MAX_CHARS // 1024} KB must be strict JSON "
                "(quoted keys, no comments)."
            ) from None
        try:
            value = json5.loads(text)
        except RecursionError:
            raise errors.invalid_request(_TOO_DEEP) from None
        except Exception as exc:  # json5 raises several types for one condition: bad syntax
            raise errors.invalid_request(f"Invalid JSON payload received. {_short(exc)}") from None
    if not isinstance(value, dict):
        raise errors.invalid_request("Invalid JSON payload received. Expected an object at the top level.")
    _check_depth(value, 0)
    return _clean(value)


def _short(exc: Exception) -> str:
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return message[:200]


def _check_depth(value: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise errors.invalid_request(_TOO_DEEP)
    if isinstance(value, dict):
        for item in value.values():
            _check_depth(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_depth(item, depth + 1)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _replace_lone_surrogates(value)
    if isinstance(value, dict):
        return {_replace_lone_surrogates(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def _replace_lone_surrogates(text: str) -> str:
    """Also NUL, which PostgreSQL cannot store in text: U+FFFD keeps every offset where it was."""
    text = text.replace("\x00", "\ufffd")
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
