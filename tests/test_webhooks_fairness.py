"""Webhook delivery is fair between sites, backs off, gives up into a dead letter, and reaches no internal address.

Receivers are real HTTP servers on loopback; loopback is refused by default, so these tests name 127.0.0.1 in
``webhook_allowed_hosts`` (which is also the test of that allow-list) and nothing else.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from civility.config import PROJECT_ROOT, Settings
from civility.services import egress, sites
from civility.services.context import Services
from civility.services.keys import create_key
from civility.services.webhooks import DeliveryPolicy, deliver_due
from civility.storage.tables import Site, WebhookDelivery, utcnow

from tests.webhook_receiver import HOST as ALLOWED
from tests.webhook_receiver import Receiver


@pytest.fixture
def allowed_hosts() -> list[str]:
    return [ALLOWED]


@pytest.fixture
def settings(tmp_path: Path, database_url: str, allowed_hosts: list[str]) -> Settings:
    return Settings(
        database_url=database_url,
        models_dir=PROJECT_ROOT / "models",
        local_key_file=tmp_path / "local-api-key",
        webhook_allowed_hosts=allowed_hosts,
        webhook_interval_seconds=0.2,
        webhook_per_site=5,
        webhook_max_attempts=4,
        webhook_backoff_seconds=10.0,
        webhook_timeout_seconds=5.0,
    )


@pytest.fixture
def down() -> Iterator[Receiver]:
    running = Receiver(status=503)
    yield running
    running.close()


@pytest.fixture
def up() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def admin(services: Services) -> dict[str, str]:
    return {"authorization": "Bearer " + create_key(services.sessions, "admin", ("admin",)).key}


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0) as client:
        yield client


def _site(services: Services, slug: str, url: str) -> int:
    sites.put_site(services, slug, slug.upper(), None, webhook_url=url)
    with services.sessions() as session:
        return int(session.scalars(select(Site.id).where(Site.slug == slug)).one())


def _enqueue(services: Services, site_id: int, count: int) -> list[int]:
    """Outbox rows as a decision writes them (the payload's content does not matter to delivery)."""
    with services.sessions.begin() as session:
        rows = [
            WebhookDelivery(
                site_id=site_id, event="comment.decided", payload={"n": n}, created_at=utcnow(), next_attempt_at=utcnow()
            )
            for n in range(count)
        ]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def _row(services: Services, delivery_id: int) -> WebhookDelivery:
    with services.sessions() as session:
        row = session.get(WebhookDelivery, delivery_id)
        assert row is not None
        session.expunge(row)
        return row


def _make_due(services: Services, ids: list[int]) -> None:
    """Time passes: the rows' backoff is over."""
    with services.sessions.begin() as session:
        session.execute(
            update(WebhookDelivery).where(WebhookDelivery.id.in_(ids)).values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )


def _wait_for(predicate: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return bool(predicate())


def test_a_down_site_does_not_delay_another_sites_webhook(
    client: TestClient, services: Services, admin: dict[str, str], down: Receiver, up: Receiver
) -> None:
    """The issue's case, through the running server: 55 pending rows for a site whose endpoint is down, then one
    comment on another site; its webhook arrives within a few drains, not hours later."""
    assert client.put("/v1/sites/broken", json={"name": "B", "webhook_url": down.url}, headers=admin).status_code == 201
    assert client.put("/v1/sites/fine", json={"name": "F", "webhook_url": up.url}, headers=admin).status_code == 201
    with services.sessions() as session:
        broken = session.scalars(select(Site.id).where(Site.slug == "broken")).one()
    _enqueue(services, broken, 55)
    client.put("/v1/sites/fine/articles/a", json={"title": "T", "body": "B"}, headers=admin)
    posted = client.post("/v1/sites/fine/articles/a/comments", json={"id": "c1", "text": "Lovely bridge."}, headers=admin)
    assert posted.status_code in (200, 201), posted.text
    assert _wait_for(lambda: len(up.bodies) >= 1, timeout=10.0), "the healthy site's webhook was held back by the broken one"
    assert len(down.bodies) <= 3  # the broken site's head row is tried and backs off; its later rows wait behind it


def test_each_drain_takes_turns_across_sites(services: Services, settings: Settings, down: Receiver, up: Receiver, http: httpx.Client) -> None:
    policy = DeliveryPolicy.from_settings(settings)
    broken = _site(services, "broken", down.url)
    single = _site(services, "single", up.url)
    busy = _site(services, "busy", up.url)
    _enqueue(services, broken, 55)
    single_row = _enqueue(services, single, 1)
    busy_rows = _enqueue(services, busy, 7)

    assert deliver_due(services.sessions, http, policy) == 1 + 5
    assert len(down.bodies) == 1  # one try of the broken site's first row; the rest keep their order behind it
    assert _row(services, single_row[0]).status == "delivered"
    assert [_row(services, i).status for i in busy_rows] == ["delivered"] * 5 + ["pending"] * 2

    assert deliver_due(services.sessions, http, policy) == 2
    assert len(down.bodies) == 1  # still backing off
    assert [_row(services, i).status for i in busy_rows] == ["delivered"] * 7


def test_backoff_grows_and_a_row_goes_dead_after_max_attempts(
    services: Services, settings: Settings, down: Receiver, http: httpx.Client
) -> None:
    policy = DeliveryPolicy.from_settings(settings)
    site = _site(services, "broken", down.url)
    first, second = _enqueue(services, site, 2)
    waits = []
    for attempt in range(1, settings.webhook_max_attempts):
        before = utcnow()
        deliver_due(services.sessions, http, policy)
        row = _row(services, first)
        assert (row.status, row.attempts, row.last_error) == ("pending", attempt, "HTTP 503")
        waits.append((row.next_attempt_at - before).total_seconds())
        assert _row(services, second).attempts == 0  # held behind the first, in order
        _make_due(services, [first])
    assert waits[0] == pytest.approx(10, abs=2)
    assert all(later == pytest.approx(2 * earlier, abs=2) for earlier, later in zip(waits, waits[1:], strict=False))

    deliver_due(services.sessions, http, policy)
    row = _row(services, first)
    assert (row.status, row.attempts) == ("dead", settings.webhook_max_attempts)
    assert len(down.bodies) == settings.webhook_max_attempts
    assert _row(services, second).attempts == 0  # a failed try ends its site's turn for this drain

    deliver_due(services.sessions, http, policy)
    assert _row(services, first).attempts == settings.webhook_max_attempts  # a dead letter is not tried again
    assert _row(services, second).attempts == 1  # and no longer holds its site's later rows back


@pytest.mark.parametrize("allowed_hosts", [[]])  # the default: no internal host is allowed
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/hook",
        "http://[::1]:8080/hook",
        "http://[fd00::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "https://192.168.1.10/hook",
        "http://0.0.0.0:80/",
        "http://2130706433/hook",
    ],
)
def test_internal_webhook_urls_are_refused_when_saved(client: TestClient, admin: dict[str, str], url: str) -> None:
    answer = client.put("/v1/sites/paper", json={"name": "P", "webhook_url": url}, headers=admin)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["details"][0]["errorType"] == "INVALID_WEBHOOK_URL"
    assert client.get("/v1/sites/paper", headers=admin).status_code == 404  # nothing was saved


def test_allow_listed_and_public_webhook_urls_are_saved(client: TestClient, admin: dict[str, str]) -> None:
    for slug, url in (("local", f"http://{ALLOWED}:9/hook"), ("public", "https://hooks.paper.example/civility")):
        answer = client.put(f"/v1/sites/{slug}", json={"name": "P", "webhook_url": url}, headers=admin)
        assert answer.status_code == 201, answer.text
        assert answer.json()["webhook_url"] == url


def test_a_name_resolving_to_an_internal_address_is_refused_at_delivery(
    client: TestClient, services: Services, admin: dict[str, str], up: Receiver
) -> None:
    """``localhost`` passes the save-time check (a name is not resolved then) but resolves to loopback, which the
    allow-list does not name: the running sender refuses it, while the allow-listed address is delivered to."""
    for slug, host in (("named", "localhost"), ("listed", ALLOWED)):
        url = f"http://{host}:{up.port}/hook"
        assert client.put(f"/v1/sites/{slug}", json={"name": slug, "webhook_url": url}, headers=admin).status_code == 201
        client.put(f"/v1/sites/{slug}/articles/a", json={"title": "T", "body": "B"}, headers=admin)
    with services.sessions() as session:
        named = session.scalars(select(Site.id).where(Site.slug == "named")).one()
    client.post("/v1/sites/named/articles/a/comments", json={"id": "n1", "text": "Lovely bridge."}, headers=admin)
    client.post("/v1/sites/listed/articles/a/comments", json={"id": "l1", "text": "Lovely bridge."}, headers=admin)

    def tried() -> WebhookDelivery | None:
        with services.sessions() as session:
            return session.scalars(
                select(WebhookDelivery).where(WebhookDelivery.site_id == named, WebhookDelivery.attempts > 0)
            ).first()

    assert _wait_for(lambda: len(up.bodies) >= 1 and tried() is not None, timeout=10.0)
    refused = tried()
    assert refused is not None and refused.status == "pending"
    assert refused.last_error is not None and "refused" in refused.last_error and "loopback" in refused.last_error
    assert [b'"site":"listed"' in body for body in up.bodies] == [True] * len(up.bodies)


class CountingResolver:
    """Stands in for DNS (``.test`` names resolve nowhere): answers from a table and counts the questions."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        return self.answers[host]


@pytest.mark.parametrize("allowed_hosts", [[ALLOWED, "hooks.test"]])
def test_delivery_connects_to_the_address_it_resolved_and_checked(
    services: Services, settings: Settings, up: Receiver, http: httpx.Client
) -> None:
    """The name is resolved once and the request goes to that address with the name in Host: a second lookup
    (which could answer differently, DNS rebinding) never happens. ``hooks.test`` has no DNS record at all."""
    site = _site(services, "pinned", f"http://hooks.test:{up.port}/hook")
    (row,) = _enqueue(services, site, 1)
    dns = CountingResolver({"hooks.test": [ALLOWED]})
    assert deliver_due(services.sessions, http, DeliveryPolicy.from_settings(settings), dns) == 1
    assert dns.asked == ["hooks.test"]
    assert up.hosts == [f"hooks.test:{up.port}"]
    assert _row(services, row).status == "delivered"


def test_a_name_with_any_internal_address_is_refused(services: Services, settings: Settings, http: httpx.Client) -> None:
    site = _site(services, "mixed", "https://mixed.test/hook")
    (row,) = _enqueue(services, site, 1)
    dns = CountingResolver({"mixed.test": ["93.184.216.34", "10.0.0.5"]})
    assert deliver_due(services.sessions, http, DeliveryPolicy.from_settings(settings), dns) == 0
    refused = _row(services, row)
    assert (refused.status, refused.attempts) == ("pending", 1)
    assert refused.last_error == "refused: mixed.test resolves to 10.0.0.5, a private address"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.1/", "http://0x7f000001/", "http://[fe80::1]/", "http://224.0.0.1/", "http://[ff02::1]/",
        "http://100.64.0.1/", "http://255.255.255.255/", "http://[::]/", "http://[::ffff:a9fe:a9fe]/",
        "http://[64:ff9b::a00:1]/", "http://[2002:c0a8:101::]/", "http://172.16.0.1/", "http://192.168.0.1/",
        "http://１２７。0。0。1/", "ftp://hooks.example/", "file:///etc/passwd", "http:///hook",
    ],
)
def test_egress_refuses_every_internal_spelling(url: str) -> None:
    with pytest.raises(egress.EgressRefused):
        egress.check_url(url)


@pytest.mark.parametrize("url", ["https://hooks.example/x", "http://93.184.216.34:8080/x", "https://[2606:4700::1111]/"])
def test_egress_allows_public_addresses_and_names(url: str) -> None:
    egress.check_url(url)
