"""Jinja2 rendering (autoescaped: comment text is hostile) and the helpers templates use: highlighted segments,
score formatting, page context."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from civility import __version__, errors
from civility.services.sites import list_sites
from civility.services.tenancy import EVERY_SITE, Principal
from civility.services.users import WebSessionInfo
from civility.web.security import can, optional_user, services_of

TEMPLATES = Path(__file__).parent / "templates"
HIGHLIGHT_MIN = 0.5  # sentence spans scoring at least this are highlighted even when no rule fired on them


@dataclass(frozen=True)
class Segment:
    text: str
    level: int  # 0 plain, 1..3 increasingly strong highlight
    title: str = ""
    correction: bool = False


def segments(text: str, spans: Iterable[tuple[int, int, float, str]], correction: tuple[int, int] | None = None) -> list[Segment]:
    """Split ``text`` at span boundaries (code-point offsets, end exclusive) into segments that templates escape.

    Each segment carries the strongest score covering it and the labels of the spans that did, so overlapping
    spans of several attributes render as one highlight with a combined title.
    """
    n = len(text)
    clean = [(max(0, min(b, n)), max(0, min(e, n)), s, label) for b, e, s, label in spans]
    clean = [c for c in clean if c[1] > c[0]]
    marks = [(max(0, min(correction[0], n)), max(0, min(correction[1], n)))] if correction else []
    cuts = sorted({0, n, *[c[0] for c in clean], *[c[1] for c in clean], *[m for pair in marks for m in pair]})
    out: list[Segment] = []
    for begin, end in zip(cuts, cuts[1:]):
        covering = [c for c in clean if c[0] <= begin and end <= c[1]]
        score = max((c[2] for c in covering), default=0.0)
        labels: dict[str, float] = {}
        for c in covering:
            labels[c[3]] = max(labels.get(c[3], 0.0), c[2])
        title = " · ".join(f"{k} {v:.2f}" for k, v in sorted(labels.items(), key=lambda kv: -kv[1]))
        level = 0 if not covering else 3 if score >= 0.85 else 2 if score >= 0.7 else 1
        in_correction = any(m[0] <= begin and end <= m[1] for m in marks)
        out.append(Segment(text[begin:end], level, title, in_correction))
    return out or [Segment(text, 0)]


def comment_segments(outcome: Any) -> list[Segment]:
    """Highlights for a moderated comment: the spans its policy reasons cite, and sentences scoring ≥ HIGHLIGHT_MIN."""
    spans: list[tuple[int, int, float, str]] = []
    for decision in outcome.history:
        if decision.get("source") != "policy":
            continue
        for reason in decision.get("reasons") or []:
            label = reason.get("attribute") or reason.get("code") or ""
            for s in reason.get("spans") or []:
                spans.append((int(s["begin"]), int(s["end"]), float(s.get("score") or 0.0), str(label)))
    for name, score in outcome.scores.items():
        for s in score.spans:
            if s.score >= HIGHLIGHT_MIN:
                spans.append((s.begin, s.end, s.score, name))
    correction = (outcome.signals or {}).get("correction")
    mark = (int(correction["comment_begin"]), int(correction["comment_end"])) if correction else None
    return segments(outcome.text, spans, mark)


def score_class(value: float | None) -> str:
    if value is None:
        return "s-none"
    return "s-high" if value >= 0.85 else "s-mid" if value >= 0.6 else "s-low" if value >= 0.3 else "s-min"


def when(moment: datetime | str | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def http_url(url: str | None) -> str | None:
    """Only http(s) links are rendered as links: never ``javascript:`` or ``data:``."""
    return url if url and url.strip().lower().startswith(("http://", "https://")) else None


def query(base: dict[str, Any], **changes: Any) -> str:
    merged = {**base, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "", False)})


_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=True,  # every {{ }} is HTML-escaped; nothing in the templates marks user data safe
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals.update(http_url=http_url, score_class=score_class, when=when, query=query, version=__version__, can=can)
_env.filters["when"] = when


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    user: WebSessionInfo | None = context.pop("user", None) or optional_user(request)
    sites = list_sites(services_of(request), user.user.principal) if user else []
    site = context.pop("site", None)
    context.setdefault("title", "Sign in")
    page = _env.get_template(template).render(
        request=request, user=user, csrf=user.csrf_token if user else "", sites=sites, site=site,
        path=request.url.path, **context,
    )
    return HTMLResponse(page, status_code=status_code)


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status, title=title, message=message, status=status)


def principal_of(request: Request) -> Principal:
    """The signed-in user's principal: the sites they may reach (every site when they are bound to none)."""
    user = optional_user(request)
    return user.user.principal if user is not None else EVERY_SITE


def pick_site(request: Request) -> str | None:
    """The site the page is about: ``?site=``, else the first site the user reaches (None when there are none yet).
    A ``?site=`` the user cannot reach is a 404, whether the site is another tenant's or does not exist."""
    wanted = request.query_params.get("site")
    slugs = [s.slug for s in list_sites(services_of(request), principal_of(request))]
    if wanted in slugs:
        return wanted
    if wanted:
        raise errors.not_found(f"Site '{wanted[:100]}' not found.")
    return slugs[0] if slugs else None
