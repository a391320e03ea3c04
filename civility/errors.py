"""Typed errors with a stable code, an HTTP status and a public message.

Each wire format renders them in one place (the Perspective envelope, the native JSON), so the shapes cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CivilityError(Exception):
    """Base of every error a client may see. ``message`` is public; ``context`` never leaves the server."""

    message: str
    error_type: str = "INVALID_REQUEST"
    http_status: int = 400
    status: str = "INVALID_ARGUMENT"
    details: dict[str, Any] = field(default_factory=dict)
    retry_after: int | None = None

    def __str__(self) -> str:
        return f"{self.error_type}: {self.message}"


def invalid_request(message: str) -> CivilityError:
    return CivilityError(message, "INVALID_REQUEST")


def comment_empty() -> CivilityError:
    return CivilityError("Comment must be non-empty.", "COMMENT_EMPTY")


def comment_too_long(limit: int) -> CivilityError:
    return CivilityError(f"Comment text too long (limit {limit} bytes of UTF-8).", "COMMENT_TOO_LONG")


def no_requested_attributes() -> CivilityError:
    return CivilityError("Missing requested_attributes", "NO_REQUESTED_ATTRIBUTES")


def unknown_attribute(name: str) -> CivilityError:
    return CivilityError(f"Unknown requested attribute: {name}", "INVALID_REQUEST")


def language_not_supported(attribute: str, requested: list[str], detected: list[str]) -> CivilityError:
    langs = ", ".join(requested or detected)
    return CivilityError(
        f"Attribute {attribute} does not support request languages: {langs}",
        "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
        details={
            "languageNotSupportedByAttributeError": {
                "attribute": attribute,
                "requestedLanguages": requested,
                "detectedLanguages": detected,
            }
        },
    )


def language_detection_failed() -> CivilityError:
    return CivilityError("Unable to detect language", "LANGUAGE_DETECTION_FAILED")


def invalid_api_key() -> CivilityError:
    return CivilityError("API key not valid. Please pass a valid API key.", "API_KEY_INVALID", 400, "INVALID_ARGUMENT")


def missing_api_key() -> CivilityError:
    return CivilityError(
        "The request is missing a valid API key.", "API_KEY_MISSING", 403, "PERMISSION_DENIED"
    )


def body_too_large(limit: int) -> CivilityError:
    return CivilityError(f"Request body too large (limit {limit} bytes).", "REQUEST_TOO_LARGE", 413, "INVALID_ARGUMENT")


def not_found(message: str) -> CivilityError:
    return CivilityError(message, "NOT_FOUND", 404, "NOT_FOUND")


def rate_limited(retry_after: int) -> CivilityError:
    return CivilityError(
        "Quota exceeded for quota metric 'Analysis requests' and limit 'requests per second' for this API key.",
        "RATE_LIMIT_EXCEEDED",
        429,
        "RESOURCE_EXHAUSTED",
        retry_after=retry_after,
    )


def overloaded(retry_after: int = 1) -> CivilityError:
    return CivilityError("The service is overloaded; retry shortly.", "OVERLOADED", 503, "UNAVAILABLE", retry_after=retry_after)


def deadline_exceeded(seconds: float) -> CivilityError:
    return CivilityError(f"The request took longer than {seconds:g} s.", "DEADLINE_EXCEEDED", 504, "DEADLINE_EXCEEDED", retry_after=1)
