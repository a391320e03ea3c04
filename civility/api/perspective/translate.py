"""Wire ↔ domain for the Perspective endpoints: validation messages, comment types, UTF-16 span offsets."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from civility import errors
from civility.api.perspective.schemas import AnalyzeCommentRequest, Context, SuggestCommentScoreRequest, TextEntry
from civility.services.analyze import AnalyzeRequest, AnalyzeResult, AttributeRequest
from civility.services.feedback import SuggestedScore, SuggestRequest, SuggestResult
from civility.text.offsets import Utf16Index

ACCEPTED_TEXT_TYPES = {None, "", "PLAIN_TEXT", "TEXT_TYPE_UNSPECIFIED"}
Wire = TypeVar("Wire", bound=BaseModel)


def validate(model: type[Wire], payload: dict[str, Any]) -> Wire:
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "request"
        if first["type"] == "extra_forbidden":
            message = f'Invalid JSON payload received. Unknown name "{first["loc"][-1]}" at \'{where}\': Cannot find field.'
        else:
            message = f"Invalid value at '{where}': {first['msg']}"
        raise errors.invalid_request(message) from None


def _comment_text(entry: TextEntry | None) -> str:
    if entry is None or entry.text is None:
        raise errors.comment_empty()
    if entry.type not in ACCEPTED_TEXT_TYPES:
        if entry.type == "HTML":
            raise errors.invalid_request("Currently, only 'PLAIN_TEXT' comments are supported.")
        raise errors.invalid_request(f"Unknown text type: {entry.type}")
    return entry.text


def _context(context: Context | None) -> dict[str, Any] | None:
    if context is None:
        return None
    if context.entries and context.article_and_parent_comment:
        raise errors.invalid_request(
            "Context can have either entries or article_and_parent_comment, but both fields were populated."
        )
    return context.model_dump(by_alias=True, exclude_none=True)


def analyze_request(wire: AnalyzeCommentRequest) -> AnalyzeRequest:
    text = _comment_text(wire.comment)
    attributes = [
        AttributeRequest(
            key=key,
            score_type=(params.score_type or "") if params else "",
            score_threshold=params.score_threshold if params else None,
        )
        for key, params in (wire.requested_attributes or {}).items()
    ]
    return AnalyzeRequest(
        text=text,
        attributes=attributes,
        languages=tuple(wire.languages or ()),
        span_annotations=bool(wire.span_annotations),
        word_spans=wire.span_granularity == "WORD",
        do_not_store=bool(wire.do_not_store),
        drop_unsupported=bool(wire.drop_unsupported_attributes),
        client_token=wire.client_token,
        session_id=wire.session_id,
        community_id=wire.community_id,
        context=_context(wire.context),
    )


def analyze_response(text: str, result: AnalyzeResult, include_versions: bool) -> dict[str, Any]:
    index = Utf16Index(text)
    attribute_scores: dict[str, Any] = {}
    for key, score in result.scores.items():
        entry: dict[str, Any] = {"summaryScore": {"value": round(score.value, 7), "type": "PROBABILITY"}}
        if score.spans:
            entry["spanScores"] = [
                {
                    "begin": index.to_utf16(span.begin),
                    "end": index.to_utf16(span.end),
                    "score": {"value": round(span.score, 7), "type": "PROBABILITY"},
                }
                for span in score.spans
            ]
        attribute_scores[key] = entry
    body: dict[str, Any] = {
        "attributeScores": attribute_scores,
        "languages": list(result.languages),
        "detectedLanguages": list(result.detected_languages),
    }
    if result.client_token is not None:
        body["clientToken"] = result.client_token
    if include_versions:
        body["modelVersions"] = dict(result.models)
    return body


def suggest_request(wire: SuggestCommentScoreRequest) -> SuggestRequest:
    text = _comment_text(wire.comment)
    scores = []
    for key, given in (wire.attribute_scores or {}).items():
        spans = [
            {"begin": s.begin or 0, "end": s.end or 0, "value": s.score.value if s.score and s.score.value is not None else 0.0}
            for s in (given.span_scores or [])
        ]
        value = given.summary_score.value if given.summary_score else None
        if given.summary_score and value is None:
            value = 0.0  # proto3 omits zero: {"summaryScore": {}} means 0
        scores.append(SuggestedScore(key, value, spans))
    return SuggestRequest(
        text=text,
        scores=scores,
        languages=tuple(wire.languages or ()),
        context=_context(wire.context),
        community_id=wire.community_id,
        client_token=wire.client_token,
        session_id=wire.session_id,
    )


def suggest_response(result: SuggestResult) -> dict[str, Any]:
    body: dict[str, Any] = {"detectedLanguages": list(result.detected_languages)}
    if result.requested_languages:
        body["requestedLanguages"] = list(result.requested_languages)
    if result.client_token is not None:
        body["clientToken"] = result.client_token
    return body
