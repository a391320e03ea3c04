"""The real server on loopback: `civility serve`, Google's own Python client, and Coral's request shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live_server import LiveServer, live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("live")) as running:
        yield running


def test_serve_prints_nothing_secret_to_disk_but_the_key_file(server: LiveServer) -> None:
    assert server.key.startswith("cvl_")
    assert oct(Path(server.database.parent / "local-api-key").stat().st_mode)[-3:] == "600"
    assert httpx.get(server.url + "/readyz").json()["status"] == "ready"


def test_official_google_client_works_with_only_the_url_changed(server: LiveServer) -> None:
    from googleapiclient import discovery

    client = discovery.build(
        "commentanalyzer",
        "v1alpha1",
        developerKey=server.key,
        discoveryServiceUrl=server.url + "/$discovery/rest?version=v1alpha1",
        static_discovery=False,
    )
    analyze_request = {
        "comment": {"text": "What kind of idiot name is foo? Sorry, I like your name."},
        "requestedAttributes": {"TOXICITY": {}, "INSULT": {}},
        "spanAnnotations": True,
        "clientToken": "comment-53922",
    }
    response = client.comments().analyze(body=analyze_request).execute()
    toxicity = response["attributeScores"]["TOXICITY"]
    assert 0.0 <= toxicity["summaryScore"]["value"] <= 1.0
    assert toxicity["summaryScore"]["type"] == "PROBABILITY"
    assert [(s["begin"], s["end"]) for s in toxicity["spanScores"]] == [(0, 31), (32, 56)]
    first, second = (s["score"]["value"] for s in toxicity["spanScores"])
    assert first > second  # the sentence with "idiot" is the toxic one
    assert response["languages"] == ["en"]
    assert response["clientToken"] == "comment-53922"

    suggestion = {
        "comment": {"text": "I guess it comes down to taste."},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0}}},
        "communityId": "/forum/movies",
        "clientToken": "comment-53923",
    }
    answer = client.comments().suggestscore(body=suggestion).execute()
    assert answer["clientToken"] == "comment-53923"
    assert "en" in answer["detectedLanguages"]


def test_coral_request_shape_with_lenient_json(server: LiveServer) -> None:
    # Coral's exact body, and Perspective's own cURL sample with unquoted keys.
    coral = {"comment": {"text": "You are a pathetic moron."}, "doNotStore": True, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]}
    strict = httpx.post(f"{server.url}/v1alpha1/comments:analyze?key={server.key}", json=coral)
    assert strict.status_code == 200
    lenient_body = '{comment: {text: "You are a pathetic moron."}, languages: ["en"], requestedAttributes: {TOXICITY:{}} }'
    lenient = httpx.post(
        f"{server.url}/v1alpha1/comments:analyze?key={server.key}",
        content=lenient_body,
        headers={"content-type": "application/json"},
    )
    assert lenient.status_code == 200, lenient.text
    assert lenient.json()["attributeScores"]["TOXICITY"] == strict.json()["attributeScores"]["TOXICITY"]
    assert strict.headers["x-civility-models"].startswith("TOXICITY=")


def test_first_start_loads_the_reference_page_through_the_api(server: LiveServer) -> None:
    headers = {"authorization": f"Bearer {server.key}"}
    article = httpx.get(f"{server.url}/v1/sites/demo/articles/karabakh-mercenaries", headers=headers, timeout=30).json()
    assert [c["external_id"] for c in article["comments"]] == ["c1", "c2", "c3", "c4"]
    by_id = {c["external_id"]: c for c in article["comments"]}
    assert by_id["c2"]["signals"]["duplicate_of"] == "c1"
    assert by_id["c3"]["decision"] == "approve" and by_id["c3"]["signals"]["correction"]["proposed"] == "Emmanuel Macron"
    assert by_id["c4"]["decision"] == "reject"
    assert "Francois Macron" in article["body"]
