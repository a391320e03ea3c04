"""The commentanalyzer v1alpha1 discovery document, with this server as its root URL.

Google's client libraries build their methods from this document at run time; serving it here means code written
for Perspective (``discovery.build(..., discoveryServiceUrl=...)``) works by changing only that URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SCOPE = "https://www.googleapis.com/auth/userinfo.email"


def _obj(description: str, **properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "description": description, "properties": properties}


def _str(description: str, enum: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "description": description}
    if enum:
        schema["enum"] = enum
    return schema


def _ref(name: str, description: str = "") -> dict[str, Any]:
    return {"$ref": name, "description": description} if description else {"$ref": name}


def _array(items: dict[str, Any], description: str) -> dict[str, Any]:
    return {"type": "array", "items": items, "description": description}


def _map(values: dict[str, Any], description: str) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": values, "description": description}


_BOOL = {"type": "boolean"}
_FLOAT = {"type": "number", "format": "float"}
_INT = {"type": "integer", "format": "int32"}
_TEXT_TYPES = ["TEXT_TYPE_UNSPECIFIED", "PLAIN_TEXT", "HTML"]
_SCORE_TYPES = ["SCORE_TYPE_UNSPECIFIED", "PROBABILITY", "STD_DEV_SCORE", "PERCENTILE", "RAW"]


def _schemas() -> dict[str, dict[str, Any]]:
    schemas = {
        "TextEntry": _obj(
            "A piece of text to analyze.",
            text=_str("UTF-8 encoded text."),
            type=_str("Type of the text; only PLAIN_TEXT is supported.", _TEXT_TYPES),
        ),
        "ArticleAndParentComment": _obj(
            "The article a comment is under and the comment it replies to.",
            article=_ref("TextEntry", "The article text."),
            parentComment=_ref("TextEntry", "The comment this one replies to."),
        ),
        "Context": _obj(
            "Context the comment appeared in. Either entries or articleAndParentComment.",
            entries=_array(_ref("TextEntry"), "Free-form context entries."),
            articleAndParentComment=_ref("ArticleAndParentComment", "The article and parent comment."),
        ),
        "AttributeParameters": _obj(
            "How to score one requested attribute.",
            scoreType=_str("Score type; only PROBABILITY is supported.", _SCORE_TYPES),
            scoreThreshold={**_FLOAT, "description": "Scores below this value are not returned."},
        ),
        "Score": _obj(
            "A score and its type.",
            value={**_FLOAT, "description": "The score."},
            type=_str("The type of the score.", _SCORE_TYPES),
        ),
        "SpanScore": _obj(
            "The score of a span of the text, in UTF-16 code units, end exclusive.",
            begin={**_INT, "description": "Start of the span."},
            end={**_INT, "description": "End of the span (exclusive)."},
            score=_ref("Score", "The span's score."),
        ),
        "AttributeScores": _obj(
            "Scores for one attribute.",
            summaryScore=_ref("Score", "The whole comment's score."),
            spanScores=_array(_ref("SpanScore"), "Per-span scores."),
        ),
        "AnalyzeCommentRequest": _obj(
            "The comment analysis request message.",
            comment=_ref("TextEntry", "The comment to analyze."),
            context=_ref("Context", "Optional context."),
            requestedAttributes=_map(_ref("AttributeParameters"), "Attributes to score; ATTR@N pins a version."),
            spanAnnotations={**_BOOL, "description": "Return per-sentence span scores."},
            languages=_array({"type": "string"}, "BCP-47 codes; detected when omitted."),
            doNotStore={**_BOOL, "description": "Do not store the comment."},
            clientToken=_str("Echoed back in the response."),
            sessionId=_str("Session identifier, for abuse protection."),
            communityId=_str("The community the comment belongs to."),
            dropUnsupportedAttributes={**_BOOL, "description": "Drop attributes not supported in the language."},
        ),
        "AnalyzeCommentResponse": _obj(
            "The comment analysis response message.",
            attributeScores=_map(_ref("AttributeScores"), "Scores per requested attribute."),
            languages=_array({"type": "string"}, "Languages the comment was scored in."),
            detectedLanguages=_array({"type": "string"}, "Detected languages, most likely first."),
            clientToken=_str("Same token as in the request."),
        ),
        "SuggestCommentScoreRequest": _obj(
            "A suggested (corrected) score for a comment.",
            comment=_ref("TextEntry", "The comment being scored."),
            context=_ref("Context", "Optional context."),
            attributeScores=_map(_ref("AttributeScores"), "The suggested scores."),
            languages=_array({"type": "string"}, "BCP-47 codes."),
            communityId=_str("The community the comment belongs to."),
            clientToken=_str("Echoed back in the response."),
            sessionId=_str("Session identifier."),
        ),
        "SuggestCommentScoreResponse": _obj(
            "The suggest score response.",
            detectedLanguages=_array({"type": "string"}, "Detected languages."),
            requestedLanguages=_array({"type": "string"}, "Languages given in the request."),
            clientToken=_str("Same token as in the request."),
        ),
    }
    for name, schema in schemas.items():
        schema["id"] = name
    return schemas


def _standard_parameters() -> dict[str, dict[str, Any]]:
    def query(description: str, **extra: Any) -> dict[str, Any]:
        return {"type": "string", "location": "query", "description": description, **extra}

    return {
        "$.xgafv": query("V1 error format.", enum=["1", "2"]),
        "access_token": query("OAuth access token."),
        "alt": query("Data format for response.", enum=["json", "media", "proto"], default="json"),
        "callback": query("JSONP"),
        "fields": query("Selector specifying which fields to include in a partial response."),
        "key": query("API key (made with `civility keys create`)."),
        "oauth_token": query("OAuth 2.0 token for the current user."),
        "prettyPrint": {"type": "boolean", "location": "query", "default": "true", "description": "Pretty-print."},
        "quotaUser": query("Quota user."),
        "uploadType": query("Legacy upload protocol for media."),
        "upload_protocol": query("Upload protocol for media."),
    }


def _method(name: str, path: str, request: str, response: str, description: str) -> dict[str, Any]:
    return {
        "id": f"commentanalyzer.comments.{name}",
        "path": path,
        "flatPath": path,
        "httpMethod": "POST",
        "parameters": {},
        "parameterOrder": [],
        "request": {"$ref": request},
        "response": {"$ref": response},
        "scopes": [SCOPE],
        "description": description,
    }


COVERAGE_FIELD = "x-civility-coverage"


def coverage_by_attribute(coverage: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    """attribute → the languages it is judged in, from ``ModelRegistry.coverage()`` (attribute → language → versions)."""
    return {attribute: sorted(per_language) for attribute, per_language in sorted(coverage.items())}


def discovery_document(
    root_url: str, revision: str, coverage: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """The discovery document. With ``coverage`` (the registry's), it carries the non-standard top-level field
    ``x-civility-coverage`` — {attribute: [languages]}, the honest table of what is judged where; client libraries
    ignore fields they do not know. An attribute–language pair not listed answers LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE."""
    root = root_url if root_url.endswith("/") else root_url + "/"
    document = _document(root, revision)
    if coverage is not None:
        document[COVERAGE_FIELD] = coverage_by_attribute(coverage)
    return document


def _document(root: str, revision: str) -> dict[str, Any]:
    return {
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "id": "commentanalyzer:v1alpha1",
        "name": "commentanalyzer",
        "canonicalName": "Commentanalyzer",
        "version": "v1alpha1",
        "revision": revision,
        "title": "Perspective Comment Analyzer API (served by Civility)",
        "description": "Scores comments for toxicity and related attributes. Self-hosted by Civility.",
        "documentationLink": root + "docs",
        "ownerDomain": "civility.local",
        "ownerName": "Civility",
        "protocol": "rest",
        "rootUrl": root,
        "servicePath": "",
        "basePath": "",
        "baseUrl": root,
        "batchPath": "batch",
        "mtlsRootUrl": root,
        "icons": {"x16": "", "x32": ""},
        "parameters": _standard_parameters(),
        "auth": {"oauth2": {"scopes": {SCOPE: {"description": "See your primary Google Account email address"}}}},
        "schemas": _schemas(),
        "resources": {
            "comments": {
                "methods": {
                    "analyze": _method(
                        "analyze",
                        "v1alpha1/comments:analyze",
                        "AnalyzeCommentRequest",
                        "AnalyzeCommentResponse",
                        "Analyzes the provided text and returns scores for requested attributes.",
                    ),
                    "suggestscore": _method(
                        "suggestscore",
                        "v1alpha1/comments:suggestscore",
                        "SuggestCommentScoreRequest",
                        "SuggestCommentScoreResponse",
                        "Suggest comment scores as training data.",
                    ),
                }
            }
        },
    }
