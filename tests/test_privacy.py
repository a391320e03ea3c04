"""Erasing an author (issue 23, finding 6): `civility authors erase` and DELETE /v1/sites/{site}/authors/{author}
remove the author's texts, name and feedback from every table, keep decisions and counts, and are audited."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from civility.cli import app as cli
from civility.config import Settings
from civility.services.context import Services
from civility.services.keys import create_key
from tests.databases import query, table_names

AUTHOR = "reader-quokka-id"
NAME = "Jane Quokkaname"
FIRST = "Quokkavelvet thinks the bridge opening was handled with real care."
CORRECTION = "It's John Smith, not Jon Smith."
NOTE = "approved, though quokkavelvet repeats this often"
OTHER = "A different reader says the new bridge looks rather elegant."
# Every form in which the author's words or identity could be stored; none may remain anywhere.
TRACES = ("quokka", "john smith", "handled with real care")


@pytest.fixture
def admin(services: Services) -> dict[str, str]:
    return {"authorization": "Bearer " + create_key(services.sessions, "admin", ("admin",)).key}


def _post(client: TestClient, headers: dict[str, str], cid: str, text: str, author: str, name: str) -> dict[str, Any]:
    response = client.post(
        "/v1/sites/daily/articles/bridge/comments",
        json={"id": cid, "text": text, "author": {"id": author, "name": name}},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _populate(client: TestClient, admin: dict[str, str]) -> list[dict[str, Any]]:
    """The author's comments, a moderator's note quoting one, an accepted correction, the same text analyzed and
    suggested through the Perspective API (with context), and another author's comment that must survive."""
    for slug in ("daily", "other"):
        assert client.put(f"/v1/sites/{slug}", json={"name": slug.title()}, headers=admin).status_code in (200, 201)
    article = {"title": "Bridge", "body": "The mayor, Jon Smith, opened the bridge on Tuesday."}
    assert client.put("/v1/sites/daily/articles/bridge", json=article, headers=admin).status_code == 201
    first = _post(client, admin, "c1", FIRST, AUTHOR, NAME)
    correction = _post(client, admin, "c2", CORRECTION, AUTHOR, NAME)
    other = _post(client, admin, "c3", OTHER, "reader-two", "Sam Other")
    assert correction["signals"]["correction"]["proposed"] == "John Smith"
    decided = client.post(f"/v1/comments/{first['id']}/decision", json={"action": "approve", "reason": "fine", "note": NOTE}, headers=admin)
    assert decided.status_code == 200, decided.text
    [open_correction] = client.get("/v1/sites/daily/corrections", headers=admin).json()
    assert client.post(f"/v1/corrections/{open_correction['id']}:accept", headers=admin).status_code == 200
    key = admin["authorization"].removeprefix("Bearer ")
    analyzed = client.post(
        f"/v1alpha1/comments:analyze?key={key}",
        json={"comment": {"text": FIRST}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]},
    )
    assert analyzed.status_code == 200, analyzed.text
    suggested = client.post(
        f"/v1alpha1/comments:suggestscore?key={key}",
        json={
            "comment": {"text": FIRST},
            "context": {"entries": [{"text": "Quokkavelvet's earlier reply"}]},
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.1}}},
            "languages": ["en"],
        },
    )
    assert suggested.status_code == 200, suggested.text
    return [first, correction, other]


def _traces(database_url: str) -> list[tuple[str, str]]:
    """(table, value) for every stored value, in any column of any table, that holds a trace of the author."""
    found = []
    for table in table_names(database_url):
        for row in query(database_url, f'SELECT * FROM "{table}"'):
            for value in row:
                text = str(value).lower()
                if AUTHOR in text or any(trace in text for trace in TRACES):
                    found.append((table, str(value)[:120]))
    return found


def _counts(database_url: str) -> dict[str, Any]:
    return {
        table: query(database_url, f"SELECT count(*) FROM {table}")[0][0]
        for table in ("comments", "decisions", "comment_scores", "corrections", "authors")
    } | {"statuses": query(database_url, "SELECT external_id, status FROM comments ORDER BY external_id")}


def _assert_erased(database_url: str, before: dict[str, Any], actor: str) -> None:
    assert _traces(database_url) == []
    assert _counts(database_url) == before  # decisions, scores, statuses and counts stay
    texts = dict(query(database_url, "SELECT external_id, text FROM comments"))  # type: ignore[arg-type]
    assert texts["c1"] == texts["c2"] == "[erased]" and texts["c3"] == OTHER
    assert query(database_url, "SELECT count(*) FROM analyzed_comments") == [(0,)]
    assert query(database_url, "SELECT count(*) FROM suggestions") == [(0,)]
    assert query(database_url, "SELECT count(*) FROM feedback") == [(0,)]
    assert query(database_url, "SELECT name FROM authors WHERE external_id = 'reader-two'") == [("Sam Other",)]
    audit = query(database_url, "SELECT actor, subject_type, details FROM audit_log WHERE action = 'author.erased'")
    assert len(audit) == 1 and audit[0][0] == actor and audit[0][1] == "author"
    assert '"comments": 2' in str(audit[0][2]).replace("'", '"')


def test_erase_over_http_removes_every_trace_and_keeps_decisions(
    client: TestClient, admin: dict[str, str], services: Services, settings: Settings
) -> None:
    first, _, _ = _populate(client, admin)
    seen = {table for table, _ in _traces(settings.database_url)}  # the scan sees the author everywhere first
    assert seen == {"comments", "authors", "decisions", "corrections", "audit_log", "analyzed_comments", "suggestions"}
    before = _counts(settings.database_url)
    erased = client.delete(f"/v1/sites/daily/authors/{AUTHOR}", headers=admin)
    assert erased.status_code == 200, erased.text
    assert erased.json()["erased"]["comments"] == 2
    actor = str(query(settings.database_url, "SELECT actor FROM audit_log WHERE action = 'site.created'")[0][0])
    assert actor.startswith("key:")
    _assert_erased(settings.database_url, before, actor)
    # The API shows the redacted comment, its decision history intact.
    shown = client.get(f"/v1/comments/{first['id']}", headers=admin).json()
    assert shown["text"] == "[erased]" and shown["decision"] == "approve"
    # This process's near-duplicate index forgot the text: a copy posted now is nobody's duplicate.
    copy = _post(client, admin, "c4", FIRST, "reader-three", "Third")
    assert copy["signals"]["duplicate_of"] is None
    # Erasing again: the author is gone.
    assert client.delete(f"/v1/sites/daily/authors/{AUTHOR}", headers=admin).status_code == 404


def test_erase_from_the_cli(client: TestClient, admin: dict[str, str], settings: Settings) -> None:
    _populate(client, admin)
    before = _counts(settings.database_url)
    env = {"CIVILITY_DATABASE_URL": settings.database_url}
    refused = CliRunner().invoke(cli, ["authors", "erase", "daily", AUTHOR], input="n\n", env=env)
    assert refused.exit_code != 0 and _traces(settings.database_url)
    result = CliRunner().invoke(cli, ["authors", "erase", "daily", AUTHOR, "--yes"], env=env)
    assert result.exit_code == 0, result.output
    assert '"comments": 2' in result.stdout
    _assert_erased(settings.database_url, before, "cli")
    missing = CliRunner().invoke(cli, ["authors", "erase", "daily", "nobody", "--yes"], env=env)
    assert missing.exit_code == 1 and "not found" in missing.output


def test_a_key_of_another_site_gets_404_and_erases_nothing(
    client: TestClient, admin: dict[str, str], services: Services, settings: Settings
) -> None:
    _populate(client, admin)
    other_admin = {"authorization": "Bearer " + create_key(services.sessions, "other", ("admin",), sites=("other",)).key}
    refused = client.delete(f"/v1/sites/daily/authors/{AUTHOR}", headers=other_admin)
    assert refused.status_code == 404
    assert refused.json()["error"]["message"] == "Site 'daily' not found."  # as if the site did not exist
    moderator = {"authorization": "Bearer " + create_key(services.sessions, "mod", ("moderate",)).key}
    assert client.delete(f"/v1/sites/daily/authors/{AUTHOR}", headers=moderator).status_code == 403
    assert texts_of(settings.database_url)["c1"] == FIRST
    assert query(settings.database_url, "SELECT count(*) FROM audit_log WHERE action = 'author.erased'") == [(0,)]


def texts_of(database_url: str) -> dict[str, str]:
    return {str(cid): str(text) for cid, text in query(database_url, "SELECT external_id, text FROM comments")}


def test_another_tenants_copy_of_the_same_words_is_out_of_reach(
    client: TestClient, admin: dict[str, str], services: Services, settings: Settings
) -> None:
    """Analyze requests carry no author and are matched by text; a key bound to another site keeps its own copy."""
    _populate(client, admin)
    other_key = create_key(services.sessions, "other-scorer", ("score",), sites=("other",)).key
    analyzed = client.post(
        f"/v1alpha1/comments:analyze?key={other_key}",
        json={"comment": {"text": FIRST}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]},
    )
    assert analyzed.status_code == 200, analyzed.text
    assert client.delete(f"/v1/sites/daily/authors/{AUTHOR}", headers=admin).status_code == 200
    kept = query(settings.database_url, "SELECT text FROM analyzed_comments")
    assert kept == [(FIRST,)]  # the daily admin's own copy is gone, the other tenant's stays
