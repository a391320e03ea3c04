"""Outgoing signed webhooks to a real HTTP receiver on loopback, and Coral's signed external moderation phase."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from civility.config import Settings
from civility.services.context import Services
from civility.services.keys import create_key
from civility.services.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from tests.webhook_receiver import Receiver


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The receiver listens on loopback, which webhooks may reach only when the allow-list names it."""
    return settings.model_copy(update={"webhook_allowed_hosts": ["127.0.0.1"]})


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def admin(services: Services) -> dict[str, str]:
    return {"authorization": "Bearer " + create_key(services.sessions, "admin", ("admin",)).key}


def test_decisions_are_announced_by_signed_webhooks(client: TestClient, admin: dict[str, str], receiver: Receiver) -> None:
    secret = "s3cret-for-hooks"
    client.put("/v1/sites/paper", json={"name": "P", "webhook_url": receiver.url, "webhook_secret": secret}, headers=admin)
    client.put("/v1/sites/paper/articles/a", json={"title": "T", "body": "B"}, headers=admin)
    receiver.fail_first = 1  # the first attempt fails: the outbox retries
    posted = client.post("/v1/sites/paper/articles/a/comments", json={"id": "w1", "text": "Lovely bridge."}, headers=admin).json()
    client.post(f"/v1/comments/{posted['id']}/decision", json={"action": "reject", "reason": "spam"}, headers=admin)
    receiver.wait(2, timeout=20)
    events = []
    for headers, body in receiver.calls:
        assert verify(secret, headers[TIMESTAMP_HEADER.lower()], body, headers[SIGNATURE_HEADER.lower()])
        assert not verify("wrong", headers[TIMESTAMP_HEADER.lower()], body, headers[SIGNATURE_HEADER.lower()])
        events.append(json.loads(body))
    assert [(e["comment"]["external_id"], e["decision"]["source"]) for e in events] == [("w1", "policy"), ("w1", "moderator")]
    assert events[1]["decision"]["action"] == "reject"


def _coral_body(text: str, story: str = "story-1", author: str = "user-9") -> bytes:
    return json.dumps(
        {
            "action": "NEW",
            "comment": {"body": text, "parentID": None},
            "author": {"id": author, "role": "COMMENTER"},
            "story": {"id": story, "url": "https://paper.example/story-1"},
            "site": {"id": "site-1"},
            "tenantID": "t1",
            "tenantDomain": "paper.example",
        }
    ).encode()


def _signed(secret: str, body: bytes) -> dict[str, str]:
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"content-type": "application/json", "x-coral-signature": f"sha256=old, {signature}"}


def test_coral_external_moderation_phase(client: TestClient, admin: dict[str, str]) -> None:
    secret = "coral-signing-secret"
    client.put("/v1/sites/paper", json={"name": "P", "coral_secret": secret}, headers=admin)

    fine = _coral_body("Thanks, this was a clear explanation of the budget.")
    assert client.post("/v1/coral/paper/moderate", content=fine, headers=_signed(secret, fine)).status_code == 204

    nasty = _coral_body("You are a worthless fucking idiot, shut your stupid mouth")
    answer = client.post("/v1/coral/paper/moderate", content=nasty, headers=_signed(secret, nasty))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] in {"REJECTED", "SYSTEM_WITHHELD"}
    assert body["actions"] == [{"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC"}]
    if body["status"] == "REJECTED":
        assert body["moderationAction"]["rejectionReason"]["code"]
    again = client.post("/v1/coral/paper/moderate", content=nasty, headers=_signed(secret, nasty))
    assert again.json() == body  # a retried request is the same comment, decided once

    forged = client.post("/v1/coral/paper/moderate", content=nasty, headers=_signed("not-the-secret", nasty))
    assert forged.status_code == 401 and forged.json()["error"]["details"][0]["errorType"] == "SIGNATURE_INVALID"
    unsigned = client.post("/v1/coral/paper/moderate", content=nasty, headers={"content-type": "application/json"})
    assert unsigned.status_code == 401
    malformed = b'{"action": "NEW"}'
    assert client.post("/v1/coral/paper/moderate", content=malformed, headers=_signed(secret, malformed)).status_code == 400
