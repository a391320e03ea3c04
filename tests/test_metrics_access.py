"""/metrics is closed by default: a key with the `metrics` (or `admin`) scope, or an allow-listed client address, reads
it; `metrics_public` opens it to anyone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from civility.api.app import create_app
from civility.config import Settings
from civility.services.context import Services
from civility.services.keys import create_key


@contextmanager
def _client(settings: Settings, services: Services, address: str = "203.0.113.50", **changes: Any) -> Iterator[TestClient]:
    changed = Settings(**{**settings.model_dump(), **changes})  # validated, as the environment would be
    services.settings = changed
    with TestClient(create_app(changed, services), client=(address, 41000)) as client:
        yield client


def _bearer(services: Services, *scopes: str) -> dict[str, str]:
    return {"authorization": "Bearer " + create_key(services.sessions, "+".join(scopes), scopes).key}


def test_metrics_need_the_metrics_scope_by_default(settings: Settings, services: Services) -> None:
    with _client(settings, services) as client:
        anonymous = client.get("/metrics")
        assert anonymous.status_code == 403
        assert anonymous.json()["error"]["status"] == "PERMISSION_DENIED"
        assert "civility_http_requests_total" not in anonymous.text
        assert client.get("/metrics", headers={"authorization": "Bearer cvl_not-a-key"}).status_code == 400
        assert client.get("/metrics", headers=_bearer(services, "score", "moderate")).status_code == 403
        scraped = client.get("/metrics", headers=_bearer(services, "metrics"))
        assert scraped.status_code == 200 and "civility_http_requests_total" in scraped.text
        assert client.get("/metrics", headers=_bearer(services, "admin")).status_code == 200
        # A metrics key reads metrics, nothing else.
        assert client.put("/v1/sites/m", json={"name": "M"}, headers=_bearer(services, "metrics")).status_code == 403


def test_allow_listed_addresses_scrape_without_a_key(settings: Settings, services: Services) -> None:
    allowed = ["10.0.0.0/8", "2001:db8::7"]
    with _client(settings, services, "10.20.30.40", metrics_allowed_addresses=allowed) as prometheus:
        assert prometheus.get("/metrics").status_code == 200
    with _client(settings, services, "2001:db8::7", metrics_allowed_addresses=allowed) as prometheus6:
        assert prometheus6.get("/metrics").status_code == 200
    with _client(settings, services, "192.0.2.9", metrics_allowed_addresses=allowed) as stranger:
        assert stranger.get("/metrics").status_code == 403


def test_metrics_public_opens_it(settings: Settings, services: Services) -> None:
    with _client(settings, services, metrics_public=True) as client:
        assert client.get("/metrics").status_code == 200
