"""The dashboard over HTTP (FastAPI's TestClient): sign-in, sessions, CSRF, roles, escaping, headers, decisions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from civility.api.app import create_app
from civility.cli import app as cli_app
from civility.cli.demo import load_into_app
from civility.config import PROJECT_ROOT, Settings
from civility.scoring.registry import ModelRegistry
from civility.services import review
from civility.services import users as user_service
from civility.services.context import Services, build_services
from civility.services.keys import create_key
from civility.services.moderate import CommentIn, moderate_comment
from civility.text.language import LanguageDetector
from civility.web.render import segments
from civility.web.routes import router as web_router

PASSWORDS = {"admin": "admin-password-1", "mod": "moderator-password-1", "ed": "editor-password-1"}
ROLES = {"admin": "admin", "mod": "moderator", "ed": "editor"}


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory, registry: ModelRegistry, detector: LanguageDetector) -> Iterator[Services]:
    """One SQLite database for the module, with the reference page and one user per role."""
    root = tmp_path_factory.mktemp("dashboard")
    settings = Settings(database_url=f"sqlite:///{root / 'web.db'}", models_dir=PROJECT_ROOT / "models", local_key_file=root / "key")
    services = build_services(settings, registry=registry, detector=detector)
    for name, role in ROLES.items():
        user_service.create_user(services.sessions, name, PASSWORDS[name], role)
    app = create_app(settings, services)
    with TestClient(app):
        load_into_app(app, create_key(services.sessions, "t", ("score", "moderate", "admin")).key)
    yield services
    services.close()


def _client(services: Services, base_url: str = "http://testserver") -> TestClient:
    return TestClient(create_app(services.settings, services), base_url=base_url, follow_redirects=False)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str | None = None) -> str:
    """Sign in through the form; returns the session's CSRF token (from the next page)."""
    page = client.get("/login")
    response = client.post("/login", data={"csrf": _csrf(page.text), "username": username, "password": password or PASSWORDS[username]})
    assert response.status_code == 303, response.text
    return _csrf(client.get(response.headers["location"], follow_redirects=True).text)


@pytest.fixture
def web(dashboard: Services) -> Iterator[TestClient]:
    with _client(dashboard) as client:
        yield client


def _comment_id(services: Services, external_id: str) -> int:
    for outcome in review.thread(services, "demo", "karabakh-mercenaries"):
        if outcome.external_id == external_id:
            return outcome.comment_id
    raise AssertionError(external_id)


def test_pages_redirect_to_sign_in(web: TestClient) -> None:
    for path in ("/", "/queue", "/articles", "/corrections", "/policy", "/audit", "/stats"):
        response = web.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=")


def test_sign_in_cookie_is_secure_httponly_samesite_and_sign_out_ends_the_session(dashboard: Services) -> None:
    with _client(dashboard, "https://testserver") as client:
        page = client.get("/login")
        response = client.post("/login", data={"csrf": _csrf(page.text), "username": "admin", "password": PASSWORDS["admin"]})
        assert response.status_code == 303 and response.headers["location"] == "/queue"
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("civility_session="))
        assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
        token = client.cookies.get("civility_session")
        csrf = _csrf(client.get("/queue").text)
        assert client.post("/logout", data={"csrf": csrf}).status_code == 303
        client.cookies.set("civility_session", token or "")
        assert client.get("/queue").status_code == 303  # the old token is dead server-side, not just forgotten


def test_wrong_password_unknown_and_disabled_users_are_refused(dashboard: Services, web: TestClient) -> None:
    page = web.get("/login")
    for username, password in (("admin", "nope-nope-nope"), ("ghost", "whatever-123")):
        response = web.post("/login", data={"csrf": _csrf(page.text), "username": username, "password": password})
        assert response.status_code == 401 and "Wrong username or password" in response.text
    user_service.create_user(dashboard.sessions, "leaver", "leaver-password-1", "moderator")
    with _client(dashboard) as other:
        sign_in(other, "leaver", "leaver-password-1")
        assert user_service.disable_user(dashboard.sessions, "leaver")
        assert other.get("/queue").status_code == 303  # the open session ended with the account
    response = web.post("/login", data={"csrf": _csrf(page.text), "username": "leaver", "password": "leaver-password-1"})
    assert response.status_code == 401


def test_passwords_are_stored_as_argon2id(dashboard: Services) -> None:
    from civility.storage import users as user_store

    with dashboard.sessions() as session:
        stored = user_store.by_username(session, "admin")
        assert stored is not None and stored.password_hash.startswith("$argon2id$")
        assert PASSWORDS["admin"] not in stored.password_hash


def _routes(routes: list[object]) -> Iterator[object]:
    """Every route, through included routers (newer FastAPI wraps them)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from _routes(inner.routes) if inner is not None else [route]


def test_every_dashboard_post_refuses_missing_wrong_or_cross_origin_csrf(dashboard: Services, web: TestClient) -> None:
    csrf = sign_in(web, "admin")
    posts = sorted({route.path for route in _routes(web_router.routes) if "POST" in (getattr(route, "methods", None) or set())})
    assert {"/login", "/logout", "/queue/decide", "/queue/undo", "/queue/batch", "/corrections/resolve", "/policy/dry-run", "/policy/save"} <= set(posts)
    cid = str(_comment_id(dashboard, "c1"))
    before = review.get_comment(dashboard, int(cid)).action
    form = {"comment_id": cid, "ids": cid, "action": "reject", "reason": "moderator", "site": "demo", "correction_id": "1", "decision": "accept", "policy": "", "username": "admin", "password": PASSWORDS["admin"]}
    for path in posts:
        assert web.post(path, data=form).status_code == 403, path
        assert web.post(path, data={**form, "csrf": "forged"}).status_code == 403, path
    crossed = web.post("/queue/decide", data={**form, "csrf": csrf}, headers={"origin": "https://evil.example"})
    assert crossed.status_code == 403
    assert review.get_comment(dashboard, int(cid)).action == before  # nothing was decided
    assert web.get("/queue").status_code == 200  # still signed in: logout refused too


@pytest.mark.parametrize(
    ("user", "method", "path", "allowed"),
    [
        ("mod", "GET", "/policy/edit", False), ("mod", "POST", "/policy/save", False), ("mod", "POST", "/policy/dry-run", False),
        ("mod", "GET", "/corrections", False), ("mod", "POST", "/corrections/resolve", False), ("mod", "GET", "/policy", True),
        ("mod", "GET", "/queue", True), ("mod", "GET", "/audit", True),
        ("ed", "GET", "/queue", False), ("ed", "POST", "/queue/decide", False), ("ed", "POST", "/queue/batch", False),
        ("ed", "GET", "/policy", False), ("ed", "GET", "/corrections", True), ("ed", "GET", "/articles/karabakh-mercenaries", True),
        ("admin", "GET", "/policy/edit", True), ("admin", "GET", "/stats", True),
    ],
)
def test_roles_are_enforced_on_the_server(web: TestClient, user: str, method: str, path: str, allowed: bool) -> None:
    csrf = sign_in(web, user)
    if method == "GET":
        response = web.get(path)
    else:
        response = web.post(path, data={"csrf": csrf, "site": "demo", "policy": "name = 'x'", "seal": "x", "comment_id": "999999", "ids": "999999", "action": "approve", "correction_id": "999999", "decision": "dismiss"})
    assert (response.status_code != 403) is allowed, (response.status_code, response.text[:200])
    if not allowed:
        assert "Not allowed" in response.text


def test_editor_pages_show_no_decision_buttons(web: TestClient) -> None:
    sign_in(web, "ed")
    page = web.get("/articles/karabakh-mercenaries?site=demo").text
    assert "/queue/decide" not in page and 'href="/queue' not in page and 'href="/policy' not in page


def test_hostile_comment_text_is_escaped_everywhere(dashboard: Services, web: TestClient) -> None:
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>'
    moderate_comment(dashboard, "demo", "karabakh-mercenaries", CommentIn("xss1", hostile, author_id="<b>bad</b>", author_name='"><script>alert(4)</script>'))
    sign_in(web, "admin")
    for path in ("/queue?site=demo&status=all", "/articles/karabakh-mercenaries?site=demo", "/audit?site=demo"):
        html = web.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript:' not in html, path
        assert "<b>bad</b>" not in html
    html = web.get("/articles/karabakh-mercenaries?site=demo").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_security_headers_on_dashboard_pages_and_assets_but_not_on_the_api(web: TestClient) -> None:
    sign_in(web, "admin")
    for path in ("/queue", "/login", "/static/dashboard.js", "/policy/nonexistent-page-is-404-json"):
        response = web.get(path)
        if response.status_code == 404:
            continue
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
    assert "content-security-policy" not in web.get("/healthz").headers
    html = web.get("/queue").text
    assert "<script>" not in html and " onclick=" not in html and " style=" not in html  # nothing CSP would block


def test_open_redirects_are_refused(web: TestClient) -> None:
    page = web.get("/login?next=//evil.example/x")
    response = web.post("/login", data={"csrf": _csrf(page.text), "username": "admin", "password": PASSWORDS["admin"], "next": "//evil.example/x"})
    assert response.headers["location"] == "/queue"


def test_decide_undo_and_batch_over_http(dashboard: Services, web: TestClient) -> None:
    csrf = sign_in(web, "mod")
    c2 = _comment_id(dashboard, "c2")
    assert "c2" in web.get("/queue?site=demo").text
    answer = web.post("/queue/decide", data={"csrf": csrf, "comment_id": c2, "action": "reject", "reason": "spam"}, headers={"x-requested-with": "fetch"})
    assert answer.json() == {"comment_id": c2, "status": "reject", "followed": []}
    undone = web.post("/queue/undo", data={"csrf": csrf, "comment_id": c2}, headers={"x-requested-with": "fetch"})
    assert undone.json()["status"] == "review"
    assert web.post("/queue/undo", data={"csrf": csrf, "comment_id": c2}).status_code == 400  # an undo is not undone
    history = review.get_comment(dashboard, c2).history
    assert [(d["action"], d["reasons"][0]["code"] if d["source"] == "moderator" else d["source"]) for d in history] == [
        ("review", "policy"), ("reject", "spam"), ("review", "undo"),
    ]
    ids = [_comment_id(dashboard, e) for e in ("c1", "c2")]
    done = web.post("/queue/batch", data={"csrf": csrf, "ids": ids, "action": "approve", "reason": "acceptable", "site": "demo", "next": "/queue?site=demo"})
    assert done.status_code == 303 and done.headers["location"] == "/queue?site=demo"
    assert all(review.get_comment(dashboard, i).action.value == "approve" for i in ids)
    audit = web.get("/audit?site=demo&actor=mod").text
    assert audit.count("comment.decided") >= 5


def test_queue_filters_sorts_and_range_selection(dashboard: Services, web: TestClient) -> None:
    sign_in(web, "admin")
    page = web.get("/queue?site=demo&status=all&sort=score&attribute=TOXICITY&select_min=0.5&select_max=1").text
    order = re.findall(r'data-id="(\d+)" data-score="([0-9.]+)"', page)
    scores = [float(s) for _, s in order]
    assert scores == sorted(scores, reverse=True) and len(scores) >= 4
    checked = re.findall(r'value="(\d+)" form="batch" checked', page)
    assert checked and all(float(s) >= 0.5 for i, s in order if i in checked)
    assert 'class="hl hl-3"' in page  # the toxic sentences are highlighted
    only_corrections = web.get("/queue?site=demo&status=all&signal=correction").text
    assert "Emmanuel Macron" in only_corrections and "terrorist" not in only_corrections
    for sort in ("newest", "oldest", "article"):
        assert web.get(f"/queue?site=demo&status=all&sort={sort}").status_code == 200


def test_corrections_accept_and_policy_dry_run_before_save(dashboard: Services, web: TestClient) -> None:
    csrf = sign_in(web, "admin")
    page = web.get("/corrections?site=demo").text
    assert 'data-comment="c3"' in page and "Francois Macron</mark>" in page
    correction = re.search(r'name="correction_id" value="(\d+)"', page)
    assert correction
    web.post("/corrections/resolve", data={"csrf": csrf, "correction_id": correction.group(1), "decision": "dismiss"})
    assert 'data-comment="c3"' in web.get("/corrections?site=demo&status=dismissed").text

    toml = web.get("/policy/edit?site=demo").text
    text = re.search(r'<textarea name="policy"[^>]*>(.*?)</textarea>', toml, re.S)
    assert text
    import html as html_lib

    policy_text = html_lib.unescape(text.group(1))
    strict = re.sub(r"threshold = 0\.\d+", "threshold = 0.05", policy_text, count=1)
    refused = web.post("/policy/save", data={"csrf": csrf, "site": "demo", "policy": strict, "seal": "not-a-dry-run"})
    assert refused.status_code == 400 and "dry run" in refused.text
    bad = web.post("/policy/dry-run", data={"csrf": csrf, "site": "demo", "policy": "rules = 3"})
    assert bad.status_code == 400 and "Invalid policy" in bad.text
    report = web.post("/policy/dry-run", data={"csrf": csrf, "site": "demo", "policy": strict})
    assert report.status_code == 200 and "would be decided differently" in report.text
    seal = re.search(r'name="seal" value="([0-9a-f]+)"', report.text)
    assert seal
    saved = web.post("/policy/save", data={"csrf": csrf, "site": "demo", "policy": strict, "seal": seal.group(1)})
    assert saved.status_code == 303
    assert "policy.updated" in web.get("/audit?site=demo&action=policy.updated").text


def test_stats_page_draws_charts_from_the_database(client: TestClient, services: Services) -> None:
    """On both databases (date grouping differs between SQLite and PostgreSQL)."""
    load_into_app(client.app, create_key(services.sessions, "t", ("admin",)).key)  # type: ignore[arg-type]
    user_service.create_user(services.sessions, "admin", PASSWORDS["admin"], "admin")
    client.follow_redirects = False
    sign_in(client, "admin")
    page = client.get("/stats?site=demo").text
    assert page.count('<svg class="chart') >= 3 and 'class="c-approve"' in page and 'class="c-reject"' in page
    assert "duplicate" in page and "reader_correction" in page
    from civility.services import stats

    overview = stats.overview(services, "demo", days=7)
    from collections import Counter

    decided = Counter(o.action.value for o in review.thread(services, "demo", "karabakh-mercenaries"))
    assert sum(d.total for d in overview.days) == 4 and overview.statuses == dict(decided)


def test_segments_split_text_at_code_point_offsets() -> None:
    text = "héllo 😀 wörld <b>"
    parts = segments(text, [(0, 5, 0.9, "TOXICITY"), (3, 8, 0.6, "INSULT"), (14, 99, 0.75, "THREAT"), (-5, 0, 1.0, "X")])
    assert "".join(p.text for p in parts) == text
    assert [(p.text, p.level) for p in parts][:3] == [("hél", 3), ("lo", 3), (" 😀 ", 1)]
    assert parts[1].title == "TOXICITY 0.90 · INSULT 0.60"
    assert parts[-1].text == "<b>" and parts[-1].level == 2


def test_users_cli_and_first_start_admin(tmp_path: Path) -> None:
    env = {"CIVILITY_DATABASE_URL": f"sqlite:///{tmp_path / 'u.db'}"}
    runner = CliRunner()
    created = runner.invoke(cli_app, ["users", "create", "jane", "--role", "moderator", "--password-stdin"], input="jane-password-1\n", env=env)
    assert created.exit_code == 0, created.output
    assert runner.invoke(cli_app, ["users", "create", "jane", "--role", "moderator", "--password-stdin"], input="jane-password-1\n", env=env).exit_code == 1
    assert runner.invoke(cli_app, ["users", "create", "bob", "--role", "root", "--password-stdin"], input="bob-password-1\n", env=env).exit_code == 1
    assert runner.invoke(cli_app, ["users", "create", "bob", "--role", "editor", "--password-stdin"], input="short\n", env=env).exit_code == 1
    listing = runner.invoke(cli_app, ["users", "list"], env=env)
    assert "jane" in listing.stdout and "moderator" in listing.stdout
    assert runner.invoke(cli_app, ["users", "disable", "jane"], env=env).exit_code == 0
    assert runner.invoke(cli_app, ["users", "disable", "nobody"], env=env).exit_code == 1

    from civility.storage import migrate
    from civility.storage.engine import make_engine, make_session_factory

    engine = make_engine(env["CIVILITY_DATABASE_URL"])
    migrate.upgrade(engine)
    sessions = make_session_factory(engine)
    secret = tmp_path / "var" / "local-admin-password"
    first = user_service.ensure_local_admin(sessions, secret)
    assert first.created and first.password and oct(secret.stat().st_mode)[-3:] == "600"
    again = user_service.ensure_local_admin(sessions, secret)
    assert (again.password, again.created) == (first.password, False)  # reused on the next start
    assert user_service.authenticate(sessions, "admin", first.password) is not None
    secret.unlink()
    gone = user_service.ensure_local_admin(sessions, secret)
    assert gone.password is None and not gone.created  # an existing admin's password is never reset
    engine.dispose()
