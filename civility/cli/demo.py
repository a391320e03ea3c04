"""`civility demo`: load the reference page through the native API, as a publisher's integration would."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import typer
from fastapi import FastAPI

from civility.config import PROJECT_ROOT

REFERENCE_PAGE = PROJECT_ROOT / "examples" / "reference-page.json"


async def _load(client: httpx.AsyncClient, page: dict[str, Any], key: str) -> list[dict[str, Any]]:
    headers = {"authorization": f"Bearer {key}"}
    site, article = page["site"], page["article"]
    response = await client.put(f"/v1/sites/{site['slug']}", json={"name": site["name"]}, headers=headers)
    response.raise_for_status()
    body = {k: article[k] for k in ("title", "body", "summary", "url") if k in article}
    response = await client.put(f"/v1/sites/{site['slug']}/articles/{article['slug']}", json=body, headers=headers)
    response.raise_for_status()
    results = []
    for comment in page["comments"]:
        response = await client.post(f"/v1/sites/{site['slug']}/articles/{article['slug']}/comments", json=comment, headers=headers)
        response.raise_for_status()
        results.append(response.json())
    return results


def load_into_app(app: FastAPI, key: str, path: Path = REFERENCE_PAGE) -> list[dict[str, Any]]:
    """Post the page to ``app`` in-process (its lifespan must be running or its state set)."""
    page = json.loads(path.read_text(encoding="utf-8"))

    async def run() -> list[dict[str, Any]]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://civility.local") as client:
            return await _load(client, page, key)

    return asyncio.run(run())


def demo(
    url: str = typer.Option("http://127.0.0.1:8080", help="A running Civility server."),
    key: str = typer.Option(..., envvar="CIVILITY_KEY", help="An API key with the admin scope."),
    path: Path = typer.Argument(REFERENCE_PAGE, help="A page as JSON: site, article, comments."),
) -> None:
    """Load a page (by default the reference page) into a running server through its API and print the decisions.

    Example: civility demo --key "$(cat var/local-api-key)"
    """
    page = json.loads(path.read_text(encoding="utf-8"))

    async def run() -> list[dict[str, Any]]:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            return await _load(client, page, key)

    for result in asyncio.run(run()):
        codes = ", ".join(r["code"] for r in result["reasons"]) or "-"
        typer.echo(f"{result['external_id']}: {result['decision']:8} {codes}")
