"""Sites as tenants: a key or dashboard user bound to site alpha meets every resource of site beta as if it did not
exist (404, never 403), through the native API and the dashboard; unbound admin keys and users reach both; the audit
log records the key or user that acted, and an integration's moderator name beside it (``on_behalf_of``)."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from civility.api.app import create_app
from civility.cli import app as cli_app
from civility.config import Settings
from civility.services import users as user_service
from civility.services.context import Services
from civility.services.keys import create_key, list_keys
from tests.databases import query

REVIEW_ALL = {"rules": [{"attribute": "TOXICITY", "threshold": 0.0, "action": "review"}]}
BODY = "The mayor, Jon Smith, opened the bridge on Tuesday."
PASSWORD = "tenant-password-1"


@dataclass
class Site:
    slug: str
    comment_id: int
    correction_id: int
    coral_secret: str


@dataclass
class World:
    root: dict[str, str]  # an unbound admin key
    bound: dict[str, str]  # an admin+moderate key bound to alpha
    bound_prefix: str
    alpha: Site
    beta: Site


def _auth(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def _make_site(client: TestClient, headers: dict[str, str], slug: str, name: str) -> Site:
    secret = f"coral-secret-{slug}"
    assert client.put(f"/v1/sites/{slug}", json={"name": name, "policy": REVIEW_ALL, "coral_secret": secret}, headers=headers).status_code == 201
    assert client.put(f"/v1/sites/{slug}/articles/story", json={"title": f"{name} story", "body": BODY}, headers=headers).status_code == 201
    posted = client.post(f"/v1/sites/{slug}/articles/story/comments", json={"id": "c1", "text": "It's John Smith, not Jon Smith.", "author": {"id": "reader-1", "name": "Reader One"}}, headers=headers)
    assert posted.status_code == 201, posted.text
    [correction] = client.get(f"/v1/sites/{slug}/corrections", headers=headers).json()
    return Site(slug, posted.json()["id"], correction["id"], secret)


@pytest.fixture
def world(client: TestClient, services: Services) -> World:
    root = _auth(create_key(services.sessions, "root", ("admin",)).key)
    alpha = _make_site(client, root, "alpha", "Alpha Daily")
    beta = _make_site(client, root, "beta", "Beta Tribune")
    created = create_key(services.sessions, "alpha-cms", ("moderate", "admin"), sites=("alpha",))
    user_service.create_user(services.sessions, "alpha-ed", PASSWORD, "admin", sites=("alpha",))
    user_service.create_user(services.sessions, "chief", PASSWORD, "admin")
    return World(root, _auth(created.key), created.info.prefix, alpha, beta)


def _signed(secret: str, body: bytes) -> dict[str, str]:
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"content-type": "application/json", "x-coral-signature": signature}


def _coral_body(text: str) -> bytes:
    return json.dumps(
        {"action": "NEW", "comment": {"body": text}, "author": {"id": "reader-1"}, "story": {"id": "story"}}
    ).encode()


def _native_requests(site: Site) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Every native route that names the site (by slug) or one of its rows (by id), as (method, path, body)."""
    s = site.slug
    return [
        ("GET", f"/v1/sites/{s}", None),
        ("PUT", f"/v1/sites/{s}", {"name": "Taken", "webhook_url": "https://hooks.example.org/x", "coral_secret": "mine"}),
        ("GET", f"/v1/sites/{s}/policy", None),
        ("GET", f"/v1/sites/{s}/policy?format=toml", None),
        ("PUT", f"/v1/sites/{s}/policy", REVIEW_ALL),
        ("POST", f"/v1/sites/{s}/policy:dry-run", REVIEW_ALL),
        ("GET", f"/v1/sites/{s}/articles/story", None),
        ("PUT", f"/v1/sites/{s}/articles/story", {"title": "Taken", "body": "Replaced."}),
        ("POST", f"/v1/sites/{s}/articles/story/comments", {"id": "planted", "text": "A planted comment."}),
        ("GET", f"/v1/sites/{s}/queue?status=all", None),
        ("GET", f"/v1/comments/{site.comment_id}", None),
        ("POST", f"/v1/comments/{site.comment_id}/decision", {"action": "reject", "reason": "spam"}),
        ("POST", f"/v1/sites/{s}/decisions:bulk", {"comment_ids": [site.comment_id], "action": "reject", "reason": "spam"}),
        ("GET", f"/v1/sites/{s}/corrections?status=all", None),
        ("POST", f"/v1/corrections/{site.correction_id}:dismiss", None),
        ("GET", f"/v1/sites/{s}/audit", None),
    ]


def _call(client: TestClient, method: str, path: str, body: dict[str, Any] | None, headers: dict[str, str]) -> Any:
    return client.request(method, path, json=body, headers=headers)


def test_a_bound_key_gets_404_for_every_resource_of_another_site(client: TestClient, world: World) -> None:
    before = client.get(f"/v1/comments/{world.beta.comment_id}", headers=world.root).json()
    for method, path, body in _native_requests(world.beta):
        refused = _call(client, method, path, body, world.bound)
        assert refused.status_code == 404, (method, path, refused.status_code, refused.text)
        assert refused.json()["error"]["status"] == "NOT_FOUND"
    # The same answer as for rows and sites that do not exist: nothing tells the key that beta has them.
    missing_comment = client.get("/v1/comments/999999", headers=world.bound).json()["error"]["message"]
    beta_comment = client.get(f"/v1/comments/{world.beta.comment_id}", headers=world.bound).json()["error"]["message"]
    assert beta_comment == missing_comment.replace("999999", str(world.beta.comment_id))
    assert client.get("/v1/sites/nowhere", headers=world.bound).json()["error"]["message"] == "Site 'nowhere' not found."
    assert client.get("/v1/sites/beta", headers=world.bound).json()["error"]["message"] == "Site 'beta' not found."
    # Nor may it erase another site's author (the author is still there for beta's own key).
    assert client.delete("/v1/sites/beta/authors/reader-1", headers=world.bound).status_code == 404
    assert client.get(f"/v1/comments/{world.beta.comment_id}", headers=world.root).json()["text"] == "It's John Smith, not Jon Smith."
    # A bound key creates no site either.
    assert client.put("/v1/sites/gamma", json={"name": "Gamma"}, headers=world.bound).status_code == 404
    # Nothing of beta changed: its comment, its correction, its name, webhook and Coral secret are as they were.
    after = client.get(f"/v1/comments/{world.beta.comment_id}", headers=world.root).json()
    assert after["decision"] == before["decision"] and len(after["history"]) == len(before["history"])
    assert client.get("/v1/sites/beta", headers=world.root).json() == {
        "slug": "beta", "name": "Beta Tribune", "policy": client.get("/v1/sites/beta/policy", headers=world.root).json(), "webhook_url": None,
    }
    assert [c["status"] for c in client.get("/v1/sites/beta/corrections?status=all", headers=world.root).json()] == ["open"]
    assert client.get("/v1/sites/beta/articles/story", headers=world.root).json()["title"] == "Beta Tribune story"
    assert [i["external_id"] for i in client.get("/v1/sites/beta/queue?status=all", headers=world.root).json()["items"]] == ["c1"]
    assert client.get("/v1/sites/gamma", headers=world.root).status_code == 404


def test_a_bound_key_cannot_bulk_decide_another_sites_comment_through_its_own_site(client: TestClient, world: World) -> None:
    mixed = {"comment_ids": [world.alpha.comment_id, world.beta.comment_id], "action": "approve", "reason": "ok"}
    assert client.post("/v1/sites/alpha/decisions:bulk", json=mixed, headers=world.bound).status_code == 404
    assert client.get(f"/v1/comments/{world.alpha.comment_id}", headers=world.root).json()["decision"] == "review"  # all or nothing


def test_the_bound_key_reaches_its_own_site_and_an_unbound_key_reaches_both(client: TestClient, world: World) -> None:
    for key, sites in ((world.bound, (world.alpha,)), (world.root, (world.alpha, world.beta))):
        for site in sites:
            for method, path, body in _native_requests(site):
                if method == "PUT" and path == f"/v1/sites/{site.slug}":
                    body = {"name": "Renamed"}  # keep the Coral secret the next test signs with
                answer = _call(client, method, path, body, key)
                assert answer.status_code in (200, 201), (method, path, answer.status_code, answer.text)
    assert client.put("/v1/sites/gamma", json={"name": "Gamma"}, headers=world.root).status_code == 201


def test_listings_of_a_bound_key_hold_only_its_site(client: TestClient, world: World) -> None:
    client.post(f"/v1/comments/{world.beta.comment_id}/decision", json={"action": "approve", "reason": "ok"}, headers=world.root)
    audit = client.get("/v1/sites/alpha/audit?limit=500", headers=world.bound).json()
    assert audit and all("beta" not in json.dumps(entry) for entry in audit)
    assert str(world.beta.comment_id) not in {e["subject_id"] for e in audit if e["subject_type"] == "comment"}
    queue = client.get("/v1/sites/alpha/queue?status=all", headers=world.bound).json()
    assert {item["site"] for item in queue["items"]} == {"alpha"}


def test_the_coral_phase_of_another_site_is_out_of_reach(client: TestClient, world: World) -> None:
    body = _coral_body("Thanks for the clear report on the bridge.")
    # Alpha's credentials (its Coral secret) do not open beta's phase, and the bound key could not replace beta's secret.
    assert client.post("/v1/coral/beta/moderate", content=body, headers=_signed(world.alpha.coral_secret, body)).status_code == 401
    assert client.put("/v1/sites/beta", json={"coral_secret": "mine"}, headers=world.bound).status_code == 404
    assert client.post("/v1/coral/beta/moderate", content=body, headers=_signed("mine", body)).status_code == 401
    assert client.post("/v1/coral/beta/moderate", content=body, headers=_signed(world.beta.coral_secret, body)).status_code in (200, 204)
    # A comment Coral stored on beta is, like every beta comment, a 404 for the alpha key.
    stored = client.get("/v1/sites/beta/queue?status=all", headers=world.root).json()["items"]
    coral_id = next(item["id"] for item in stored if item["external_id"].startswith("coral:"))
    assert client.get(f"/v1/comments/{coral_id}", headers=world.bound).status_code == 404


def test_the_audit_log_records_the_key_and_keeps_the_integrations_moderator_apart(client: TestClient, world: World) -> None:
    decided = client.post(
        f"/v1/comments/{world.alpha.comment_id}/decision",
        json={"action": "reject", "reason": "spam", "moderator": "admin"},  # an integration may send any name
        headers=world.bound,
    )
    assert decided.status_code == 200, decided.text
    actor = f"key:{world.bound_prefix}:alpha-cms"
    last = decided.json()["history"][-1]
    assert last["actor"] == actor and last["on_behalf_of"] == "admin"
    entry = client.get(f"/v1/sites/alpha/audit?action=comment.decided&subject_id={world.alpha.comment_id}", headers=world.root).json()[0]
    assert entry["actor"] == actor and entry["on_behalf_of"] == "admin"
    assert client.get("/v1/sites/alpha/audit?actor=admin", headers=world.root).json() == []  # the name never stands in for the key
    bulk = client.post(
        "/v1/sites/alpha/decisions:bulk",
        json={"comment_ids": [world.alpha.comment_id], "action": "approve", "reason": "ok", "moderator": "jo"},
        headers=world.bound,
    )
    assert bulk.status_code == 200
    newest = client.get("/v1/sites/alpha/audit?action=comment.decided", headers=world.root).json()[0]
    assert (newest["actor"], newest["on_behalf_of"]) == (actor, "jo")
    # Every other write by the key names it too.
    client.put("/v1/sites/alpha/articles/story", json={"title": "T", "body": BODY}, headers=world.bound)
    article = client.get("/v1/sites/alpha/audit?action=article.updated", headers=world.root).json()[0]
    assert article["actor"] == actor and article["on_behalf_of"] is None


# The dashboard


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


@pytest.fixture
def browser(settings: Settings, services: Services) -> Iterator[Any]:
    """Signs a user in through the form, in a client of their own; yields (client, csrf) makers."""
    opened: list[TestClient] = []

    def open_as(username: str) -> tuple[TestClient, str]:
        client = TestClient(create_app(settings, services), follow_redirects=False)
        client.__enter__()
        opened.append(client)
        page = client.get("/login")
        signed = client.post("/login", data={"csrf": _csrf(page.text), "username": username, "password": PASSWORD})
        assert signed.status_code == 303, signed.text
        return client, _csrf(client.get("/queue?site=alpha").text)

    yield open_as
    for client in opened:
        client.__exit__(None, None, None)


def _pages(slug: str) -> list[str]:
    return [
        f"/queue?site={slug}",
        f"/queue?site={slug}&status=all",
        f"/articles?site={slug}",
        f"/articles/story?site={slug}",
        f"/corrections?site={slug}&status=all",
        f"/policy?site={slug}",
        f"/policy/edit?site={slug}",
        f"/stats?site={slug}",
        f"/audit?site={slug}",
    ]


def _forms(site: Site, csrf: str) -> list[tuple[str, dict[str, Any]]]:
    toml = "[[rules]]\nattribute = \"TOXICITY\"\nthreshold = 0.0\naction = \"review\"\n"
    return [
        ("/queue/decide", {"csrf": csrf, "comment_id": site.comment_id, "action": "reject", "reason": "spam"}),
        ("/queue/undo", {"csrf": csrf, "comment_id": site.comment_id}),
        ("/queue/batch", {"csrf": csrf, "ids": [site.comment_id], "action": "reject", "reason": "spam"}),
        ("/queue/batch", {"csrf": csrf, "ids": [site.comment_id], "action": "reject", "reason": "spam", "site": site.slug}),
        ("/corrections/resolve", {"csrf": csrf, "correction_id": site.correction_id, "decision": "dismiss"}),
        ("/policy/dry-run", {"csrf": csrf, "site": site.slug, "policy": toml}),
        ("/policy/save", {"csrf": csrf, "site": site.slug, "policy": toml, "seal": "x"}),
    ]


def test_a_bound_user_gets_404_for_every_page_and_action_of_another_site(client: TestClient, world: World, browser: Any) -> None:
    web, csrf = browser("alpha-ed")
    for path in _pages("beta"):
        assert web.get(path).status_code == 404, path
    for path, form in _forms(world.beta, csrf):
        answer = web.post(path, data=form)
        assert answer.status_code == 404, (path, answer.status_code)
    after = client.get(f"/v1/comments/{world.beta.comment_id}", headers=world.root).json()
    assert after["decision"] == "review" and [h["source"] for h in after["history"]] == ["policy"]
    assert [c["status"] for c in client.get("/v1/sites/beta/corrections?status=all", headers=world.root).json()] == ["open"]
    # Its own site works, and no page names beta: not in the site switcher, not in the audit log of every site.
    for path in _pages("alpha"):
        page = web.get(path)
        assert page.status_code == 200, path
        assert "Beta Tribune" not in page.text and "site=beta" not in page.text, path
    assert web.get("/queue").status_code == 200 and "Alpha Daily" in web.get("/queue").text
    everywhere = web.get("/audit?scope=all").text
    assert "alpha/story" in everywhere and "beta/story" not in everywhere


def test_an_unbound_dashboard_user_reaches_both_sites(world: World, browser: Any) -> None:
    web, csrf = browser("chief")
    for slug in ("alpha", "beta"):
        for path in _pages(slug):
            assert web.get(path).status_code == 200, path
    assert "Beta Tribune" in web.get("/queue?site=alpha").text  # the site switcher lists both
    decided = web.post("/queue/decide", data=_forms(world.beta, csrf)[0][1])
    assert decided.status_code == 303
    assert "beta/story" in web.get("/audit?scope=all").text


def test_the_dashboard_audit_page_shows_who_acted_and_for_whom(client: TestClient, world: World, browser: Any) -> None:
    client.post(f"/v1/comments/{world.alpha.comment_id}/decision", json={"action": "reject", "reason": "spam", "moderator": "alice"}, headers=world.bound)
    web, csrf = browser("alpha-ed")
    web.post("/queue/decide", data={"csrf": csrf, "comment_id": world.alpha.comment_id, "action": "approve", "reason": "acceptable"})
    page = web.get("/audit?site=alpha&action=comment.decided").text
    assert f"key:{world.bound_prefix}:alpha-cms" in page and "for alice" in page
    assert "<td>alpha-ed</td>" in page  # the dashboard user, by name


# The CLI


def test_keys_and_users_are_bound_to_sites_from_the_cli(settings: Settings, services: Services, world: World) -> None:
    env = {"CIVILITY_DATABASE_URL": settings.database_url}
    runner = CliRunner()
    made = runner.invoke(cli_app, ["keys", "create", "two-sites", "--scope", "moderate", "--site", "alpha", "--site", "beta"], env=env)
    assert made.exit_code == 0, made.output
    bound = {info.name: info.sites for info in list_keys(services.sessions)}
    assert bound["two-sites"] == ("alpha", "beta") and bound["root"] == ()
    listing = runner.invoke(cli_app, ["keys", "list"], env=env).stdout
    assert "alpha,beta" in listing
    unknown = runner.invoke(cli_app, ["keys", "create", "x", "--site", "nowhere"], env=env)
    assert unknown.exit_code != 0 and "nowhere" in unknown.output

    user = runner.invoke(cli_app, ["users", "create", "bea", "--role", "moderator", "--site", "beta", "--password-stdin"], env=env, input=PASSWORD + "\n")
    assert user.exit_code == 0, user.output
    rows = query(settings.database_url, "SELECT s.slug FROM user_sites us JOIN users u ON u.id = us.user_id JOIN sites s ON s.id = us.site_id WHERE u.username = 'bea'")
    assert [r[0] for r in rows] == ["beta"]
    assert "beta" in runner.invoke(cli_app, ["users", "list"], env=env).stdout
    refused = runner.invoke(cli_app, ["users", "create", "nob", "--role", "editor", "--site", "nowhere", "--password-stdin"], env=env, input=PASSWORD + "\n")
    assert refused.exit_code == 1 and "nowhere" in refused.output
