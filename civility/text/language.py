"""Language identification and language-tag handling.

Uses py3langid, whose model ships inside its wheel (nothing is downloaded). Short comments are often ambiguous
between related languages, so a caller may name a preferred language (the site's or the deployment's default): when
it is a close contender, it is ranked first instead of a narrow winner.

Before the statistical model, noise that carries no language is removed (@-mentions, VK ``[id123|Name]`` mentions,
URLs, e-mail addresses, ``#`` of hashtags). After it, a few letters that only one of two close languages writes
settle the pairs py3langid confuses on short texts (see :data:`LETTER_EVIDENCE`): measured on the non-English rows
of shared/data, this took accuracy on comments under 40 characters from 96.7% to the figure in docs/languages.md.

Detection fails (an empty :class:`Detection`, which the API turns into LANGUAGE_DETECTION_FAILED when the request
named no language) when nothing with letters is left, or when no language reaches ``min_confidence`` and the caller
gave no preferred language to fall back on.
"""

from __future__ import annotations

from dataclasses import dataclass

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from civility.text.noise import strip_noise

# Languages a news comment section plausibly holds; restricting the candidates makes short texts far more reliable.
CANDIDATE_LANGUAGES: tuple[str, ...] = (
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "pl", "cs", "ru", "uk", "tr", "az", "hy", "ka", "ar", "fa",
    "he", "el", "hi", "id", "zh", "ja", "ko",
)  # fmt: skip


# (language, letters only it writes among the candidates, rival, factor): when the text holds letters of ``language``'s
# script but none of ``letters``, the rival that would write them is multiplied by ``factor`` — and when it does hold
# them, ``language`` is (by ``STRONG``). Ukrainian writes і ї є ґ in almost every sentence and never ы э ъ ё;
# Azerbaijani writes ə; Persian writes پ چ ژ گ ک ی where Arabic writes neither.
LETTER_EVIDENCE: tuple[tuple[str, str, str, str], ...] = (
    # (language, its own letters, rival, rival's own letters)
    ("ru", "ыэъё", "uk", "іїєґ"),
    ("tr", "", "az", "əƏ"),
    ("ar", "ةى", "fa", "پچژگکی"),
)
WEAK = 0.2  # the rival's own letters are absent: possible on a short text, but much less likely
STRONG = 0.01  # the other language's own letters are present

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

    def __init__(
        self,
        candidates: tuple[str, ...] = CANDIDATE_LANGUAGES,
        keep: int = 3,
        min_share: float = 0.05,
        min_confidence: float = 0.15,
    ):
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._identifier.set_languages(list(candidates))
        self._keep = keep
        self._min_share = min_share
        self._min_confidence = min_confidence

    def detect(self, text: str, prefer: str | None = None) -> Detection:
        """Languages of ``text``, most likely first (at most ``keep``, each with at least ``min_share``).

        Empty when the text has no letters once mentions and URLs are removed, or when even the best language is
        below ``min_confidence`` (near-uniform: "@user 👍", "xxxl") and no ``prefer`` is given; with ``prefer``, such
        a text is ranked with the preferred language first.
        """
        cleaned = strip_noise(text)
        if not any(ch.isalpha() for ch in cleaned):
            return Detection(())
        ranked = letter_evidence(cleaned, [(lang, float(p)) for lang, p in self._identifier.rank(cleaned)])
        if ranked[0][1] < self._min_confidence:
            if not prefer:
                return Detection(())
            share = dict(ranked).get(prefer, 0.0)
            ranked = [(prefer, share)] + [item for item in ranked if item[0] != prefer]
        elif prefer:
            ranked = _prefer(ranked, prefer)
        kept = [item for item in ranked if item[1] >= self._min_share][: self._keep]
        return Detection(tuple(kept or ranked[:1]))


def letter_evidence(text: str, ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Re-weigh close pairs by letters only one of them writes (:data:`LETTER_EVIDENCE`), then renormalise."""
    letters = set(text.lower())
    weights = dict(ranked)
    for language, own, rival, rival_own in LETTER_EVIDENCE:
        if language not in weights or rival not in weights:
            continue
        if letters & set(rival_own):
            weights[language] *= STRONG if not letters & set(own) else 1.0
        else:
            weights[rival] *= STRONG if letters & set(own) else WEAK
    total = sum(weights.values()) or 1.0
    return sorted(((lang, p / total) for lang, p in weights.items()), key=lambda item: -item[1])


def _prefer(ranked: list[tuple[str, float]], prefer: str, close: float = 0.25) -> list[tuple[str, float]]:
    """Rank ``prefer`` first when its probability is at least ``close`` and the winner is not confident."""
    top_lang, top_p = ranked[0]
    if top_lang == prefer or top_p >= 0.8:
        return ranked
    for lang, p in ranked[1:]:
        if lang == prefer and p >= close:
            return [(lang, p)] + [item for item in ranked if item[0] != lang]
    return ranked
