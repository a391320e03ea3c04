"""Outgoing webhooks on decisions, HMAC-signed, delivered from an outbox.

A delivery row is written in the same transaction as the decision, so a decision is never announced that was not
committed and never lost if the process dies before sending. A sender drains the outbox after commit; the publisher
verifies ``X-Civility-Signature: sha256=HMAC(secret, "<timestamp>.<body>")``.

Sites share the sender, so one site's dead endpoint must not hold up the others: each drain takes a bounded number of
due rows per site and sends them in turns across sites; a failure backs off that row exponentially and holds back its
site's later rows (receivers see a comment's decisions in order), and after ``max_attempts`` tries the row is dead.
Every request goes only to addresses ``egress`` allows.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from civility.config import Settings
from civility.services import egress
from civility.storage.tables import Article, Comment, Site, WebhookDelivery, utcnow

log = logging.getLogger("civility.webhooks")
SIGNATURE_HEADER = "X-Civility-Signature"
TIMESTAMP_HEADER = "X-Civility-Timestamp"
PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"


@dataclass(frozen=True)
class DeliveryPolicy:
    """How the outbox is drained; ``from_settings`` maps the ``webhook_*`` settings."""

    per_site: int = 5
    max_attempts: int = 8
    backoff_seconds: float = 2.0
    backoff_max_seconds: float = 3600.0
    allowed_hosts: tuple[str, ...] = ()
    claim_seconds: float = 60.0  # a claimed row is left alone this long by other senders (other worker processes)

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryPolicy:
        return cls(
            per_site=settings.webhook_per_site,
            max_attempts=settings.webhook_max_attempts,
            backoff_seconds=settings.webhook_backoff_seconds,
            backoff_max_seconds=settings.webhook_backoff_max_seconds,
            allowed_hosts=tuple(settings.webhook_allowed_hosts),
            claim_seconds=max(60.0, 4 * settings.webhook_timeout_seconds),
        )

    def backoff(self, attempts: int) -> timedelta:
        """Wait after the ``attempts``-th failed try: base, 2×base, 4×base … up to the maximum."""
        return timedelta(seconds=min(self.backoff_max_seconds, self.backoff_seconds * 2 ** min(attempts - 1, 60)))


@dataclass(frozen=True)
class _Due:
    id: int
    site_id: int
    payload: dict[str, Any]
    attempts: int
    url: str | None
    secret: str | None


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


def deliver_due(
    sessions: sessionmaker[Session],
    client: httpx.Client,
    policy: DeliveryPolicy = DeliveryPolicy(),
    resolver: egress.Resolver = egress.system_resolver,
) -> int:
    """One drain of the outbox: up to ``policy.per_site`` due rows of every site, sent round-robin across sites, so a
    site whose endpoint is down costs the others at most one failed request per drain. Returns how many succeeded."""
    queues = deque(deque(rows) for rows in _due_by_site(sessions, policy.per_site, utcnow()))
    sent = 0
    while queues:
        queue = queues.popleft()
        row = queue.popleft()
        if not _claim(sessions, row, policy):
            continue  # another sender has it: leave the rest of this site to that sender, in order
        error = _send(client, row, utcnow(), policy.allowed_hosts, resolver)
        _settle(sessions, row, error, policy)
        if error is None:
            sent += 1
            if queue:
                queues.append(queue)
    return sent


def _due_by_site(sessions: sessionmaker[Session], per_site: int, now: datetime) -> list[list[_Due]]:
    """For each site with a due row, its first pending rows in id order up to the first one still backing off."""
    with sessions() as session:
        site_ids = session.scalars(
            select(WebhookDelivery.site_id)
            .where(WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now)
            .group_by(WebhookDelivery.site_id)
            .order_by(WebhookDelivery.site_id)
        ).all()
        batches: list[tuple[int, list[_Due]]] = []
        for site_id in site_ids:
            rows = session.execute(
                select(
                    WebhookDelivery.id, WebhookDelivery.payload, WebhookDelivery.attempts, WebhookDelivery.next_attempt_at,
                    Site.webhook_url, Site.webhook_secret,
                )
                .join(Site, Site.id == WebhookDelivery.site_id)
                .where(WebhookDelivery.site_id == site_id, WebhookDelivery.status == PENDING)
                .order_by(WebhookDelivery.id)
                .limit(per_site)
            ).all()
            due: list[_Due] = []
            for delivery_id, payload, attempts, next_attempt_at, url, secret in rows:
                if next_attempt_at > now:
                    break
                due.append(_Due(delivery_id, site_id, payload, attempts, url, secret))
            if due:
                batches.append((due[0].id, due))
    return [due for _, due in sorted(batches, key=lambda batch: batch[0])]


def _claim(sessions: sessionmaker[Session], row: _Due, policy: DeliveryPolicy) -> bool:
    """Count the try and push the row's next attempt out, only if no other sender did so first."""
    with sessions.begin() as session:
        claimed = session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == row.id, WebhookDelivery.status == PENDING, WebhookDelivery.attempts == row.attempts)
            .values(attempts=row.attempts + 1, next_attempt_at=utcnow() + timedelta(seconds=policy.claim_seconds))
        )
        return claimed.rowcount == 1


def _settle(sessions: sessionmaker[Session], row: _Due, error: str | None, policy: DeliveryPolicy) -> None:
    attempts = row.attempts + 1
    with sessions.begin() as session:
        stored = session.get(WebhookDelivery, row.id)
        if stored is None:
            return
        if error is None:
            stored.status = DELIVERED
            return
        stored.last_error = error[:500]
        if attempts >= policy.max_attempts:
            stored.status = DEAD
            log.warning("webhook delivery %s is dead after %s tries: %s", row.id, attempts, stored.last_error)
        else:
            stored.next_attempt_at = utcnow() + policy.backoff(attempts)


def _send(client: httpx.Client, row: _Due, now: datetime, allowed_hosts: tuple[str, ...], resolver: egress.Resolver) -> str | None:
    """None on success, else a short error for the delivery row (never the response body).

    The host is resolved once and the request goes to a checked address with the URL's name in Host and TLS SNI, so
    the address cannot change between the check and the connection."""
    if not row.url:
        return "no webhook URL"
    try:
        target = egress.resolve(row.url, allowed_hosts, resolver)
    except egress.EgressRefused as exc:
        return f"refused: {exc}"
    body = json.dumps({**row.payload, "sequence": row.id}, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    timestamp = str(int(now.timestamp()))
    headers = {"content-type": "application/json", "host": target.host_header, TIMESTAMP_HEADER: timestamp}
    if row.secret:
        headers[SIGNATURE_HEADER] = sign(row.secret, timestamp, body)
    extensions = {"sni_hostname": target.server_name} if target.server_name else {}
    error = "no address"
    for url in target.urls:  # the next checked address only when this one cannot be connected to
        try:
            response = client.post(url, content=body, headers=headers, extensions=extensions)
        except httpx.ConnectError as exc:
            error = type(exc).__name__
            continue
        except httpx.HTTPError as exc:
            return type(exc).__name__
        return None if response.status_code < 300 else f"HTTP {response.status_code}"
    return error


class WebhookSender:
    """A background thread that drains the outbox every ``interval`` seconds until stopped."""

    def __init__(
        self, sessions: sessionmaker[Session], interval: float = 1.0, timeout: float = 5.0, policy: DeliveryPolicy = DeliveryPolicy()
    ) -> None:
        self._sessions = sessions
        self._interval = interval
        self._timeout = timeout
        self._policy = policy
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="civility-webhooks", daemon=True)

    @classmethod
    def from_settings(cls, sessions: sessionmaker[Session], settings: Settings) -> WebhookSender:
        return cls(sessions, settings.webhook_interval_seconds, settings.webhook_timeout_seconds, DeliveryPolicy.from_settings(settings))

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
        with httpx.Client(timeout=self._timeout, follow_redirects=False) as client:  # a redirect would skip egress
            while not self._stop.is_set():
                try:
                    deliver_due(self._sessions, client, self._policy)
                except Exception:  # the sender must outlive a bad row or a database hiccup
                    log.exception("webhook delivery round failed")
                self._wake.wait(self._interval)
                self._wake.clear()
