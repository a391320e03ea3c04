"""The native /v1 API end to end over HTTP: sites, articles, comments, queue, decisions, policy, audit, errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from civility.config import PROJECT_ROOT, Settings
from civility.services.context import Services
from civility.services.keys import create_key
from tests.databases import query

PAGE = json.loads((PROJECT_ROOT / "examples" / "reference-page.json").read_text(encoding="utf-8"))


@pytest.fixture
def admin(services: Services) -> dict[str, str]:
    return {"authorization": "Bearer " + create_key(services.sessions, "admin", ("admin",)).key}


@pytest.fixture
def moderator(services: Services) -> dict[str, str]:
    return {"authorization": "Bearer " + create_key(services.sessions, "mod", ("moderate",)).key}


def _site(client: TestClient, headers: dict[str, str], slug: str = "paper", **extra: Any) -> None:
    response = client.put(f"/v1/sites/{slug}", json={"name": "The Paper", **extra}, headers=headers)
    assert response.status_code in (200, 201), response.text


def _article(client: TestClient, headers: dict[str, str], site: str = "paper", slug: str = "story", body: str = "A story about local elections and the new bridge.") -> None:
    response = client.put(f"/v1/sites/{site}/articles/{slug}", json={"title": "Story", "body": body}, headers=headers)
    assert response.status_code in (200, 201), response.text


def _comment(client: TestClient, headers: dict[str, str], cid: str, text: str, site: str = "paper", article: str = "story", **extra: Any) -> Any:
    return client.post(f"/v1/sites/{site}/articles/{article}/comments", json={"id": cid, "text": text, **extra}, headers=headers)


def _error_type(response: Any) -> str:
    return str(response.json()["error"]["details"][0]["errorType"])


def test_site_and_article_are_created_then_updated(client: TestClient, admin: dict[str, str]) -> None:
    assert client.put("/v1/sites/paper", json={"name": "The Paper"}, headers=admin).status_code == 201
    again = client.put("/v1/sites/paper", json={"name": "The Daily Paper"}, headers=admin)
    assert again.status_code == 200 and again.json()["name"] == "The Daily Paper"
    assert again.json()["policy"]["rules"], "a new site gets the default policy"
    assert client.put("/v1/sites/paper/articles/a1", json={"title": "T", "body": "B"}, headers=admin).status_code == 201
    assert client.put("/v1/sites/paper/articles/a1", json={"title": "T2", "body": "B"}, headers=admin).status_code == 200


def test_unknown_site_and_article_are_404_in_the_envelope(client: TestClient, admin: dict[str, str]) -> None:
    missing = _comment(client, admin, "x", "hello", site="nowhere")
    assert missing.status_code == 404 and _error_type(missing) == "NOT_FOUND"
    _site(client, admin)
    missing_article = _comment(client, admin, "x", "hello", article="nothing")
    assert missing_article.status_code == 404 and "nothing" in missing_article.json()["error"]["message"]
    assert client.get("/v1/comments/999", headers=admin).status_code == 404


def test_bad_bodies_are_400_or_413(client: TestClient, admin: dict[str, str]) -> None:
    _site(client, admin)
    _article(client, admin)
    url = "/v1/sites/paper/articles/story/comments"
    malformed = client.post(url, content=b"{not json", headers={**admin, "content-type": "application/json"})
    assert malformed.status_code == 400 and _error_type(malformed) == "INVALID_REQUEST"
    invalid_utf8 = client.post(url, content=b'{"id": "a", "text": "caf\xe9"}', headers={**admin, "content-type": "application/json"})
    assert invalid_utf8.status_code == 400
    empty = _comment(client, admin, "e", "   ")
    assert empty.status_code == 400 and _error_type(empty) == "COMMENT_EMPTY"
    too_long = _comment(client, admin, "l", "a" * 30000)
    assert too_long.status_code == 400 and _error_type(too_long) == "COMMENT_TOO_LONG"
    unknown_field = client.post(url, json={"id": "u", "text": "hi", "colour": "red"}, headers=admin)
    assert unknown_field.status_code == 400
    huge = client.post(url, content=b"x" * 2_000_000, headers={**admin, "content-type": "application/json"})
    assert huge.status_code == 413 and _error_type(huge) == "REQUEST_TOO_LARGE"
    bad_slug = client.put("/v1/sites/bad%20slug!", json={}, headers=admin)
    assert bad_slug.status_code == 400


def test_scopes_are_enforced(client: TestClient, services: Services, moderator: dict[str, str]) -> None:
    scorer = {"authorization": "Bearer " + create_key(services.sessions, "s", ("score",)).key}
    assert client.put("/v1/sites/paper", json={"name": "x"}, headers=scorer).status_code == 403
    assert client.put("/v1/sites/paper", json={"name": "x"}, headers=moderator).status_code == 403
    assert client.put("/v1/sites/paper", json={"name": "x"}).status_code == 403
    assert client.get("/v1/sites/paper/queue", headers={"authorization": "Bearer cvl_wrong"}).status_code == 400


def test_the_same_comment_id_is_idempotent(client: TestClient, admin: dict[str, str], settings: Settings) -> None:
    _site(client, admin)
    _article(client, admin)
    first = _comment(client, admin, "c-1", "What a thoughtful piece, thank you.")
    second = _comment(client, admin, "c-1", "What a thoughtful piece, thank you.")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"] and first.json()["decision"] == second.json()["decision"]
    assert query(settings.database_url, "SELECT COUNT(*) FROM decisions") == [(1,)]
    assert query(settings.database_url, "SELECT COUNT(*) FROM comments") == [(1,)]


def _load_reference_page(client: TestClient, admin: dict[str, str]) -> dict[str, Any]:
    site, article = PAGE["site"]["slug"], PAGE["article"]["slug"]
    _site(client, admin, site)
    response = client.put(
        f"/v1/sites/{site}/articles/{article}",
        json={k: PAGE["article"][k] for k in ("title", "summary", "body")},
        headers=admin,
    )
    assert response.status_code == 201
    results = {}
    for comment in PAGE["comments"]:
        response = _comment(client, admin, comment["id"], comment["text"], site=site, article=article, author=comment["author"])
        assert response.status_code == 201, response.text
        results[comment["id"]] = response.json()
    return results


def test_reference_page(client: TestClient, admin: dict[str, str]) -> None:
    """The acceptance case: the Karabakh page and its four comments, through the API."""
    results = _load_reference_page(client, admin)
    site = PAGE["site"]["slug"]
    # Comment 1 (all-caps distrust) is not rejected.
    assert results["c1"]["decision"] != "reject"
    # Comment 2 is the repost of comment 1.
    assert results["c2"]["signals"]["duplicate_of"] == "c1"
    assert "duplicate" in [r["code"] for r in results["c2"]["reasons"]]
    # Comment 3 is approved and routed to the editors as a correction of "Francois Macron".
    c3 = results["c3"]
    assert c3["decision"] == "approve"
    correction = c3["signals"]["correction"]
    body = PAGE["article"]["body"]
    assert body[correction["passage_begin"] : correction["passage_end"]] == "Francois Macron"
    assert correction["proposed"] == "Emmanuel Macron"
    assert "reader_correction" in [r["code"] for r in c3["reasons"]]
    corrections = client.get(f"/v1/sites/{site}/corrections", headers=admin).json()
    assert [c["comment_external_id"] for c in corrections] == ["c3"]
    # Comment 4 is rejected, with the sentences that drove it pointed out.
    c4 = results["c4"]
    assert c4["decision"] == "reject"
    rejecting = [r for r in c4["reasons"] if r["action"] == "reject"]
    assert rejecting and all(r["spans"] for r in rejecting if r["attribute"])
    # A moderator rejecting comment 1 decides comment 2 with it where the policy held the repost with its original
    # (the served model's scores alone would remove it); a repost waiting on its own scores keeps its own decision.
    held = "held_with_original" in [r["code"] for r in results["c2"]["reasons"]]
    decided = client.post(f"/v1/comments/{results['c1']['id']}/decision", json={"action": "reject", "reason": "identity_attack"}, headers=admin)
    assert [f["external_id"] for f in decided.json()["followed"]] == (["c2"] if held else [])
    c2_now = client.get(f"/v1/comments/{results['c2']['id']}", headers=admin).json()["decision"]
    assert c2_now == ("reject" if held else results["c2"]["decision"])


def test_reference_page_comment_4_is_rejected_as_threat_and_identity_attack(client: TestClient, admin: dict[str, str]) -> None:
    c4 = _load_reference_page(client, admin)["c4"]
    assert c4["decision"] == "reject"
    reasons = {r["attribute"]: r for r in c4["reasons"] if r["action"] == "reject" and r["attribute"]}
    assert {"THREAT", "IDENTITY_ATTACK"} <= set(reasons)
    threat_text = " ".join(span["text"] for span in reasons["THREAT"]["spans"])
    assert "killed not once but a thousand times" in threat_text
    # The identity attack is pointed at whole sentences of the comment that carry it.
    text = next(c["text"] for c in PAGE["comments"] if c["id"] == "c4")
    spans = reasons["IDENTITY_ATTACK"]["spans"]
    assert spans and all(text[s["begin"] : s["end"]] == s["text"] for s in spans)
    assert any("Turkey" in s["text"] or "Turkish" in s["text"] for s in spans)


# Harsh criticism of governments and leaders, written for this test (not from the contrast suite or training frames;
# civility.training.semantic_guard keeps training drafts that paraphrase them out of the training rows).
GOVERNMENT_CRITICISM = json.loads((PROJECT_ROOT / "examples" / "government-criticism.json").read_text(encoding="utf-8"))


def test_harsh_criticism_of_governments_passes_on_the_reference_page(client: TestClient, admin: dict[str, str]) -> None:
    """The product's promise to newsrooms: criticism of governments and leaders reaches readers (default policy)."""
    _load_reference_page(client, admin)
    site, article = PAGE["site"]["slug"], PAGE["article"]["slug"]
    decisions = {}
    for n, text in enumerate(GOVERNMENT_CRITICISM):
        response = _comment(client, admin, f"gov{n}", text, site=site, article=article, author={"id": f"reader{n}"})
        assert response.status_code == 201, response.text
        decisions[text] = (response.json()["decision"], [r["code"] for r in response.json()["reasons"]])
    assert "reject" not in {decision for decision, _ in decisions.values()}
    # No score holds any of them (minilm-en@4 held three for TOXICITY). The weak off-topic signal may still ask for a
    # look: "Aliyev is a dictator…" shares no word with this article, which never names him.
    held = {text: codes for text, (decision, codes) in decisions.items() if set(codes) - {"off_topic"}}
    assert not held


def test_queue_decision_history_and_audit(client: TestClient, admin: dict[str, str], moderator: dict[str, str]) -> None:
    _site(client, admin, policy={"rules": [{"attribute": "TOXICITY", "threshold": 0.0, "action": "review"}]})
    _article(client, admin)
    for n, text in enumerate(["You are a complete idiot", "Nice article", "Shut up, moron"]):
        assert _comment(client, moderator, f"q{n}", text).status_code == 201
    queue = client.get("/v1/sites/paper/queue?attribute=INSULT&sort=score", headers=moderator).json()
    assert queue["total"] == 3
    values = [item["scores"]["INSULT"]["value"] for item in queue["items"]]
    assert values == sorted(values, reverse=True)
    worst = queue["items"][0]

    decided = client.post(
        f"/v1/comments/{worst['id']}/decision", json={"action": "reject", "reason": "insult", "moderator": "alice"}, headers=moderator
    )
    assert decided.status_code == 200
    assert [h["source"] for h in decided.json()["history"]] == ["policy", "moderator"]
    assert client.get("/v1/sites/paper/queue", headers=moderator).json()["total"] == 2
    rejected = client.get("/v1/sites/paper/queue?status=reject", headers=moderator).json()
    assert [item["id"] for item in rejected["items"]] == [worst["id"]]

    assert decided.json()["history"][-1]["actor"].endswith(":mod") and decided.json()["history"][-1]["on_behalf_of"] == "alice"
    audit = client.get("/v1/sites/paper/audit?on_behalf_of=alice", headers=admin).json()
    assert audit[0]["subject_id"] == str(worst["id"]) and audit[0]["details"]["action"] == "reject"
    assert audit[0]["actor"].startswith("key:cvl_") and audit[0]["actor"].endswith(":mod")  # the key acted, for alice
    assert client.get("/v1/sites/paper/audit?actor=alice", headers=admin).json() == []
    assert client.get("/v1/sites/paper/audit", headers=moderator).status_code == 403

    ids = [item["id"] for item in client.get("/v1/sites/paper/queue", headers=moderator).json()["items"]]
    bulk = client.post("/v1/sites/paper/decisions:bulk", json={"comment_ids": ids, "action": "approve", "reason": "fine"}, headers=moderator)
    assert bulk.status_code == 200 and bulk.json()["decided"] == 2
    assert client.get("/v1/sites/paper/queue", headers=moderator).json()["total"] == 0
    bad = client.post("/v1/sites/paper/decisions:bulk", json={"comment_ids": [999999], "action": "approve", "reason": "x"}, headers=moderator)
    assert bad.status_code == 404


def test_policy_toml_round_trip_validation_and_dry_run(client: TestClient, admin: dict[str, str]) -> None:
    _site(client, admin)
    _article(client, admin)
    _comment(client, admin, "d1", "You are a complete idiot and a moron")
    _comment(client, admin, "d2", "Thanks for the report on the bridge")
    toml = client.get("/v1/sites/paper/policy?format=toml", headers=admin)
    assert toml.status_code == 200 and "[[rules]]" in toml.text
    saved = client.put("/v1/sites/paper/policy", content=toml.text.encode(), headers={**admin, "content-type": "application/toml"})
    assert saved.status_code == 200

    invalid = client.put("/v1/sites/paper/policy", json={"rules": [{"attribute": "NOPE", "threshold": 2, "action": "ban"}]}, headers=admin)
    assert invalid.status_code == 400 and _error_type(invalid) == "INVALID_POLICY"

    # Rejects every comment, whatever the served model scores the harmless one (0.01 was once enough; a better fast
    # model scores "Thanks for the report" below that).
    strict = {"rules": [{"attribute": "TOXICITY", "threshold": 0.0, "action": "reject"}]}
    report = client.post("/v1/sites/paper/policy:dry-run", json=strict, headers=admin).json()
    assert report["comments"] == 2
    assert report["changed"] >= 1
    assert all(example["to"] == "reject" for example in report["examples"])
    # A dry run saves nothing.
    assert client.get("/v1/sites/paper/policy", headers=admin).json()["rules"] != strict["rules"]


def test_a_repost_waits_with_its_original_while_a_moderator_has_it(client: TestClient, admin: dict[str, str]) -> None:
    _site(client, admin)
    _article(client, admin)
    text = "The council keeps promising the bridge will open in spring and it never does."
    review_all = {"rules": [{"attribute": "TOXICITY", "threshold": 0.0, "action": "review"}]}
    assert client.put("/v1/sites/paper/policy", json=review_all, headers=admin).status_code == 200
    original = _comment(client, admin, "h1", text).json()
    assert original["decision"] == "review"
    # From now on every comment's score asks for removal (threshold 0 fires whatever the model says).
    reject_all = {"rules": [{"attribute": "TOXICITY", "threshold": 0.0, "action": "reject"}]}
    assert client.put("/v1/sites/paper/policy", json=reject_all, headers=admin).status_code == 200
    repost = _comment(client, admin, "h2", text.upper()).json()
    assert repost["signals"]["duplicate_of"] == "h1"
    assert repost["decision"] == "review"
    codes = [r["code"] for r in repost["reasons"]]
    assert codes[0] == "toxicity" and "held_with_original" in codes
    assert {r["detail"] for r in repost["reasons"] if r["code"] in ("duplicate", "held_with_original")} == {"h1"}
    assert _comment(client, admin, "h3", "A different remark about the ferry timetable.").json()["decision"] == "reject"
    # Once the original is decided, a further repost is judged on its own scores.
    decided = client.post(f"/v1/comments/{original['id']}/decision", json={"action": "approve", "reason": "acceptable"}, headers=admin)
    assert decided.status_code == 200, decided.text
    # The held repost takes the decision with it (tests/test_held_copies.py has the rest of that rule).
    assert decided.json()["followed"] == [{"id": repost["id"], "external_id": "h2", "decision": "approve"}]
    followed = client.get(f"/v1/comments/{repost['id']}", headers=admin).json()
    assert followed["decision"] == "approve" and followed["reasons"][0]["code"] == "followed_original"
    assert _comment(client, admin, "h4", text + "!").json()["decision"] == "reject"
    # The setting can be turned off per site.
    other = "The ferry timetable changed again without notice, and nobody at the port can say why."
    assert client.put("/v1/sites/paper/policy", json=review_all, headers=admin).status_code == 200
    assert _comment(client, admin, "h5", other).json()["decision"] == "review"
    off = {**reject_all, "signals": {"hold_with_original": False}}
    assert client.put("/v1/sites/paper/policy", json=off, headers=admin).status_code == 200
    unheld = _comment(client, admin, "h6", other.upper()).json()
    assert unheld["signals"]["duplicate_of"] == "h5" and unheld["decision"] == "reject"


def test_correction_can_be_accepted(client: TestClient, admin: dict[str, str]) -> None:
    _site(client, admin)
    _article(client, admin, body="The mayor, Jon Smith, opened the bridge on Tuesday.")
    posted = _comment(client, admin, "k1", "It's John Smith, not Jon Smith.")
    assert posted.json()["signals"]["correction"]["proposed"] == "John Smith"
    [correction] = client.get("/v1/sites/paper/corrections", headers=admin).json()
    assert client.post(f"/v1/corrections/{correction['id']}:accept", headers=admin).status_code == 200
    assert client.get("/v1/sites/paper/corrections", headers=admin).json() == []
    assert client.get("/v1/sites/paper/corrections?status=accepted", headers=admin).json()[0]["resolved_by"]


def test_language_the_policy_cannot_judge_goes_to_review(client: TestClient, admin: dict[str, str]) -> None:
    _site(client, admin)
    _article(client, admin)
    posted = _comment(client, admin, "sw1", "Habari za asubuhi, makala nzuri sana", language="sw")
    assert posted.status_code == 201
    assert posted.json()["decision"] == "review"
    assert "unsupported_language" in [r["code"] for r in posted.json()["reasons"]]


def test_nul_characters_are_stored_safely(client: TestClient, admin: dict[str, str]) -> None:
    _site(client, admin)
    _article(client, admin)
    posted = _comment(client, admin, "nul", "before\x00after, a quiet remark")
    assert posted.status_code == 201, posted.text
    assert posted.json()["text"] == "before\ufffdafter, a quiet remark"
