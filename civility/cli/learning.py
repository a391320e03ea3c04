"""`civility export-decisions` and `civility calibrate`: moderators' decisions as data, and thresholds fitted to them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from civility.cli.settings import load_settings
from civility.errors import CivilityError
from civility.moderation.types import Action
from civility.services.context import build_services
from civility.services.learning import calibrate_site, export_decisions


def export(
    site: str = typer.Option(None, "--site", help="Only this site's decisions."),
    output: Path = typer.Option(None, "--output", "-o", help="Write JSONL here instead of stdout."),
) -> None:
    """Write every moderated comment as JSONL: text, the moderator's action (the label) and the scores it had.

    Example: civility export-decisions --site demo -o decisions.jsonl
    """
    services = build_services(load_settings())
    try:
        rows = export_decisions(services, site)
    except CivilityError as error:
        typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(2) from None
    handle = output.open("w", encoding="utf-8") if output else sys.stdout
    for row in rows:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    if output:
        handle.close()
        typer.echo(f"{len(rows)} decisions written to {output}", err=True)


def calibrate(
    site: str = typer.Option(..., "--site", help="The site whose moderators' decisions set the thresholds."),
    reject_precision: float = typer.Option(0.95, help="Share of auto-rejected comments moderators must have rejected."),
    review_precision: float = typer.Option(0.5, help="Share of queued comments moderators must not have approved."),
    apply: bool = typer.Option(False, "--apply", help="Save the fitted thresholds into the site's policy."),
) -> None:
    """Fit the site's attribute thresholds to its moderators' past decisions and report agreement before/after.

    Example: civility calibrate --site demo --reject-precision 0.95 --apply
    """
    services = build_services(load_settings())
    try:
        fitted = calibrate_site(services, site, {Action.REJECT: reject_precision, Action.REVIEW: review_precision}, apply)
    except (CivilityError, ValueError) as error:
        typer.echo(f"error: {getattr(error, 'message', error)}", err=True)
        raise typer.Exit(2) from None
    result = fitted.result
    table = Table("attribute", "action", "before", "after", "precision", title=f"site {site}: {result.n} moderator decisions")
    for rule in fitted.after.rules:
        old = fitted.before.threshold(rule.attribute, rule.action)
        precision = result.precision.get(rule.attribute, {}).get(rule.action)
        table.add_row(
            rule.attribute, rule.action.value, "-" if old is None else f"{old:.2f}", f"{rule.threshold:.2f}",
            "-" if precision is None else f"{precision:.2f}",
        )
    console = Console(width=120)
    console.print(table)
    console.print(f"agreement with moderators: before {result.agreement_before:.3f}, after {result.agreement_after:.3f}")
    console.print("saved to the site's policy" if fitted.applied else "not saved (use --apply)")
