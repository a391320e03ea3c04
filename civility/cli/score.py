"""`civility score`: score text from the command line, one text or JSONL on stdin."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from civility.cli.settings import load_settings
from civility.errors import CivilityError
from civility.scoring.types import PRODUCTION_ATTRIBUTES
from civility.services.analyze import AnalyzeRequest, AttributeRequest, analyze
from civility.services.context import build_services


def score(
    text: str = typer.Argument(..., help="The text to score, or - to read JSONL ({\"text\": …} per line) from stdin."),
    attribute: list[str] = typer.Option(list(PRODUCTION_ATTRIBUTES), "--attribute", "-a", help="Repeatable."),
    language: list[str] = typer.Option([], "--language", "-l", help="Language(s); detected when omitted."),
    spans: bool = typer.Option(False, "--spans", help="Also print per-sentence span scores."),
) -> None:
    """Print attribute scores for TEXT as a table, or turn JSONL on stdin into JSONL with scores.

    Example: civility score "you are an idiot"    |    cat comments.jsonl | civility score - > scored.jsonl
    """
    # An in-memory database: scoring from the command line leaves nothing behind.
    services = build_services(load_settings(database_url="sqlite://"))
    wanted = [AttributeRequest(name.upper()) for name in attribute]
    if text == "-":
        _score_stream(services, wanted, language)
        return
    try:
        result = analyze(services, _request(text, wanted, language, spans))
    except CivilityError as error:
        typer.echo(f"error: {error.error_type}: {error.message}", err=True)
        raise typer.Exit(2) from None
    table = Table("attribute", "score", "model", title=f"languages: {', '.join(result.languages)}")
    for key, value in result.scores.items():
        table.add_row(key, f"{value.value:.3f}", value.model)
    console = Console()
    console.print(table)
    if spans:
        for key, value in result.scores.items():
            for span in value.spans:
                console.print(f"{key:16} {span.score:.3f}  {text[span.begin:span.end]!r}", markup=False)


def _request(text: str, wanted: list[AttributeRequest], language: list[str], spans: bool) -> AnalyzeRequest:
    return AnalyzeRequest(text=text, attributes=wanted, languages=tuple(language), span_annotations=spans, do_not_store=True)


def _score_stream(services: Any, wanted: list[AttributeRequest], language: list[str]) -> None:
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        out: dict[str, Any]
        record: dict[str, Any] = {"line": number}
        try:
            item = json.loads(line)
            record = item if isinstance(item, dict) else {"text": item}
            result = analyze(services, _request(str(record.get("text", "")), wanted, language, False))
            out = {**record, "scores": {k: round(v.value, 6) for k, v in result.scores.items()}}
            out["languages"] = list(result.languages)
            out["models"] = result.models
        except ValueError as exc:
            out = {"line": number, "error": {"errorType": "INVALID_JSON", "message": str(exc)[:200]}}
        except CivilityError as error:
            out = {**record, "error": {"errorType": error.error_type, "message": error.message}}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
