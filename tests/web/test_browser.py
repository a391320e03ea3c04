"""The dashboard in a real browser: Debian's Chromium driven by Playwright, against the real `civility serve`.

One server and one browser for the module; the tests run in file order and build on the reference page that the
server loads on first start. Set CIVILITY_SCREENSHOTS_DIR=docs/screenshots to refresh the README's screenshots.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live_server import LiveServer, live_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api", reason="the dev extra (playwright) is not installed: run `make test`")
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium", allow_module_level=True)

Page = sync_api.Page


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("web-live")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _user(server: LiveServer, username: str, role: str, password: str) -> None:
    """Create a user with the real CLI, on the live server's database."""
    env = {**os.environ, "CIVILITY_DATABASE_URL": f"sqlite:///{server.database}"}
    done = subprocess.run(
        [sys.executable, "-m", "civility", "users", "create", username, "--role", role, "--password-stdin"],
        input=password + "\n", text=True, capture_output=True, env=env, timeout=60,
    )
    assert done.returncode == 0, done.stderr


def _signed_in(browser: object, server: LiveServer, username: str, password: str) -> Page:
    context = browser.new_context(viewport={"width": 1360, "height": 960}, base_url=server.url)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto("/")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    return page


def _post_comment(server: LiveServer, article: str, external_id: str, text: str) -> dict[str, object]:
    headers = {"authorization": f"Bearer {server.key}"}
    httpx.put(f"{server.url}/v1/sites/demo/articles/{article}", json={"title": f"Test article {article}", "body": "A short article."}, headers=headers).raise_for_status()
    response = httpx.post(
        f"{server.url}/v1/sites/demo/articles/{article}/comments",
        json={"id": external_id, "text": text, "author": {"id": f"author-{external_id}"}}, headers=headers, timeout=60,
    )
    response.raise_for_status()
    return response.json()  # type: ignore[no-any-return]


def _shot(page: Page, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    page.set_viewport_size({"width": 1360, "height": 1300})
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    target = os.environ.get("CIVILITY_SCREENSHOTS_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / name)


def test_first_visit_signs_in_with_the_printed_credentials_and_sees_the_reference_page(browser: object, server: LiveServer, tmp_path: Path) -> None:
    assert server.admin_password, "civility serve should have created the admin user"
    log = (server.database.parent / "server.log").read_text()
    assert f"user admin  password {server.admin_password}" in log
    page = _signed_in(browser, server, "admin", server.admin_password)
    assert page.url.endswith("/queue")
    held = httpx.get(f"{server.url}/v1/sites/demo/queue", headers={"authorization": f"Bearer {server.key}"}).json()["total"]
    assert held >= 1 and page.locator(".card").count() == held  # the comments the policy holds for review
    assert "duplicate of c1" in page.locator(".card .chip-dup").inner_text()  # c2, the repost of c1

    page.goto("/queue?site=demo&status=all")
    assert page.locator(".card").count() == 4
    toxic = page.locator(".card", has_text="terrorist leaders")
    assert toxic.locator("mark.hl-3").count() >= 1  # the sentences that drove the toxicity score
    assert toxic.locator(".bars li").count() >= 6
    _shot(page, tmp_path, "queue.png")

    page.goto("/articles/karabakh-mercenaries?site=demo")
    assert page.locator("h1").inner_text().startswith("Erdogan tells Putin")
    assert page.locator(".tcomment").count() == 4
    assert page.locator("details.dups .tcomment").count() == 1  # c2 folded under c1
    assert page.locator(".article mark").count() >= 1  # the passage reader c3 corrects
    _shot(page, tmp_path, "article.png")
    page.context.close()


def test_reject_from_the_queue_with_the_keyboard_undo_and_find_it_in_the_audit_log(browser: object, server: LiveServer) -> None:
    page = _signed_in(browser, server, "admin", server.admin_password)
    waiting = page.locator(".card").count()
    card = page.locator(".card").first
    comment_id = card.get_attribute("data-id")
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.wait_for_selector(f"#c-{comment_id}.status-reject")
    assert "rejected" in page.locator("#toast").inner_text()
    page.keyboard.press("u")
    page.wait_for_selector(f"#c-{comment_id}.status-review")
    page.keyboard.press("r")
    page.wait_for_selector(f"#c-{comment_id}.status-reject")

    page.goto(f"/audit?site=demo&action=comment.decided&subject_id={comment_id}")
    rows = page.locator("tbody tr")
    assert rows.count() == 4  # policy review, reject, undo back to review, reject again (newest first)
    newest = rows.first.inner_text()
    assert "admin" in newest and "reject" in newest
    assert "undo" in rows.nth(1).inner_text()
    page.goto("/queue?site=demo")
    assert page.locator(".card").count() == waiting - 1
    page.context.close()


def test_batch_decision_by_score_range(browser: object, server: LiveServer) -> None:
    calm = ["Thanks for the thorough reporting.", "Good summary of the talks, well written."]
    for i, text in enumerate(calm):
        _post_comment(server, "batch", f"b{i}", text)
    hostile = _post_comment(server, "batch", "b9", "You are a pathetic moron and an idiot.")
    page = _signed_in(browser, server, "admin", server.admin_password)
    page.goto("/queue?site=demo&status=all&article=batch")
    assert page.locator(".card").count() == 3
    page.fill("#select-min", "0")
    page.fill("#select-max", "0.5")
    page.click("#select-range")  # checks the cards whose score lies in the range
    assert page.locator("#selected-count").inner_text() == "2 selected"
    page.select_option("#batch select[name=reason]", "acceptable")
    page.click("#batch button[value=reject]")
    page.wait_for_load_state()
    for text in calm:
        assert "status-reject" in (page.locator(".card", has_text=text).get_attribute("class") or "")
    untouched = page.locator(".card", has_text="pathetic moron").get_attribute("class") or ""
    assert f"status-{hostile['decision']}" in untouched
    page.goto("/audit?site=demo&action=comment.decided&actor=admin")
    assert page.locator("tbody tr", has_text="acceptable").count() == 2
    page.context.close()


def test_corrections_view_shows_comment_3_beside_the_article_passage(browser: object, server: LiveServer) -> None:
    _user(server, "editor1", "editor", "editor-password-1")
    page = _signed_in(browser, server, "editor1", "editor-password-1")
    assert page.url.endswith("/corrections")
    item = page.locator(".correction[data-comment=c3]")
    assert item.count() == 1
    assert "Francois Macron" in item.locator(".passage mark").inner_text()
    assert "Emmanuel Macron" in item.locator(".comment-text").inner_text()
    item.locator("button[value=accept]").click()
    page.wait_for_load_state()
    assert page.locator(".correction[data-comment=c3]").count() == 0  # no longer open
    page.goto("/corrections?site=demo&status=accepted")
    assert "editor1" in page.locator(".correction[data-comment=c3]").inner_text()
    assert page.goto("/queue").status == 403  # editors do not decide comments
    page.context.close()


HOSTILE = [
    "<script>window.__pwned = 1; alert('script')</script> nice article",
    '<img src="x" onerror="window.__pwned = 2; alert(\'img\')"> look at this',
    '<a href="javascript:alert(\'link\')" id="evil-link">click me</a> for more',
    '"><svg onload="alert(\'svg\')"></svg> <iframe src="javascript:alert(1)"></iframe>',
]


def test_hostile_comments_render_as_inert_text(browser: object, server: LiveServer) -> None:
    for i, text in enumerate(HOSTILE):
        _post_comment(server, "hostile", f"h{i}", text)
    page = _signed_in(browser, server, "admin", server.admin_password)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for url in ("/articles/hostile?site=demo", "/queue?site=demo&status=all&article=hostile", "/audit?site=demo"):
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None
        assert page.locator("script:not([src='/static/dashboard.js'])").count() == 0
        assert page.locator("img[src=x], svg[onload], iframe, #evil-link, a[href^='javascript']").count() == 0
    page.goto("/articles/hostile?site=demo")
    shown = page.locator(".thread").inner_text()
    for text in HOSTILE:
        assert text.split(" ")[0] in shown  # the markup is shown to the moderator as text
    page.locator(".tcomment").first.click()
    assert dialogs == []
    page.context.close()


def test_post_without_csrf_token_is_refused(browser: object, server: LiveServer) -> None:
    page = _signed_in(browser, server, "admin", server.admin_password)
    page.goto("/queue?site=demo&status=all")
    comment_id = page.locator(".card").first.get_attribute("data-id")
    before = page.locator(f"#c-{comment_id}").get_attribute("class")
    refused = page.request.post("/queue/decide", form={"comment_id": comment_id or "", "action": "approve", "reason": "moderator"})
    assert refused.status == 403
    forged = page.request.post("/queue/decide", form={"comment_id": comment_id or "", "action": "approve", "csrf": "forged"})
    assert forged.status == 403
    page.reload()
    assert page.locator(f"#c-{comment_id}").get_attribute("class") == before
    page.context.close()


def test_moderator_cannot_open_the_policy_editor(browser: object, server: LiveServer) -> None:
    _user(server, "mod1", "moderator", "moderator-password-1")
    page = _signed_in(browser, server, "mod1", "moderator-password-1")
    assert page.url.endswith("/queue")
    response = page.goto("/policy/edit?site=demo")
    assert response is not None and response.status == 403
    assert "Not allowed" in page.content()
    page.goto("/policy?site=demo")
    assert page.locator("text=Edit policy").count() == 0 and page.locator("textarea").count() == 0
    csrf = page.locator("input[name=csrf]").first.get_attribute("value") or ""
    saved = page.request.post("/policy/save", form={"csrf": csrf, "site": "demo", "policy": 'name = "open"', "seal": "x"})
    assert saved.status == 403
    page.context.close()


def test_rejecting_an_original_rejects_the_repost_held_with_it_and_undo_restores_both(browser: object, server: LiveServer) -> None:
    headers = {"authorization": f"Bearer {server.key}"}
    site = f"{server.url}/v1/sites/held"
    text = "The council keeps promising the bridge will open in spring and it never does."
    httpx.put(site, json={"name": "Held copies"}, headers=headers).raise_for_status()
    httpx.put(f"{site}/articles/bridge", json={"title": "Bridge", "body": "The bridge was due in spring."}, headers=headers).raise_for_status()

    def post(external_id: str, words: str, action: str) -> int:
        # A threshold of 0 decides every comment the same way, whatever the model scores.
        rule = {"rules": [{"attribute": "TOXICITY", "threshold": 0.0, "action": action}]}
        httpx.put(f"{site}/policy", json=rule, headers=headers).raise_for_status()
        answer = httpx.post(f"{site}/articles/bridge/comments", json={"id": external_id, "text": words}, headers=headers, timeout=60)
        answer.raise_for_status()
        assert answer.json()["decision"] == "review"
        return int(answer.json()["id"])

    original, copy = post("h-1", text, "review"), post("h-2", text.upper(), "reject")  # the copy is held with h-1
    page = _signed_in(browser, server, "admin", server.admin_password)
    page.goto("/queue?site=held")
    order = page.locator(".card").evaluate_all("cards => cards.map(c => c.dataset.id)")
    assert sorted(order) == sorted([str(original), str(copy)])
    for _ in range(order.index(str(original)) + 1):
        page.keyboard.press("j")
    page.keyboard.press("r")
    page.wait_for_selector(f"#c-{copy}.status-reject")
    assert "with 1 held copy" in page.locator("#toast").inner_text()
    page.keyboard.press("u")
    page.wait_for_selector(f"#c-{copy}.status-review")
    page.wait_for_selector(f"#c-{original}.status-review")
    page.context.close()
