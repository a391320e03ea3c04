"""Hostile JSON bodies: deep nesting answers 400 in each API's own format (never 500), and the lenient (JSON5)
fallback the Perspective API keeps for unquoted keys is capped and runs off the event loop."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from civility.services.context import Services
from civility.services.keys import create_key
from tests.live_server import live_server

ANALYZE = "/v1alpha1/comments:analyze"
SUGGEST = "/v1alpha1/comments:suggestscore"
JSON = {"content-type": "application/json"}


@pytest.fixture
def admin(services: Services) -> dict[str, str]:
    return {"authorization": "Bearer " + create_key(services.sessions, "admin", ("admin",)).key}


def _google_error(response: httpx.Response) -> dict[str, object]:
    error = response.json()["error"]
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT", error
    return error


def _native_error(response: httpx.Response) -> str:
    return str(response.json()["error"]["details"][0]["errorType"])


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("path", [ANALYZE, SUGGEST])
def test_deep_nesting_is_400_in_googles_envelope(client: TestClient, api_key: str, path: str, depth: int) -> None:
    for body in ("[" * depth, '{"comment": ' + "[" * depth, '{"comment": {"text": "hi"}, "x": ' + '{"a":' * depth):
        response = client.post(f"{path}?key={api_key}", content=body.encode(), headers=JSON)
        assert response.status_code == 400, response.text[:300]
        _google_error(response)


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_nesting_is_400_on_the_native_api(client: TestClient, admin: dict[str, str], depth: int) -> None:
    assert client.put("/v1/sites/paper", json={"name": "Paper"}, headers=admin).status_code in (200, 201)
    assert client.put("/v1/sites/paper/articles/story", json={"title": "Story", "body": "Text."}, headers=admin).status_code in (200, 201)
    targets = [
        ("post", "/v1/sites/paper/articles/story/comments"),
        ("put", "/v1/sites/paper/articles/story"),
        ("put", "/v1/sites/paper"),
        ("put", "/v1/sites/paper/policy"),
        ("post", "/v1/sites/paper/policy:dry-run"),
    ]
    for method, url in targets:
        for body in ("[" * depth, '{"id": "a", "text": ' + "[" * depth):
            response = client.request(method, url, content=body.encode(), headers={**admin, **JSON})
            assert response.status_code == 400, (url, response.status_code, response.text[:300])
            assert _native_error(response) in ("INVALID_REQUEST", "INVALID_ARGUMENT")


def test_unquoted_keys_still_parse(client: TestClient, api_key: str) -> None:
    body = b'{comment: {text: "Thank you for the thoughtful article."}, requestedAttributes: {TOXICITY: {}}, languages: ["en"]}'
    response = client.post(f"{ANALYZE}?key={api_key}", content=body, headers=JSON)
    assert response.status_code == 200, response.text


def test_a_large_body_that_is_not_strict_json_is_refused_quickly(client: TestClient, api_key: str) -> None:
    text = "x" * 1_000_000
    body = ('{comment: {"text": "' + text + '"}, "requestedAttributes": {"TOXICITY": {}}}').encode()
    started = time.perf_counter()
    response = client.post(f"{ANALYZE}?key={api_key}", content=body, headers=JSON)
    elapsed = time.perf_counter() - started
    assert response.status_code in (400, 413), response.text[:300]
    assert elapsed < 2.0, elapsed
    if response.status_code == 400:
        assert "strict JSON" in str(_google_error(response)["message"])


def test_lenient_parsing_does_not_hold_up_other_requests(tmp_path: Path) -> None:
    """Against the real server: 1 MB bodies with an unquoted key (refused at once) and the largest lenient bodies
    allowed (parsed on a worker thread), sent without pause, while health checks still answer promptly."""
    with live_server(tmp_path) as server:
        huge = ('{comment: {"text": "' + "x" * 1_000_000 + '"}, "requestedAttributes": {"TOXICITY": {}}}').encode()
        lenient = (
            "{comment: {text: \"" + "word " * 3_000 + "\"}, context: {entries: [{text: \"" + "more " * 8_000 + "\"}]}, "
            "requestedAttributes: {TOXICITY: {}}, languages: [\"en\"]}"
        ).encode()
        assert len(lenient) < 64 * 1024
        stop = threading.Event()
        answers: list[tuple[int, float, int]] = []

        def hammer(body: bytes) -> None:
            with httpx.Client(base_url=server.url, timeout=60) as http:
                while not stop.is_set():
                    started = time.perf_counter()
                    status = http.post(f"{ANALYZE}?key={server.key}", content=body, headers=JSON).status_code
                    answers.append((len(body), time.perf_counter() - started, status))

        workers = [threading.Thread(target=hammer, args=(body,)) for body in (huge, huge, lenient)]
        for worker in workers:
            worker.start()
        try:
            time.sleep(1.0)
            with httpx.Client(base_url=server.url, timeout=60) as http:
                waits = []
                for _ in range(10):
                    started = time.perf_counter()
                    assert http.get("/healthz").status_code == 200
                    waits.append(time.perf_counter() - started)
                    time.sleep(0.1)
        finally:
            stop.set()
            for worker in workers:
                worker.join()
        big = [(seconds, status) for size, seconds, status in answers if size == len(huge)]
        assert big and all(status in (400, 429) for _, status in big), sorted({status for _, status in big})
        assert any(status == 400 for _, status in big)
        assert sorted(seconds for seconds, _ in big)[len(big) // 2] < 1.0, big
        assert {status for size, _, status in answers if size == len(lenient)} <= {200, 429}, answers[-5:]
        assert sorted(waits)[len(waits) // 2] < 0.5, waits
