"""Suggested scores (comments:suggestscore) stored as labelled examples for retraining and site calibration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from civility import errors
from civility.services.analyze import check_text, parse_pin, resolve_languages
from civility.services.context import Services
from civility.storage import analyzed as comment_store


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


def suggest_score(services: Services, request: SuggestRequest, api_key_id: int | None = None) -> SuggestResult:
    check_text(services, request.text)
    if not request.scores:
        raise errors.invalid_request("attributeScores must not be empty.")
    for score in request.scores:
        parse_pin(score.attribute)
        values = [score.value] if score.value is not None else []
        values += [span.get("value", 0.0) for span in score.spans]
        if not values:
            raise errors.invalid_request(f"Attribute {score.attribute} has neither a summaryScore nor spanScores.")
        if any(not 0.0 <= v <= 1.0 for v in values):
            raise errors.invalid_request(f"Scores for {score.attribute} must lie between 0 and 1.")
    languages, detected = resolve_languages(services, request.text, request.languages)
    with services.sessions.begin() as session:
        for score in request.scores:
            comment_store.insert_feedback(
                session,
                api_key_id=api_key_id,
                text=request.text,
                attribute=score.attribute.upper(),
                value=score.value if score.value is not None else max(s.get("value", 0.0) for s in score.spans),
                spans=list(score.spans),
                languages=list(languages),
                context=request.context,
                community_id=request.community_id,
                client_token=request.client_token,
                session_id=request.session_id,
            )
    return SuggestResult(request.client_token, detected, tuple(request.languages))
