"""The reference news page, split the way its README describes: article lines 1–25, comments from line 26."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_0145efe51955eadc.txt"


@dataclass(frozen=True)
class SeedPage:
    article: str
    comments: tuple[str, ...]  # comment 4 keeps its three paragraphs, joined by newlines


@pytest.fixture(scope="session")
def seed_page() -> SeedPage:
    if not SEED.is_file():
        pytest.skip(f"reference page not found at {SEED} (the shared/ checkout sits beside the repository)")
    lines = SEED.read_text(encoding="utf-8").split("\n")
    comments = (lines[25], lines[26], lines[27], "\n".join(lines[28:31]))
    return SeedPage("\n".join(lines[:25]), comments)
