"""Wire models with Perspective's exact field names (camelCase on the wire; proto field names accepted too)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

MAX_TOKEN = 512


class WireModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class TextEntry(WireModel):
    text: str | None = None
    type: str | None = None


class ArticleAndParentComment(WireModel):
    article: TextEntry | None = None
    parent_comment: TextEntry | None = None


class Context(WireModel):
    entries: list[TextEntry] | None = Field(None, max_length=100)
    article_and_parent_comment: ArticleAndParentComment | None = None


class AttributeParameters(WireModel):
    score_type: str | None = None
    score_threshold: float | None = Field(None, ge=0.0, le=1.0)


class AnalyzeCommentRequest(WireModel):
    comment: TextEntry | None = None
    context: Context | None = None
    requested_attributes: dict[str, AttributeParameters | None] | None = None
    span_annotations: bool | None = None
    languages: list[str] | None = Field(None, max_length=20)
    do_not_store: bool | None = None
    client_token: str | None = Field(None, max_length=MAX_TOKEN)
    session_id: str | None = Field(None, max_length=MAX_TOKEN)
    community_id: str | None = Field(None, max_length=MAX_TOKEN)
    drop_unsupported_attributes: bool | None = None
    span_granularity: Literal["SENTENCE", "WORD"] | None = Field(
        None, description="Civility extension: WORD adds per-word spans (each word's contribution to its sentence)."
    )


class Score(WireModel):
    value: float | None = None
    type: str | None = None


class SpanScore(WireModel):
    begin: int | None = None
    end: int | None = None
    score: Score | None = None


class AttributeScores(WireModel):
    summary_score: Score | None = None
    span_scores: list[SpanScore] | None = Field(None, max_length=1000)


class SuggestCommentScoreRequest(WireModel):
    comment: TextEntry | None = None
    context: Context | None = None
    attribute_scores: dict[str, AttributeScores] | None = None
    languages: list[str] | None = Field(None, max_length=20)
    community_id: str | None = Field(None, max_length=MAX_TOKEN)
    client_token: str | None = Field(None, max_length=MAX_TOKEN)
    session_id: str | None = Field(None, max_length=MAX_TOKEN)
