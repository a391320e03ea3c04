"""Arbitrary Unicode through the real API: emoji, combining marks, RTL overrides, zero-width characters, unpaired
surrogates smuggled in as JSON escapes, and 20 KB texts. Never a 5xx; spans always valid UTF-16 ranges."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ANALYZE = "/v1alpha1/comments:analyze"
TRICKY = st.sampled_from(["\u202e", "\u200b", "\u200d", "\u0301", "\u0663", "👩‍👩‍👧", "🇦🇲", "\ufeff", "İ", "ß", "\u0000", "\n", " "])
TEXTS = st.lists(st.one_of(st.text(min_size=1, max_size=30), TRICKY), min_size=1, max_size=40).map("".join)


def _check_spans(text_utf16_length: int, body: dict) -> None:
    for entry in body["attributeScores"].values():
        previous = 0
        for span in entry.get("spanScores", []):
            assert previous <= span["begin"] < span["end"] <= text_utf16_length
            assert 0.0 <= span["score"]["value"] <= 1.0
            previous = span["end"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_any_text_is_scored_or_refused_cleanly(client: TestClient, api_key: str, text: str) -> None:
    payload = {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}, "THREAT": {}}, "spanAnnotations": True, "languages": ["en"]}
    response = client.post(f"{ANALYZE}?key={api_key}", json=payload)
    assert response.status_code in (200, 400), response.text
    if response.status_code == 200:
        _check_spans(len(text.encode("utf-16-le")) // 2, response.json())
    else:
        assert response.json()["error"]["details"][0]["errorType"] == "COMMENT_EMPTY"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.text(max_size=10), surrogate=st.integers(0xD800, 0xDFFF), suffix=st.text(max_size=10))
def test_unpaired_surrogate_escapes_become_replacement_characters(client: TestClient, api_key: str, prefix: str, surrogate: int, suffix: str) -> None:
    text_json = json.dumps(prefix)[:-1] + f"\\u{surrogate:04x}" + json.dumps(suffix)[1:]
    raw = '{"comment": {"text": ' + text_json + '}, "requestedAttributes": {"TOXICITY": {}}, "spanAnnotations": true, "languages": ["en"]}'
    response = client.post(f"{ANALYZE}?key={api_key}", content=raw.encode(), headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text
    cleaned = prefix + "\ufffd" + suffix
    _check_spans(len(cleaned.encode("utf-16-le")) // 2, response.json())


def test_twenty_kilobyte_comment_of_many_sentences(client: TestClient, api_key: str) -> None:
    text = ("Is this fine? Yes. 😀 " * 1200)[:17500]
    assert len(text.encode()) <= 20480
    payload = {"comment": {"text": text}, "requestedAttributes": {"INSULT": {}}, "spanAnnotations": True, "languages": ["en"]}
    response = client.post(f"{ANALYZE}?key={api_key}", json=payload)
    assert response.status_code == 200
    spans = response.json()["attributeScores"]["INSULT"]["spanScores"]
    assert 0 < len(spans) <= 200  # span work is bounded (span_max_sentences)
    _check_spans(len(text.encode("utf-16-le")) // 2, response.json())
