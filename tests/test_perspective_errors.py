"""Every Perspective error comes back in Google's envelope with Perspective's errorType."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

ANALYZE = "/v1alpha1/comments:analyze"


def _error(response: Any, status: int, error_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert error["status"] in {"INVALID_ARGUMENT", "PERMISSION_DENIED", "NOT_FOUND", "METHOD_NOT_ALLOWED", "INTERNAL"}
    assert error["details"][0]["errorType"] == error_type
    assert "Traceback" not in response.text
    return error


def test_missing_key_is_refused(client: TestClient) -> None:
    response = client.post(ANALYZE, json={"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}})
    _error(response, 403, "API_KEY_MISSING")


def test_wrong_key_is_refused(client: TestClient) -> None:
    response = client.post(
        ANALYZE + "?key=cvl_nope", json={"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}}
    )
    error = _error(response, 400, "API_KEY_INVALID")
    assert error["message"] == "API key not valid. Please pass a valid API key."


def test_revoked_key_is_refused(client: TestClient, services: Any) -> None:
    from civility.services.keys import create_key, revoke_key

    created = create_key(services.sessions, "soon revoked")
    body = {"comment": {"text": "hello there"}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]}
    assert client.post(f"{ANALYZE}?key={created.key}", json=body).status_code == 200
    assert revoke_key(services.sessions, created.info.id)
    _error(client.post(f"{ANALYZE}?key={created.key}", json=body), 400, "API_KEY_INVALID")


@pytest.mark.parametrize(
    ("payload", "error_type", "fragment"),
    [
        ({"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}, "COMMENT_EMPTY", "non-empty"),
        ({"comment": {"text": "   \n "}, "requestedAttributes": {"TOXICITY": {}}}, "COMMENT_EMPTY", "non-empty"),
        ({"requestedAttributes": {"TOXICITY": {}}}, "COMMENT_EMPTY", "non-empty"),
        ({"comment": {"text": "hello"}}, "NO_REQUESTED_ATTRIBUTES", "requested_attributes"),
        ({"comment": {"text": "hello"}, "requestedAttributes": {}}, "NO_REQUESTED_ATTRIBUTES", "requested_attributes"),
        (
            {"comment": {"text": "hello"}, "requestedAttributes": {"NOT_A_THING": {}}, "languages": ["en"]},
            "INVALID_REQUEST",
            "Unknown requested attribute: NOT_A_THING",
        ),
        (
            {"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY@99": {}}, "languages": ["en"]},
            "INVALID_REQUEST",
            "TOXICITY@99",
        ),
        (
            {"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["xx"]},
            "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
            "does not support request languages: xx",
        ),
        (
            {"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {"scoreType": "PERCENTILE"}}},
            "INVALID_REQUEST",
            "score type PERCENTILE",
        ),
        (
            {"comment": {"text": "<b>hi</b>", "type": "HTML"}, "requestedAttributes": {"TOXICITY": {}}},
            "INVALID_REQUEST",
            "PLAIN_TEXT",
        ),
        (
            {"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}, "bogusField": 1},
            "INVALID_REQUEST",
            'Unknown name "bogusField"',
        ),
        (
            {
                "comment": {"text": "hello"},
                "requestedAttributes": {"TOXICITY": {}},
                "context": {"entries": [{"text": "a"}], "articleAndParentComment": {"article": {"text": "b"}}},
            },
            "INVALID_REQUEST",
            "either entries or article_and_parent_comment",
        ),
    ],
)
def test_request_errors(client: TestClient, api_key: str, payload: dict[str, Any], error_type: str, fragment: str) -> None:
    error = _error(client.post(f"{ANALYZE}?key={api_key}", json=payload), 400, error_type)
    assert fragment in error["message"]


def test_language_error_carries_perspective_detail(client: TestClient, api_key: str) -> None:
    payload = {"comment": {"text": "hello"}, "requestedAttributes": {"INSULT": {}}, "languages": ["sw"]}
    error = _error(client.post(f"{ANALYZE}?key={api_key}", json=payload), 400, "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE")
    detail = error["details"][0]["languageNotSupportedByAttributeError"]
    assert detail["attribute"] == "INSULT"
    assert detail["requestedLanguages"] == ["sw"]


def test_comment_too_long_counts_utf8_bytes(client: TestClient, api_key: str) -> None:
    fits = "é" * 10240  # 20,480 bytes exactly
    ok = client.post(f"{ANALYZE}?key={api_key}", json={"comment": {"text": fits}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]})
    assert ok.status_code == 200, ok.text
    too_long = fits + "e"
    _error(
        client.post(f"{ANALYZE}?key={api_key}", json={"comment": {"text": too_long}, "requestedAttributes": {"TOXICITY": {}}}),
        400,
        "COMMENT_TOO_LONG",
    )


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"{not json at all", "Invalid JSON payload"),
        (b"", "Empty body"),
        (b"[1, 2, 3]", "object at the top level"),
        (b'{"comment": {"text": "caf\xe9"}, "requestedAttributes": {"TOXICITY": {}}}', "Invalid UTF-8"),
        (b"{" * 100 + b"}" * 100, "Invalid JSON payload"),
    ],
)
def test_malformed_bodies(client: TestClient, api_key: str, raw: bytes, fragment: str) -> None:
    response = client.post(f"{ANALYZE}?key={api_key}", content=raw, headers={"content-type": "application/json"})
    error = _error(response, 400, "INVALID_REQUEST")
    assert fragment in error["message"]


def test_oversize_body_is_refused_before_parsing(client: TestClient, api_key: str) -> None:
    huge = b'{"comment": {"text": "' + b"a" * 1_200_000 + b'"}}'
    response = client.post(f"{ANALYZE}?key={api_key}", content=huge, headers={"content-type": "application/json"})
    _error(response, 413, "REQUEST_TOO_LARGE")


def test_wrong_method_and_unknown_path_use_the_envelope(client: TestClient) -> None:
    _error(client.get(ANALYZE), 405, "METHOD_NOT_ALLOWED")
    _error(client.post("/v1alpha1/comments:nonsense"), 404, "NOT_FOUND")
