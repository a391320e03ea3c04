"""Score one comment: the use case behind Perspective's comments:analyze and the native score endpoint."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from civility import errors
from civility.scoring.registry import Resolved
from civility.scoring.spans import clause_spans, sentence_spans, word_spans
from civility.scoring.types import AttributeScore, SpanScore
from civility.services.context import Services
from civility.storage import analyzed as comment_store
from civility.text.language import normalize_tag

# Every attribute name Perspective has published. A known name we hold no model for is "not supported in this
# language" (droppable with dropUnsupportedAttributes); any other name is an unknown attribute.
PERSPECTIVE_ATTRIBUTES = frozenset(
    """TOXICITY SEVERE_TOXICITY IDENTITY_ATTACK INSULT PROFANITY THREAT SEXUALLY_EXPLICIT FLIRTATION SPAM
    TOXICITY_EXPERIMENTAL SEVERE_TOXICITY_EXPERIMENTAL IDENTITY_ATTACK_EXPERIMENTAL INSULT_EXPERIMENTAL
    PROFANITY_EXPERIMENTAL THREAT_EXPERIMENTAL TOXICITY_FAST ATTACK_ON_AUTHOR ATTACK_ON_COMMENTER ATTACK_ON_PUBLISHER
    INCOHERENT INFLAMMATORY LIKELY_TO_REJECT OBSCENE UNSUBSTANTIAL OFF_TOPIC AFFINITY_EXPERIMENTAL
    COMPASSION_EXPERIMENTAL CURIOSITY_EXPERIMENTAL NUANCE_EXPERIMENTAL PERSONAL_STORY_EXPERIMENTAL
    REASONING_EXPERIMENTAL RESPECT_EXPERIMENTAL""".split()
)
_PIN = re.compile(r"^([A-Z_]+)(?:@(\d+))?$")
SUPPORTED_SCORE_TYPES = frozenset({"", "PROBABILITY", "SCORE_TYPE_UNSPECIFIED"})


@dataclass(frozen=True)
class AttributeRequest:
    """One entry of requestedAttributes: ``key`` as the client wrote it (``TOXICITY`` or ``TOXICITY@1``)."""

    key: str
    score_type: str = ""
    score_threshold: float | None = None


@dataclass(frozen=True)
class AnalyzeRequest:
    text: str
    attributes: Sequence[AttributeRequest]
    languages: Sequence[str] = ()
    span_annotations: bool = False
    word_spans: bool = False
    clause_spans: bool = False
    do_not_store: bool = False
    drop_unsupported: bool = False
    client_token: str | None = None
    session_id: str | None = None
    community_id: str | None = None
    context: dict[str, Any] | None = None


@dataclass(frozen=True)
class AnalyzeResult:
    scores: dict[str, AttributeScore]
    languages: tuple[str, ...]
    detected_languages: tuple[str, ...]
    client_token: str | None = None
    models: dict[str, str] = field(default_factory=dict)


def check_text(services: Services, text: str) -> None:
    if not text or not text.strip():
        raise errors.comment_empty()
    if len(text.encode("utf-8", "surrogatepass")) > services.settings.max_comment_bytes:
        raise errors.comment_too_long(services.settings.max_comment_bytes)


def parse_pin(key: str) -> tuple[str, int | None]:
    match = _PIN.match(key.strip().upper())
    if not match:
        raise errors.unknown_attribute(key)
    name, version = match.group(1), match.group(2)
    if name not in PERSPECTIVE_ATTRIBUTES:
        raise errors.unknown_attribute(key)
    return name, int(version) if version else None


def resolve_languages(services: Services, text: str, requested: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(effective languages, detected languages). Detection always runs, as Perspective reports it too."""
    detection = services.detector.detect(text, prefer=services.settings.default_languages[0])
    detected = detection.languages
    languages = tuple(dict.fromkeys(normalize_tag(lang) for lang in requested if lang.strip()))
    if not languages:
        if not detected:
            raise errors.language_detection_failed()
        languages = detected[:1]
    return languages, detected


def analyze(services: Services, request: AnalyzeRequest, api_key_id: int | None = None) -> AnalyzeResult:
    check_text(services, request.text)
    if not request.attributes:
        raise errors.no_requested_attributes()
    languages, detected = resolve_languages(services, request.text, request.languages)

    chosen: dict[str, tuple[AttributeRequest, Resolved]] = {}
    for wanted in request.attributes:
        name, version = parse_pin(wanted.key)
        if wanted.score_type.upper() not in SUPPORTED_SCORE_TYPES:
            raise errors.invalid_request(f"Requested score type {wanted.score_type} is not supported by attribute {name}")
        resolved = _resolve(services, name, version, languages)
        if resolved is None:
            if version is not None and not _exists_elsewhere(services, name, version):
                raise errors.unknown_attribute(wanted.key)
            if request.drop_unsupported:
                continue
            raise errors.language_not_supported(wanted.key, list(request.languages), list(detected or languages))
        chosen[wanted.key] = (wanted, resolved)

    scores = _score(services, request, chosen)
    result = AnalyzeResult(
        scores=scores,
        languages=languages,
        detected_languages=detected,
        client_token=request.client_token,
        models={key: score.model for key, score in scores.items()},
    )
    if not request.do_not_store and services.settings.store_requests:
        _store(services, request, result, api_key_id)
    return result


def _resolve(services: Services, name: str, version: int | None, languages: Sequence[str]) -> Resolved | None:
    for language in languages:
        resolved = services.registry.resolve(name, language, version)
        if resolved is not None:
            return resolved
    return None


def _exists_elsewhere(services: Services, name: str, version: int) -> bool:
    return any(version in versions for versions in services.registry.coverage().get(name, {}).values())


def _score(
    services: Services, request: AnalyzeRequest, chosen: dict[str, tuple[AttributeRequest, Resolved]]
) -> dict[str, AttributeScore]:
    by_scorer: dict[int, list[tuple[str, AttributeRequest, Resolved]]] = {}
    for key, (wanted, resolved) in chosen.items():
        by_scorer.setdefault(id(resolved.scorer), []).append((key, wanted, resolved))
    out: dict[str, AttributeScore] = {}
    for group in by_scorer.values():
        scorer = group[0][2].scorer
        label = scorer.info.label
        with services.metrics.inference.labels(label).time():
            summary = scorer.predict_proba([request.text])[0]
        services.metrics.batch_size.labels(label).observe(1)
        spans: dict[int, list[SpanScore]] = {}
        if request.span_annotations:
            columns = sorted({resolved.column for _, _, resolved in group})
            with services.metrics.inference.labels(label).time():
                spans = sentence_spans(scorer, request.text, columns, services.settings.span_max_sentences)
                if request.clause_spans:
                    for column, extra in clause_spans(scorer, request.text, columns).items():
                        spans[column] = sorted(spans[column] + extra, key=lambda span: (span.begin, span.end))
                if request.word_spans:
                    for column, extra in word_spans(scorer, request.text, columns, services.settings.span_max_sentences).items():
                        spans[column] = sorted(spans[column] + extra, key=lambda span: (span.begin, span.end))
        for key, wanted, resolved in group:
            value = float(summary[resolved.column])
            threshold = wanted.score_threshold
            if threshold is not None and value < threshold:
                continue
            kept = tuple(
                span for span in spans.get(resolved.column, []) if threshold is None or span.score >= threshold
            )
            out[key] = AttributeScore(_attribute_name(key), value, scorer.info.label, kept)
    return out


def _attribute_name(key: str) -> str:
    return key.split("@", 1)[0].strip().upper()


def _store(
    services: Services,
    request: AnalyzeRequest,
    result: AnalyzeResult,
    api_key_id: int | None,
) -> None:
    with services.sessions.begin() as session:
        comment_store.insert_analyzed(
            session,
            api_key_id=api_key_id,
            text=request.text,
            languages=list(result.languages),
            scores={key: score.value for key, score in result.scores.items()},
            models=dict(result.models),
            client_token=request.client_token,
            session_id=request.session_id,
            community_id=request.community_id,
        )
