"""Language identification and language-tag handling.

Uses py3langid, whose model ships inside its wheel (nothing is downloaded). Short comments are often ambiguous
between related languages, so a caller may name a preferred language (the site's or the deployment's default): when
it is a close contender, it is ranked first instead of a narrow winner.
"""

from __future__ import annotations

from dataclasses import dataclass

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Languages a news comment section plausibly holds; restricting the candidates makes short texts far more reliable.
CANDIDATE_LANGUAGES: tuple[str, ...] = (
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "pl", "cs", "ru", "uk", "tr", "az", "hy", "ka", "ar", "fa",
    "he", "el", "hi", "id", "zh", "ja", "ko",
)  # fmt: skip


def normalize_tag(tag: str) -> str:
    """BCP-47 tag → the primary language subtag we key models by ("en-US" → "en", "hi-Latn" stays)."""
    tag = tag.strip().replace("_", "-")
    if not tag:
        return tag
    parts = tag.split("-")
    primary = parts[0].lower()
    if len(parts) > 1 and len(parts[1]) == 4:
        return f"{primary}-{parts[1].title()}"
    return primary


@dataclass(frozen=True)
class Detection:
    """Languages ranked by likelihood; empty when the text holds no letters to judge by."""

    ranked: tuple[tuple[str, float], ...]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang, _ in self.ranked)


class LanguageDetector:
    """Holds the loaded identifier (about half a second to load: build once per process)."""

    def __init__(self, candidates: tuple[str, ...] = CANDIDATE_LANGUAGES, keep: int = 3, min_share: float = 0.05):
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._identifier.set_languages(list(candidates))
        self._keep = keep
        self._min_share = min_share

    def detect(self, text: str, prefer: str | None = None) -> Detection:
        if not any(ch.isalpha() for ch in text):
            return Detection(())
        ranked = [(lang, float(p)) for lang, p in self._identifier.rank(text)[: self._keep + 2]]
        if prefer:
            ranked = _prefer(ranked, prefer)
        kept = [item for item in ranked if item[1] >= self._min_share][: self._keep]
        return Detection(tuple(kept or ranked[:1]))


def _prefer(ranked: list[tuple[str, float]], prefer: str, close: float = 0.25) -> list[tuple[str, float]]:
    """Rank ``prefer`` first when its probability is at least ``close`` and the winner is not confident."""
    top_lang, top_p = ranked[0]
    if top_lang == prefer or top_p >= 0.8:
        return ranked
    for lang, p in ranked[1:]:
        if lang == prefer and p >= close:
            return [(lang, p)] + [item for item in ranked if item[0] != lang]
    return ranked
