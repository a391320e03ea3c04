"""Reading request bodies with a hard size bound and strict UTF-8, before any parsing."""

from __future__ import annotations

from fastapi import Request

from civility import errors


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, or 413 as soon as it is known to exceed ``limit`` (by header or while streaming)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise errors.body_too_large(limit)
        except ValueError:
            raise errors.invalid_request("Invalid Content-Length header.") from None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise errors.body_too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def decode_utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise errors.invalid_request(
            f"Invalid JSON payload received. Invalid UTF-8 at byte {exc.start}."
        ) from None
