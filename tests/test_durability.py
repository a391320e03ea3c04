"""Kill -9 the real server while a client streams comments; after a restart every acknowledged decision is there,
exactly once. Run on SQLite and on PostgreSQL."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import httpx

from tests.databases import query
from tests.live_server import live_server


def test_acknowledged_decisions_survive_sigkill(tmp_path: Path, database_url: str) -> None:
    env = {"CIVILITY_DATABASE_URL": database_url, "CIVILITY_LOAD_DEMO": "false"}
    acknowledged: dict[str, str] = {}
    with live_server(tmp_path, extra_env=env) as server:
        headers = {"authorization": f"Bearer {server.key}"}
        httpx.put(f"{server.url}/v1/sites/wire", json={"name": "Wire"}, headers=headers).raise_for_status()
        httpx.put(f"{server.url}/v1/sites/wire/articles/live", json={"title": "Live", "body": "Election night."}, headers=headers).raise_for_status()
        enough = threading.Event()

        def stream() -> None:
            with httpx.Client(base_url=server.url, headers=headers, timeout=5) as client:
                for n in range(100_000):
                    cid = f"k{n}"
                    try:
                        response = client.post("/v1/sites/wire/articles/live/comments", json={"id": cid, "text": f"Reader view number {n} on the count."})
                    except httpx.HTTPError:
                        return  # the server is gone
                    if response.status_code in (200, 201):
                        acknowledged[cid] = response.json()["decision"]
                    if len(acknowledged) >= 40:
                        enough.set()

        streamer = threading.Thread(target=stream)
        streamer.start()
        assert enough.wait(120), "the server did not acknowledge 40 comments"
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(10)
        streamer.join(30)

    assert len(acknowledged) >= 40
    with live_server(tmp_path, extra_env=env) as restarted:
        headers = {"authorization": f"Bearer {restarted.key}"}
        with httpx.Client(base_url=restarted.url, headers=headers, timeout=10) as client:
            for cid, decision in acknowledged.items():
                again = client.post("/v1/sites/wire/articles/live/comments", json={"id": cid, "text": "replayed"})
                assert again.status_code == 200, (cid, again.text)  # already stored: not created anew
                assert again.json()["decision"] == decision
    duplicates = query(database_url, "SELECT external_id, COUNT(*) FROM comments GROUP BY external_id HAVING COUNT(*) > 1")
    assert duplicates == []
    per_comment = query(database_url, "SELECT comment_id, COUNT(*) FROM decisions GROUP BY comment_id HAVING COUNT(*) > 1")
    assert per_comment == []
    stored = {row[0] for row in query(database_url, "SELECT external_id FROM comments")}
    assert set(acknowledged) <= stored


def test_sigterm_drains_the_request_in_flight(tmp_path: Path) -> None:
    """A request whose body is still arriving when SIGTERM comes is answered in full before the server exits."""
    import json
    import time

    env = {"CIVILITY_LOAD_DEMO": "false"}
    with live_server(tmp_path, extra_env=env) as server:
        body = json.dumps({"comment": {"text": "A calm remark about trains."}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]}).encode()
        half = len(body) // 2

        def trickle():  # type: ignore[no-untyped-def]
            yield body[:half]
            server.process.send_signal(signal.SIGTERM)
            time.sleep(1.0)
            yield body[half:]

        response = httpx.post(
            f"{server.url}/v1alpha1/comments:analyze?key={server.key}",
            content=trickle(),
            headers={"content-type": "application/json", "content-length": str(len(body))},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        assert "TOXICITY" in response.json()["attributeScores"]
        assert server.process.wait(30) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after draining
        try:
            httpx.get(server.url + "/healthz", timeout=2)
            raise AssertionError("the server still answers after draining")
        except httpx.HTTPError:
            pass
