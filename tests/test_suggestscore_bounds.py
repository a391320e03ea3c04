"""comments:suggestscore cannot amplify storage: only existing attributes and versions, bounded keys, spans and
context, and the comment and context stored once per request (issue 23, finding 3)."""

from __future__ import annotations

import json
import random
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from civility.config import Settings
from civility.services.context import Services
from civility.services.feedback import CONTEXT_FACTOR, MAX_ATTRIBUTES, MAX_SPANS
from civility.storage import migrate
from civility.storage.engine import make_engine
from tests.databases import query

SUGGEST = "/v1alpha1/comments:suggestscore"
ANALYZE = "/v1alpha1/comments:analyze"
COMMENT = "I guess it comes down to taste, but the second half drags."


def _send(client: TestClient, key: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any], int]:
    """(status, body, bytes sent): the HTTP request line, headers and body, the body as compact UTF-8 JSON, as a
    frugal attacker would send it."""
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    response = client.post(f"{SUGGEST}?key={key}", content=raw, headers={"Content-Type": "application/json"})
    sent = response.request
    head = len(b"POST " + sent.url.raw_path + b" HTTP/1.1\r\n") + sum(len(k) + len(v) + 4 for k, v in sent.headers.raw) + 2
    return response.status_code, response.json(), head + len(raw)


def _error_type(body: dict[str, Any]) -> str:
    return str(body["error"]["details"][0]["errorType"])


def _context(size: int, seed: int) -> dict[str, Any]:
    """About ``size`` bytes of context text, in entries, with non-ASCII words (which JSON would escape to 6 bytes)."""
    rng = random.Random(seed)
    words = ["naïve", "café", "日本語の記事", "Zürich", "article", "reply", "thread", "Ελλάδα", "comment", "доска"]
    entries, used = [], 0
    while used < size:
        chunk = " ".join(rng.choice(words) + str(rng.randrange(1000)) for _ in range(300))[: size - used]
        entries.append({"text": chunk, "type": "PLAIN_TEXT"})
        used += len(chunk.encode("utf-8")) + 40
    return {"entries": entries}


def _page_size(database_url: str) -> int:
    if not database_url.startswith("sqlite"):
        return 8192
    return int(query(database_url, "PRAGMA page_size")[0][0])  # type: ignore[call-overload]


def _stored_bytes(database_url: str) -> int:
    """Bytes the suggestion tables take, read from the database itself: SQLite's live pages (WAL included),
    PostgreSQL's relation sizes with indexes and TOAST."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
                free = connection.exec_driver_sql("PRAGMA freelist_count").scalar_one()
                size = connection.exec_driver_sql("PRAGMA page_size").scalar_one()
                return int((pages - free) * size)
            return int(
                connection.execute(
                    text("SELECT pg_total_relation_size('suggestions') + pg_total_relation_size('feedback')")
                ).scalar_one()
            )
    finally:
        engine.dispose()


def _valid_keys(services: Services, count: int) -> list[str]:
    pairs = [f"{name}@{version}" for name, langs in services.registry.coverage().items() for version in langs.get("en", [])]
    return sorted(pairs)[:count]


def test_two_hundred_pinned_keys_with_a_96_kb_context_are_refused(
    client: TestClient, api_key: str, settings: Settings
) -> None:
    """The issue's attack: five requests, 200 TOXICITY@N keys each, 96 KB of context. Before: 116 MB stored."""
    before = _stored_bytes(settings.database_url)
    sent = 0
    for attempt in range(5):
        payload = {
            "comment": {"text": COMMENT},
            "context": _context(96_000, attempt),
            "attributeScores": {f"TOXICITY@{n}": {"summaryScore": {"value": 0.1}} for n in range(1, 201)},
            "languages": ["en"],
        }
        status, body, size = _send(client, api_key, payload)
        sent += size
        assert status == 400 and _error_type(body) == "INVALID_REQUEST", body
    assert query(settings.database_url, "SELECT count(*) FROM suggestions") == [(0,)]
    assert query(settings.database_url, "SELECT count(*) FROM feedback") == [(0,)]
    assert _stored_bytes(settings.database_url) - before <= sent


def test_requests_within_bounds_grow_the_database_no_faster_than_the_bytes_sent(
    client: TestClient, api_key: str, services: Services, settings: Settings
) -> None:
    """As many valid keys as allowed and a context just under the limit: stored once, so the database grows by at
    most the bytes sent, give or take one page per request (a stored context's last overflow page is part empty)."""
    keys = _valid_keys(services, MAX_ATTRIBUTES)
    assert len(keys) == MAX_ATTRIBUTES
    limit = CONTEXT_FACTOR * settings.max_comment_bytes
    before = _stored_bytes(settings.database_url)
    sent = 0
    for attempt in range(5):
        payload = {
            "comment": {"text": f"{COMMENT} ({attempt})"},
            "context": _context(limit - 2_000, attempt),
            "attributeScores": {key: {"summaryScore": {"value": 0.25}} for key in keys},
            "languages": ["en"],
        }
        status, body, size = _send(client, api_key, payload)
        assert status == 200, body
        sent += size
    grown = _stored_bytes(settings.database_url) - before
    assert grown <= sent + 5 * _page_size(settings.database_url), (grown, sent)
    assert query(settings.database_url, "SELECT count(*) FROM suggestions") == [(5,)]
    assert query(settings.database_url, "SELECT count(*) FROM feedback") == [(5 * MAX_ATTRIBUTES,)]


def test_text_and_context_are_stored_once_per_request(client: TestClient, api_key: str, settings: Settings) -> None:
    context = {"entries": [{"text": "Story: the café on Zürichstraße reopened."}]}
    payload = {
        "comment": {"text": COMMENT},
        "context": context,
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0}}, "INSULT@1": {"summaryScore": {"value": 0.5}}},
        "languages": ["en"],
        "clientToken": "c-1",
    }
    status, body, _ = _send(client, api_key, payload)
    assert status == 200, body
    suggestions = query(settings.database_url, "SELECT id, text, context, client_token FROM suggestions")
    assert len(suggestions) == 1
    suggestion_id, stored_text, stored_context, token = suggestions[0]
    assert (stored_text, json.loads(str(stored_context)), token) == (COMMENT, context, "c-1")
    assert "Zürichstraße" in str(stored_context)  # compact UTF-8, not \\u escapes
    feedback = query(settings.database_url, "SELECT suggestion_id, attribute, value FROM feedback ORDER BY attribute")
    assert feedback == [(suggestion_id, "INSULT@1", 0.5), (suggestion_id, "TOXICITY", 0.0)]


def test_unknown_attributes_and_pins_are_refused_as_analyze_refuses_them(client: TestClient, api_key: str) -> None:
    for key, expected in (
        ("TOXICITY@999", "INVALID_REQUEST"),  # a version that does not exist
        ("NOT_AN_ATTRIBUTE", "INVALID_REQUEST"),
        ("FLIRTATION", "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"),  # a Perspective attribute no model here judges
    ):
        status, body, _ = _send(
            client,
            api_key,
            {"comment": {"text": COMMENT}, "attributeScores": {key: {"summaryScore": {"value": 0.2}}}, "languages": ["en"]},
        )
        assert status == 400 and _error_type(body) == expected, (key, body)
        analyzed = client.post(
            f"{ANALYZE}?key={api_key}",
            json={"comment": {"text": COMMENT}, "requestedAttributes": {key: {}}, "languages": ["en"]},
        )
        assert analyzed.status_code == 400 and _error_type(analyzed.json()) == expected, (key, analyzed.text)


def test_keys_spans_and_context_are_bounded(client: TestClient, api_key: str, services: Services, settings: Settings) -> None:
    def attempt(**changes: Any) -> tuple[int, dict[str, Any]]:
        payload: dict[str, Any] = {
            "comment": {"text": COMMENT},
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.2}}},
            "languages": ["en"],
        }
        payload.update(changes)
        status, body, _ = _send(client, api_key, payload)
        return status, body

    too_many = {key: {"summaryScore": {"value": 0.2}} for key in _valid_keys(services, MAX_ATTRIBUTES + 1)}
    assert attempt(attributeScores=too_many)[0] == 400
    spans = [{"begin": 0, "end": 1, "score": {"value": 0.5}}] * 600
    assert attempt(attributeScores={"TOXICITY": {"spanScores": spans}, "INSULT": {"spanScores": spans}})[0] == 400
    assert 600 <= MAX_SPANS < 1200
    outside = [{"begin": 0, "end": len(COMMENT) + 1, "score": {"value": 0.5}}]
    assert attempt(attributeScores={"TOXICITY": {"spanScores": outside}})[0] == 400
    twice = {"TOXICITY@1": {"summaryScore": {"value": 0.2}}, "toxicity@1": {"summaryScore": {"value": 0.3}}}
    assert attempt(attributeScores=twice)[0] == 400
    limit = CONTEXT_FACTOR * settings.max_comment_bytes
    assert attempt(context={"entries": [{"text": "x" * (limit + 1)}]})[0] == 400
    assert attempt(context={"entries": [{"text": "x" * (limit - 100)}]})[0] == 200
    assert query(settings.database_url, "SELECT count(*) FROM suggestions") == [(1,)]


def test_migration_moves_existing_feedback_into_suggestions(database_url: str) -> None:
    """Rows written by the old schema (text and context on every attribute row) become one suggestion per request,
    and come back as they were on downgrade."""
    engine = make_engine(database_url)
    migrate.upgrade(engine, "0006")
    old = sa.table(
        "feedback",
        *(sa.column(name) for name in ("created_at", "text", "attribute", "value", "community_id", "client_token")),
        sa.column("spans", sa.JSON()),
        sa.column("languages", sa.JSON()),
        sa.column("context", sa.JSON()),
    )
    from civility.storage.tables import utcnow

    def row(text_: str, attribute: str, token: str) -> dict[str, Any]:
        return {
            "created_at": utcnow(), "text": text_, "attribute": attribute, "value": 0.5, "spans": [], "languages": ["en"],
            "context": {"entries": [{"text": f"context of {text_}"}]}, "community_id": "c", "client_token": token,
        }

    rows = [row("first", "TOXICITY", "a"), row("first", "INSULT", "a"), row("second", "TOXICITY", "b"),
            row("second", "TOXICITY", "b"), row("third", "THREAT", "c")]
    with engine.begin() as connection:
        connection.execute(sa.insert(old), rows)
    migrate.upgrade(engine)
    assert query(database_url, "SELECT text, client_token FROM suggestions ORDER BY id") == [
        ("first", "a"), ("second", "b"), ("second", "b"), ("third", "c"),
    ]
    joined = query(
        database_url,
        "SELECT f.attribute, s.text, s.context, s.languages FROM feedback f JOIN suggestions s ON s.id = f.suggestion_id"
        " ORDER BY f.id",
    )
    assert [(a, t) for a, t, _, _ in joined] == [(r["attribute"], r["text"]) for r in rows]
    assert all(json.loads(str(c)) == {"entries": [{"text": f"context of {t}"}]} for _, t, c, _ in joined)
    assert all(json.loads(str(langs)) == ["en"] for *_, langs in joined)
    migrate.downgrade(engine, "0006")
    back = query(database_url, "SELECT attribute, text, client_token, community_id FROM feedback ORDER BY id")
    assert back == [(r["attribute"], r["text"], r["client_token"], "c") for r in rows]
    migrate.upgrade(engine)
    engine.dispose()
