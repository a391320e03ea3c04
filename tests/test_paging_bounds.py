"""Out-of-range paging (huge, negative, not a number) answers 400 on dashboard pages and native API lists, never 500."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from civility.api.app import create_app
from civility.services import users as user_service
from civility.services.context import Services
from civility.services.keys import create_key

PASSWORD = "admin-password-1"
BAD = ["99999999999999999999999", str(2**63), "-1", "abc", "1e3", "²", "0x10", " 12 3"]


@pytest.fixture
def admin_key(services: Services) -> str:
    return create_key(services.sessions, "paging", ("score", "moderate", "admin")).key


@pytest.fixture
def api(services: Services, admin_key: str) -> Iterator[TestClient]:
    # A 500 must come back as a status, not as an exception raised into the test.
    with TestClient(create_app(services.settings, services), raise_server_exceptions=False, follow_redirects=False) as client:
        client.headers["authorization"] = f"Bearer {admin_key}"
        assert client.put("/v1/sites/news", json={"name": "News"}).status_code in (200, 201)
        assert client.put("/v1/sites/news/articles/a1", json={"title": "A1", "body": "The council met."}).status_code in (200, 201)
        posted = client.post("/v1/sites/news/articles/a1/comments", json={"id": "c1", "text": "You are an idiot."})
        assert posted.status_code in (200, 201), posted.text
        yield client


@pytest.fixture
def dashboard(services: Services, api: TestClient) -> TestClient:
    """The same app, signed in through the form as an admin (the site and its comment exist already)."""
    user_service.create_user(services.sessions, "root", PASSWORD, "admin")
    api.headers.pop("authorization")
    page = api.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    signed_in = api.post("/login", data={"csrf": csrf.group(1), "username": "root", "password": PASSWORD})
    assert signed_in.status_code == 303, signed_in.text
    return api


@pytest.mark.parametrize(("path", "name"), [("/queue", "offset"), ("/audit", "before"), ("/stats", "days")])
def test_dashboard_paging_out_of_range_is_a_400_page(dashboard: TestClient, path: str, name: str) -> None:
    assert dashboard.get(f"{path}?site=news").status_code == 200
    for value in BAD:
        response = dashboard.get(path, params={"site": "news", name: value})
        assert response.status_code == 400, (path, name, value, response.status_code, response.text[:300])
        assert response.headers["content-type"].startswith("text/html")
        assert name in response.text
    # In range still works.
    in_range = {"offset": "50", "before": "1", "days": "7"}[name]
    assert dashboard.get(path, params={"site": "news", name: in_range}).status_code == 200


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/v1/sites/news/queue", "offset"),
        ("/v1/sites/news/queue", "limit"),
        ("/v1/sites/news/audit", "before_id"),
        ("/v1/sites/news/audit", "limit"),
    ],
)
def test_api_paging_out_of_range_is_a_400_in_the_api_format(api: TestClient, path: str, name: str) -> None:
    assert api.get(path).status_code == 200
    for value in [*BAD, "0"] if name != "offset" else BAD:
        response = api.get(path, params={name: value})
        assert response.status_code == 400, (path, name, value, response.status_code, response.text[:300])
        assert response.json()["error"]["status"] == "INVALID_ARGUMENT", response.text
