"""Domain values of scoring: frozen, free of I/O, shared by the API, the services and moderation."""

from __future__ import annotations

from dataclasses import dataclass, field

PRODUCTION_ATTRIBUTES: tuple[str, ...] = (
    "TOXICITY",
    "SEVERE_TOXICITY",
    "IDENTITY_ATTACK",
    "INSULT",
    "PROFANITY",
    "THREAT",
)
EXTRA_ATTRIBUTES: tuple[str, ...] = ("SEXUALLY_EXPLICIT", "SPAM")
KNOWN_ATTRIBUTES: tuple[str, ...] = PRODUCTION_ATTRIBUTES + EXTRA_ATTRIBUTES


@dataclass(frozen=True)
class ModelInfo:
    """What an artifact's manifest says about the model inside it."""

    name: str
    version: int
    kind: str
    languages: tuple[str, ...]
    attributes: tuple[str, ...]
    # A candidate answers only requests that pin its version; unpinned requests keep the newest released model
    # (manifest ``"status": "candidate"``), so a model can be committed and tried before it serves by default.
    candidate: bool = False
    # The rule set of civility.text.normalize the model was trained with (manifest ``"normalizer_rules"``; absent:
    # 1, the rules before sets were numbered). Its scorer normalises with the same rules, so a version's scores do
    # not move when the normaliser improves; a better normaliser reaches clients in a new version.
    normalizer_rules: int = 1

    @property
    def label(self) -> str:
        """The name a response carries so that scores can be traced to the exact model: ``linear-en@1``."""
        return f"{self.name}@{self.version}"


@dataclass(frozen=True)
class SpanScore:
    """A score for ``text[begin:end]`` (code-point indices into the original text, end exclusive)."""

    begin: int
    end: int
    score: float


@dataclass(frozen=True)
class AttributeScore:
    attribute: str
    value: float
    model: str
    spans: tuple[SpanScore, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Scores:
    """All attribute scores of one text, with the languages they were judged in."""

    attributes: dict[str, AttributeScore]
    languages: tuple[str, ...]
    detected_languages: tuple[str, ...]
