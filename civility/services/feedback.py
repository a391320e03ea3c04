"""Suggested scores (comments:suggestscore) stored as labelled examples for retraining and site calibration.

Every request is client input written to disk, so what one request may store is bounded: only attribute keys that
comments:analyze would score (existing attributes and ``@N`` versions, in the request's languages), at most
``MAX_ATTRIBUTES`` of them and ``MAX_SPANS`` span scores in all, and a context of at most ``CONTEXT_FACTOR`` times the
comment limit. The comment and its context are stored once per request (a suggestion), each attribute's label as
a small row pointing at it, so the database never grows faster than the bytes clients send.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from civility import errors
from civility.services.analyze import check_text, parse_pin, resolve_languages
from civility.services.context import Services
from civility.storage import analyzed as comment_store
from civility.text.offsets import utf16_len

MAX_ATTRIBUTES = 32
MAX_SPANS = 1000
CONTEXT_FACTOR = 4


@dataclass(frozen=True)
class SuggestedScore:
    attribute: str
    value: float | None
    spans: Sequence[dict[str, float]] = ()


@dataclass(frozen=True)
class SuggestRequest:
    text: str
    scores: Sequence[SuggestedScore]
    languages: Sequence[str] = ()
    context: dict[str, Any] | None = None
    community_id: str | None = None
    client_token: str | None = None
    session_id: str | None = None


@dataclass(frozen=True)
class SuggestResult:
    client_token: str | None
    detected_languages: tuple[str, ...]
    requested_languages: tuple[str, ...] = field(default_factory=tuple)


def max_context_bytes(services: Services) -> int:
    return CONTEXT_FACTOR * services.settings.max_comment_bytes


def context_bytes(context: Mapping[str, Any] | None) -> int:
    """The context's size as stored: compact JSON in UTF-8."""
    if context is None:
        return 0
    return len(json.dumps(context, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def suggest_score(services: Services, request: SuggestRequest, api_key_id: int | None = None) -> SuggestResult:
    check_text(services, request.text)
    _check_bounds(services, request)
    keys = _canonical_keys(request.scores)
    length = utf16_len(request.text)
    for score in request.scores:
        _check_values(score, length)
    languages, detected = resolve_languages(services, request.text, request.languages)
    _check_exist(services, request.scores, languages, list(request.languages), list(detected or languages))
    labels = [
        {
            "attribute": key,
            "value": score.value if score.value is not None else max(s.get("value", 0.0) for s in score.spans),
            "spans": [dict(span) for span in score.spans],
        }
        for key, score in zip(keys, request.scores)
    ]
    with services.sessions.begin() as session:
        comment_store.insert_suggestion(
            session,
            labels,
            api_key_id=api_key_id,
            text=request.text,
            context=request.context,
            languages=list(languages),
            community_id=request.community_id,
            client_token=request.client_token,
            session_id=request.session_id,
        )
    return SuggestResult(request.client_token, detected, tuple(request.languages))


def _check_bounds(services: Services, request: SuggestRequest) -> None:
    if not request.scores:
        raise errors.invalid_request("attributeScores must not be empty.")
    if len(request.scores) > MAX_ATTRIBUTES:
        raise errors.invalid_request(f"Too many attributeScores: {len(request.scores)} (limit {MAX_ATTRIBUTES}).")
    spans = sum(len(score.spans) for score in request.scores)
    if spans > MAX_SPANS:
        raise errors.invalid_request(f"Too many spanScores: {spans} in all (limit {MAX_SPANS}).")
    limit = max_context_bytes(services)
    if context_bytes(request.context) > limit:
        raise errors.invalid_request(f"Context too long (limit {limit} bytes of UTF-8).")


def _canonical_keys(scores: Sequence[SuggestedScore]) -> list[str]:
    """``NAME`` or ``NAME@N`` for each key; the same attribute and version given twice is refused."""
    keys = []
    for score in scores:
        name, version = parse_pin(score.attribute)
        key = name if version is None else f"{name}@{version}"
        if key in keys:
            raise errors.invalid_request(f"Attribute {key} is given more than once.")
        keys.append(key)
    return keys


def _check_values(score: SuggestedScore, length: int) -> None:
    values = [score.value] if score.value is not None else []
    values += [span.get("value", 0.0) for span in score.spans]
    if not values:
        raise errors.invalid_request(f"Attribute {score.attribute} has neither a summaryScore nor spanScores.")
    if any(not 0.0 <= v <= 1.0 for v in values):
        raise errors.invalid_request(f"Scores for {score.attribute} must lie between 0 and 1.")
    for span in score.spans:
        if not 0 <= span.get("begin", 0) <= span.get("end", 0) <= length:
            raise errors.invalid_request(
                f"Span scores for {score.attribute} must satisfy 0 <= begin <= end <= {length} (the comment's length)."
            )


def _check_exist(
    services: Services, scores: Sequence[SuggestedScore], languages: Sequence[str], requested: list[str], detected: list[str]
) -> None:
    """The same answer comments:analyze gives: an unknown name or version is an unknown attribute; a model we hold
    in other languages only is LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE."""
    coverage = services.registry.coverage()
    for score in scores:
        name, version = parse_pin(score.attribute)
        if any(services.registry.resolve(name, language, version) is not None for language in languages):
            continue
        if version is not None and not any(version in versions for versions in coverage.get(name, {}).values()):
            raise errors.unknown_attribute(score.attribute)
        raise errors.language_not_supported(score.attribute, requested, detected)
