"""Moderators' decisions become labelled data, and a site's thresholds are fitted to them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from civility.cli import app
from civility.config import Settings
from civility.moderation.types import Action
from civility.services import review, sites
from civility.services.context import Services
from civility.services.learning import calibrate_site, export_decisions
from civility.services.moderate import CommentIn, moderate_comment

TOXIC = ["You are a pathetic idiot", "Shut up you moron", "What a stupid worthless clown", "You absolute fool, get lost",
         "Idiotic garbage from an idiot", "You dumb loser", "Only a moron would write this", "Stupid, stupid idiot"]
FINE = ["Thanks for the report", "The bridge opens on Monday", "I disagree with the council's budget",
        "Good interview with the mayor", "Where can I read the full plan?", "Well written and clear",
        "The photos are great", "I hope the school gets the funding"]


def _seed(services: Services) -> None:
    sites.put_site(services, "paper", "Paper", sites.parse_policy({"rules": [{"attribute": "INSULT", "threshold": 0.0, "action": "review"}]}))
    sites.put_article(services, "paper", "story", "Story", "Body", [], None, None, None)
    for n, text in enumerate(TOXIC + FINE):
        outcome = moderate_comment(services, "paper", "story", CommentIn(f"c{n}", text))
        action = Action.REJECT if text in TOXIC else Action.APPROVE
        review.record_decision(services, outcome.comment_id, action, "manual", "alice")


def test_export_decisions_gives_labels_and_scores(services: Services) -> None:
    _seed(services)
    rows = export_decisions(services, "paper")
    assert len(rows) == len(TOXIC) + len(FINE)
    labels = {row["text"]: row["label"] for row in rows}
    assert labels["You dumb loser"] == "reject" and labels["The photos are great"] == "approve"
    assert all(set(row["scores"]) >= {"TOXICITY", "INSULT"} and row["moderator"] == "alice" for row in rows)


def test_calibration_learns_thresholds_that_agree_with_moderators(services: Services) -> None:
    _seed(services)
    fitted = calibrate_site(services, "paper", apply=True)
    assert fitted.result.n == 16
    assert fitted.result.agreement_after > fitted.result.agreement_before
    stored = sites.get_site(services, "paper").policy
    assert stored == fitted.after


def test_cli_export_and_calibrate(services: Services, settings: Settings, tmp_path: Path) -> None:
    _seed(services)
    env = {"CIVILITY_DATABASE_URL": settings.database_url}
    runner = CliRunner()
    out = tmp_path / "decisions.jsonl"
    exported = runner.invoke(app, ["export-decisions", "--site", "paper", "-o", str(out)], env=env)
    assert exported.exit_code == 0, exported.output
    assert len([json.loads(line) for line in out.read_text().splitlines()]) == 16
    report = runner.invoke(app, ["calibrate", "--site", "paper"], env=env)
    assert report.exit_code == 0, report.output
    assert "agreement with moderators: before" in report.stdout and "not saved" in report.stdout
    missing = runner.invoke(app, ["calibrate", "--site", "nowhere"], env=env)
    assert missing.exit_code == 2
