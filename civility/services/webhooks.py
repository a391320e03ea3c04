"""Outgoing webhooks on decisions, HMAC-signed, delivered from an outbox.

A delivery row is written in the same transaction as the decision, so a decision is never announced that was not
committed and never lost if the process dies before sending. A sender drains the outbox after commit and retries
with exponential backoff; the publisher verifies ``X-Civility-Signature: sha256=HMAC(secret, "<timestamp>.<body>")``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from civility.storage.tables import Article, Comment, Site, WebhookDelivery, utcnow

log = logging.getLogger("civility.webhooks")
SIGNATURE_HEADER = "X-Civility-Signature"
TIMESTAMP_HEADER = "X-Civility-Timestamp"
MAX_ATTEMPTS = 8


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def enqueue_decision(
    session: Session, site: Site, comment: Comment, action: str, source: str, reasons: list[dict[str, Any]]
) -> None:
    if not site.webhook_url:
        return
    article = session.get(Article, comment.article_id)
    payload = {
        "event": "comment.decided",
        "site": site.slug,
        "article": article.slug if article else None,
        "comment": {"id": comment.id, "external_id": comment.external_id},
        "decision": {"action": action, "source": source, "reasons": [r["code"] for r in reasons]},
        "at": utcnow().isoformat(),
    }
    session.add(WebhookDelivery(site_id=site.id, event="comment.decided", payload=payload, created_at=utcnow(), next_attempt_at=utcnow()))


def deliver_due(sessions: sessionmaker[Session], client: httpx.Client, limit: int = 50) -> int:
    """Send due deliveries in order, per site: a delivery waiting for its retry holds back the later ones of its
    site, so receivers see a comment's decisions in the order they were made. Returns how many succeeded."""
    now = utcnow()
    with sessions() as session:
        pending = session.execute(
            select(
                WebhookDelivery.id, WebhookDelivery.site_id, WebhookDelivery.payload, WebhookDelivery.attempts,
                WebhookDelivery.next_attempt_at, Site.webhook_url, Site.webhook_secret,
            )
            .join(Site, Site.id == WebhookDelivery.site_id)
            .where(WebhookDelivery.status == "pending")
            .order_by(WebhookDelivery.id)
            .limit(limit)
        ).all()
    blocked: set[int] = set()
    sent = 0
    for delivery_id, site_id, payload, attempts, next_attempt_at, url, secret in pending:
        due = next_attempt_at if next_attempt_at.tzinfo else next_attempt_at.replace(tzinfo=now.tzinfo)
        if site_id in blocked or due > now:
            blocked.add(site_id)
            continue
        error = _send(client, url, secret, {**payload, "sequence": delivery_id}, now)
        with sessions.begin() as session:
            row = session.get(WebhookDelivery, delivery_id)
            if row is None:
                continue
            row.attempts = attempts + 1
            if error is None:
                row.status = "delivered"
                sent += 1
                continue
            row.last_error = error
            row.status = "failed" if row.attempts >= MAX_ATTEMPTS else "pending"
            row.next_attempt_at = utcnow() + timedelta(seconds=min(3600, 2 ** row.attempts))
            if row.status == "pending":
                blocked.add(site_id)
    return sent


def _send(client: httpx.Client, url: str | None, secret: str | None, payload: dict[str, Any], now: Any) -> str | None:
    """None on success, else a short error for the delivery row (never the response body)."""
    if not url:
        return "no webhook URL"
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    timestamp = str(int(now.timestamp()))
    headers = {"content-type": "application/json", TIMESTAMP_HEADER: timestamp}
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, timestamp, body)
    try:
        response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return type(exc).__name__
    return None if response.status_code < 300 else f"HTTP {response.status_code}"


class WebhookSender:
    """A background thread that drains the outbox every ``interval`` seconds until stopped."""

    def __init__(self, sessions: sessionmaker[Session], interval: float = 1.0, timeout: float = 5.0) -> None:
        self._sessions = sessions
        self._interval = interval
        self._timeout = timeout
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="civility-webhooks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def poke(self) -> None:
        """Send now rather than at the next tick (called after a decision commits)."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        with httpx.Client(timeout=self._timeout) as client:
            while not self._stop.is_set():
                try:
                    deliver_due(self._sessions, client)
                except Exception:  # the sender must outlive a bad row or a database hiccup
                    log.exception("webhook delivery round failed")
                self._wake.wait(self._interval)
                self._wake.clear()
