"""The quoted-paragraph evaluation: how a comment is quoted after the article, and real models measured on it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from civility.evaluation.padding import NEUTRAL, article_words, measure, quoted, render
from civility.scoring.artifact import load_scorer

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
TOXIC = ["you stupid idiot, get lost", "shut up, you worthless moron", "what a pathetic lying scumbag you are"]
CLEAN = ["thanks for the clear report", "the aid convoy should be allowed through", "I visited Yerevan last spring"]


def test_the_comment_follows_the_quoted_words() -> None:
    article = ["The", "council", "met", "today."]
    assert quoted("fine", article, 0) == "fine"
    assert quoted("fine", article, 2) == "The council\n\nfine"
    assert len(article_words(ROOT / "examples" / "reference-page.json")) >= 250 and len(NEUTRAL.split()) >= 250


def test_a_comment_past_the_reading_limit_is_unseen_and_the_window_reads_it() -> None:
    article = article_words(ROOT / "examples" / "reference-page.json")
    first_256, window = load_scorer(MODELS / "minilm3-en-48"), load_scorer(MODELS / "minilm3-en-64")
    alone, far, neutral_far = measure(
        first_256, TOXIC, CLEAN, {"article": article, "council report": NEUTRAL.split()}, prefixes=(0, 250)
    )  # the comments alone are measured once
    assert (alone.words, far.words, neutral_far.quote) == (0, 250, "council report") and alone.model == "minilm3-en@48"
    column = first_256.info.attributes.index("TOXICITY")
    plain = first_256.predict_proba(TOXIC)[:, column]
    assert alone.caught == (plain >= 0.5).mean()
    # After 250 words the first 256 tokens are the article's alone: every comment scores the same.
    scores = first_256.predict_proba([quoted(t, article, 250) for t in TOXIC + CLEAN])[:, column]
    assert np.ptp(scores) == 0 and far.caught == far.false_alarms
    # The window's last 64 tokens hold the comment itself.
    read = window.predict_proba([quoted(t, article, 250) for t in TOXIC + CLEAN])[:, column]
    assert np.ptp(read) > 0.1
    report = render([alone, far, neutral_far], "cmd", len(TOXIC), len(CLEAN))
    assert "| nothing (the comment alone) | " in report and "| 250 words of the council report | " in report
    assert report.count("nothing (the comment alone)") == 1 and "minilm3-en@48" in report


def test_an_article_shorter_than_the_quote_is_refused() -> None:
    with pytest.raises(ValueError, match="words"):
        measure(load_scorer(MODELS / "linear-en-49"), TOXIC, CLEAN, {"note": ["too", "short"]}, prefixes=(0, 60))
