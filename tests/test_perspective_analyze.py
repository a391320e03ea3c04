"""comments:analyze and comments:suggestscore through the app, with the committed model and a real SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from civility.config import Settings
from civility.scoring.types import PRODUCTION_ATTRIBUTES
from tests.databases import query, table_names

ANALYZE = "/v1alpha1/comments:analyze"
SUGGEST = "/v1alpha1/comments:suggestscore"


def _analyze(client: TestClient, key: str, **payload: Any) -> dict[str, Any]:
    response = client.post(f"{ANALYZE}?key={key}", json=payload)
    assert response.status_code == 200, response.text
    return response.json()


def test_all_production_attributes_are_scored(client: TestClient, api_key: str) -> None:
    body = _analyze(
        client,
        api_key,
        comment={"text": "You are a worthless idiot and I will hurt you."},
        requestedAttributes={name: {} for name in PRODUCTION_ATTRIBUTES},
        languages=["en"],
    )
    assert set(body["attributeScores"]) == set(PRODUCTION_ATTRIBUTES)
    for name, entry in body["attributeScores"].items():
        assert 0.0 <= entry["summaryScore"]["value"] <= 1.0, name
        assert entry["summaryScore"]["type"] == "PROBABILITY"
        assert "spanScores" not in entry
    assert body["languages"] == ["en"]
    assert set(body["modelVersions"]) == set(PRODUCTION_ATTRIBUTES)


def test_toxic_text_outscores_civil_text(client: TestClient, api_key: str) -> None:
    def toxicity(text: str) -> float:
        body = _analyze(client, api_key, comment={"text": text}, requestedAttributes={"TOXICITY": {}}, languages=["en"])
        return float(body["attributeScores"]["TOXICITY"]["summaryScore"]["value"])

    assert toxicity("shut up you stupid piece of shit") > toxicity("Thank you for this well researched article.")


def test_version_pin_reaches_the_same_model_and_is_keyed_as_asked(client: TestClient, api_key: str) -> None:
    body = _analyze(
        client, api_key, comment={"text": "idiot"}, requestedAttributes={"TOXICITY@1": {}, "TOXICITY": {}}, languages=["en"]
    )
    assert set(body["attributeScores"]) == {"TOXICITY@1", "TOXICITY"}
    assert body["modelVersions"]["TOXICITY@1"].endswith("@1")


def test_score_threshold_drops_low_scores(client: TestClient, api_key: str) -> None:
    body = _analyze(
        client,
        api_key,
        comment={"text": "Thank you for this well researched article."},
        requestedAttributes={"TOXICITY": {"scoreThreshold": 0.99}, "INSULT": {}},
        languages=["en"],
    )
    assert "TOXICITY" not in body["attributeScores"]
    assert "INSULT" in body["attributeScores"]


def test_drop_unsupported_attributes(client: TestClient, api_key: str) -> None:
    body = _analyze(
        client,
        api_key,
        comment={"text": "hello"},
        requestedAttributes={"TOXICITY": {}, "FLIRTATION": {}},
        languages=["en"],
        dropUnsupportedAttributes=True,
    )
    assert set(body["attributeScores"]) == {"TOXICITY"}


def test_spans_use_utf16_offsets(client: TestClient, api_key: str) -> None:
    text = "😀😀 Nice photo. You are an idiot."
    body = _analyze(client, api_key, comment={"text": text}, requestedAttributes={"INSULT": {}}, spanAnnotations=True, languages=["en"])
    spans = body["attributeScores"]["INSULT"]["spanScores"]
    utf16 = text.encode("utf-16-le")
    pieces = [utf16[s["begin"] * 2 : s["end"] * 2].decode("utf-16-le") for s in spans]
    assert pieces == ["😀😀 Nice photo.", "You are an idiot."]
    assert spans[1]["score"]["value"] > spans[0]["score"]["value"]


def test_language_is_detected_when_not_given(client: TestClient, api_key: str) -> None:
    body = _analyze(client, api_key, comment={"text": "Thanks for the thoughtful reporting on this story."}, requestedAttributes={"TOXICITY": {}})
    assert body["detectedLanguages"][0] == "en"
    assert body["languages"] == ["en"]


def test_proto_field_names_are_accepted(client: TestClient, api_key: str) -> None:
    body = _analyze(client, api_key, comment={"text": "hello"}, requested_attributes={"TOXICITY": {}}, languages=["en-US"], client_token="t1")
    assert body["clientToken"] == "t1"
    assert body["languages"] == ["en"]


def test_stored_unless_do_not_store(client: TestClient, api_key: str, settings: Settings) -> None:
    kept = "A perfectly ordinary remark about zebra crossings."
    secret = "Secret words: marmalade-gazebo-4471 should never be written."
    _analyze(client, api_key, comment={"text": kept}, requestedAttributes={"TOXICITY": {}}, languages=["en"], communityId="c1")
    _analyze(client, api_key, comment={"text": secret}, requestedAttributes={"TOXICITY": {}}, languages=["en"], doNotStore=True)

    url = settings.database_url
    assert query(url, "SELECT text, community_id FROM analyzed_comments") == [(kept, "c1")]
    for table in table_names(url):
        for row in query(url, f'SELECT * FROM "{table}"'):
            assert not any("marmalade-gazebo" in str(v) for v in row), table
    if url.startswith("sqlite:///"):
        # Not in the database file nor its write-ahead log, in any form.
        path = Path(url.removeprefix("sqlite:///"))
        for file in path.parent.glob(path.name + "*"):
            assert b"marmalade-gazebo" not in file.read_bytes(), file.name


def test_suggestscore_stores_labelled_feedback(client: TestClient, api_key: str, settings: Settings) -> None:
    payload = {
        "comment": {"text": "I guess it comes down to taste."},
        "context": {"entries": [{"text": '{"url": "https://example.org/story#c1"}'}]},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0}}, "INSULT": {"summaryScore": {}}},
        "languages": ["en"],
        "communityId": "Coral:https://example.org",
        "clientToken": "comment:c1",
    }
    response = client.post(f"{SUGGEST}?key={api_key}", json=payload)
    assert response.status_code == 200, response.text
    assert response.json() == {"detectedLanguages": ["en"], "requestedLanguages": ["en"], "clientToken": "comment:c1"}
    rows = query(
        settings.database_url,
        "SELECT f.attribute, f.value, s.community_id, s.text FROM feedback f JOIN suggestions s ON s.id = f.suggestion_id"
        " ORDER BY f.attribute",
    )
    assert rows == [
        ("INSULT", 0.0, "Coral:https://example.org", "I guess it comes down to taste."),
        ("TOXICITY", 0.0, "Coral:https://example.org", "I guess it comes down to taste."),
    ]


def test_suggestscore_rejects_empty_and_out_of_range(client: TestClient, api_key: str) -> None:
    empty = client.post(f"{SUGGEST}?key={api_key}", json={"comment": {"text": "x y z"}, "attributeScores": {}})
    assert empty.status_code == 400 and empty.json()["error"]["details"][0]["errorType"] == "INVALID_REQUEST"
    wrong = client.post(
        f"{SUGGEST}?key={api_key}",
        json={"comment": {"text": "x y z"}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 3}}}, "languages": ["en"]},
    )
    assert wrong.status_code == 400


def test_discovery_document_points_at_this_server(client: TestClient) -> None:
    document = client.get("/$discovery/rest?version=v1alpha1").json()
    assert document["rootUrl"] == "http://testserver/"
    methods = document["resources"]["comments"]["methods"]
    assert methods["analyze"]["path"] == "v1alpha1/comments:analyze"
    assert methods["suggestscore"]["request"]["$ref"] in document["schemas"]
    assert client.get("/$discovery/rest?version=v9").status_code == 404


def test_discovery_document_serves_the_coverage_table(client: TestClient) -> None:
    coverage = client.get("/$discovery/rest?version=v1alpha1").json()["x-civility-coverage"]
    assert "en" in coverage["THREAT"] and "de" in coverage["INSULT"]
    assert "tr" not in coverage["INSULT"]


def test_word_spans_point_at_the_words_that_carry_the_score(client: TestClient, api_key: str) -> None:
    text = "The photos are lovely. You are a stupid idiot."
    body = _analyze(client, api_key, comment={"text": text}, requestedAttributes={"INSULT": {}}, spanAnnotations=True,
                    spanGranularity="WORD", languages=["en"])
    spans = body["attributeScores"]["INSULT"]["spanScores"]
    sentences = [s for s in spans if (s["begin"], s["end"]) in {(0, 22), (23, 46)}]
    word_level = [s for s in spans if s not in sentences]
    assert len(sentences) == 2 and word_level
    top = max(word_level, key=lambda s: s["score"]["value"])
    assert text[top["begin"] : top["end"]] in {"stupid", "idiot"}
    assert all(23 <= s["begin"] < s["end"] <= 46 for s in word_level)  # only the insulting sentence is examined
