"""Languages beyond English: identification, per-script normalisation, the de/tr/ar/ru models, honest coverage.

Uses the committed models in models/ (never retrains)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from civility.api.perspective.discovery import COVERAGE_FIELD, discovery_document
from civility.config import PROJECT_ROOT
from civility.scoring.artifact import load_scorer
from civility.scoring.registry import ModelRegistry
from civility.services.context import Services
from civility.services.keys import create_key
from civility.text.language import LanguageDetector, letter_evidence, strip_noise
from civility.text.normalize import normalize
from civility.text.normalize_lang import arabizi_to_arabic, is_arabizi, normalize_for, turkish_lower

ANALYZE = "/v1alpha1/comments:analyze"
MODELS = PROJECT_ROOT / "models"

# (language, offensive, neutral) — an obvious case each model must rank the right way round.
EXAMPLES = [
    ("de", "Du bist ein widerliches dummes Arschloch, halt die Fresse!", "Vielen Dank für den interessanten Artikel."),
    ("tr", "Siktir git orospu çocuğu, seni aşağılık pislik", "Bu güzel haber için teşekkürler, iyi günler dilerim"),
    ("ar", "انت حمار وكلب وابن كلب يا حقير", "شكرا على هذا المقال الجميل والمفيد"),
    ("ru", "Иди нахуй, тупая сука, ублюдок", "Спасибо за интересную статью, хорошего дня"),
]


# ----------------------------------------------------------------------------------------- language detection


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Das ist wirklich eine sehr gute Nachricht für unsere Stadt.", "de"),
        ("Bu haber gerçekten çok güzel, teşekkürler.", "tr"),
        ("هذا خبر جميل جدا شكرا لكم", "ar"),
        ("и кавказ пусть тоже забирают", "ru"),  # py3langid alone says Ukrainian
        ("сука оголодавшая", "ru"),
        ("Բարև ձեզ, շատ լավ հոդված է", "hy"),
        ("Bu xəbər çox maraqlıdır, təşəkkür edirəm", "az"),
    ],
)
def test_detects_the_languages_of_the_comment_sections(detector: LanguageDetector, text: str, language: str) -> None:
    assert detector.detect(text).languages[0] == language


def test_detected_languages_are_ranked_by_likelihood(detector: LanguageDetector) -> None:
    detection = detector.detect("Das ist doch Unsinn, what a stupid idea, echt jetzt")
    shares = [share for _, share in detection.ranked]
    assert shares == sorted(shares, reverse=True)
    assert detection.languages[0] in ("de", "en") and len(detection.languages) >= 2


def test_no_language_signal_fails_detection(detector: LanguageDetector) -> None:
    for text in ("😂😂😂", "12345 !!!", "@USER 👍", "https://example.com/x", "[id123|Андрей],"):
        assert detector.detect(text).languages == (), text
    # Too unreliable without a preferred language; with one, that language is the answer.
    assert detector.detect("Mimimimi").languages == ()
    assert detector.detect("Mimimimi", prefer="de").languages[0] == "de"


def test_noise_and_letter_evidence() -> None:
    assert strip_noise("@anna #Merkel https://t.co/x ok").split() == ["Merkel", "ok"]
    ranked = letter_evidence("привет", [("uk", 0.55), ("ru", 0.45)])
    assert ranked[0][0] == "ru"
    ranked = letter_evidence("привіт", [("uk", 0.45), ("ru", 0.55)])
    assert ranked[0][0] == "uk"
    assert letter_evidence("xəbər", [("tr", 0.6), ("az", 0.4)])[0][0] == "az"


# ------------------------------------------------------------------------------------------------ normalisation


def test_english_input_is_the_shared_normalisation() -> None:
    for text in ("F.U.C.K you", "Frаnçоis", "stuuuupid"):
        assert normalize_for("en", text) == normalize(text).lower() == normalize_for(None, text)


def test_turkish_dotted_and_dotless_i_and_missing_diacritics_meet() -> None:
    assert turkish_lower("İSTANBUL IŞIK") == "istanbul ışık"
    assert normalize_for("tr", "SİKTİR git, ALLAH belanı versin") == normalize_for("tr", "siktir git, allah belani versin")
    assert normalize_for("tr", "Aptal mısın? Şerefsiz çocuğu") == normalize_for("tr", "aptal misin? serefsiz cocugu")


def test_russian_homoglyphs_and_latin_transliteration_fold_to_cyrillic() -> None:
    assert normalize_for("ru", "пидapacы") == normalize_for("ru", "пидарасы")  # Latin a, p, c inside
    assert normalize_for("ru", "xyйня") == normalize_for("ru", "хуйня")
    assert normalize_for("ru", "3ачем 6лядь") == "зачем блядь"
    assert normalize_for("ru", "idi nahui, suka") == normalize_for("ru", "иди нахуй, сука")
    assert normalize_for("ru", "Ёжик") == "ежик"


def test_arabic_letter_variants_tatweel_diacritics_and_arabizi() -> None:
    assert normalize_for("ar", "أنت إلى آخر مكتبة على") == normalize_for("ar", "انت الي اخر مكتبه علي")
    assert normalize_for("ar", "مـــرحـــبـــا بِكُمْ") == "مرحبا بكم"
    assert is_arabizi("7abibi enta kalb") and not is_arabizi("@USER انت كلب")
    assert arabizi_to_arabic("3arab") == "عرب"
    assert arabizi_to_arabic("7abibi") == "حبيبي"
    assert normalize_for("ar", "ana kalb") == normalize_for("ar", "انا كلب")


def test_german_sharp_s() -> None:
    assert normalize_for("de", "Scheiße") == normalize_for("de", "Scheisse") == "scheisse"


def test_unknown_normaliser_is_an_error() -> None:
    with pytest.raises(ValueError):
        normalize_for("xx", "text")


# ------------------------------------------------------------------------------------------------------ models


@pytest.mark.parametrize(("language", "offensive", "neutral"), EXAMPLES)
def test_each_language_model_ranks_offensive_above_neutral(language: str, offensive: str, neutral: str) -> None:
    folder = MODELS / f"linear-{language}-1"
    scorer = load_scorer(folder)
    assert scorer.info.languages == (language,)
    assert folder.joinpath("linear_weights.npz").stat().st_size < 20_000_000
    column = scorer.info.attributes.index("TOXICITY")
    bad, good = scorer.predict_proba([offensive, neutral])[:, column]
    assert bad > good and bad > 0.5 > good, (bad, good)


def test_each_language_model_names_its_normaliser() -> None:
    for language in ("de", "tr", "ar", "ru"):
        assert load_scorer(MODELS / f"linear-{language}-1").normalizer == language  # type: ignore[attr-defined]
    assert load_scorer(MODELS / "linear-en-1").normalizer is None  # type: ignore[attr-defined]


def test_coverage_is_what_the_data_labels(registry: ModelRegistry) -> None:
    coverage = registry.coverage()
    assert {"de", "tr", "ar", "ru", "en"} <= set(coverage["TOXICITY"])
    assert {"de", "en"} == set(coverage["INSULT"]) == set(coverage["PROFANITY"])
    assert {"ar", "de", "en"} == set(coverage["IDENTITY_ATTACK"])
    assert set(coverage["THREAT"]) == set(coverage["SEVERE_TOXICITY"]) == {"en"}


# --------------------------------------------------------------------------------------------------------- API


def _analyze(client: TestClient, key: str, **payload: Any) -> Any:
    return client.post(f"{ANALYZE}?key={key}", json=payload)


def test_german_comment_gets_insult_and_profanity(client: TestClient, api_key: str) -> None:
    response = _analyze(
        client,
        api_key,
        comment={"text": "Du bist ein widerliches dummes Arschloch, halt die Fresse!"},
        requestedAttributes={"TOXICITY": {}, "INSULT": {}, "PROFANITY": {}},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["languages"] == ["de"] and body["detectedLanguages"][0] == "de"
    assert set(body["attributeScores"]) == {"TOXICITY", "INSULT", "PROFANITY"}
    assert body["attributeScores"]["TOXICITY"]["summaryScore"]["value"] > 0.5


def test_turkish_insult_is_not_supported_and_can_be_dropped(client: TestClient, api_key: str) -> None:
    text = "Siktir git orospu çocuğu, seni aşağılık pislik"
    refused = _analyze(client, api_key, comment={"text": text}, requestedAttributes={"TOXICITY": {}, "INSULT": {}})
    assert refused.status_code == 400
    assert refused.json()["error"]["details"][0]["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    dropped = _analyze(
        client,
        api_key,
        comment={"text": text},
        requestedAttributes={"TOXICITY": {}, "INSULT": {}},
        dropUnsupportedAttributes=True,
    )
    assert dropped.status_code == 200, dropped.text
    body = dropped.json()
    assert body["languages"] == ["tr"] and set(body["attributeScores"]) == {"TOXICITY"}
    assert body["attributeScores"]["TOXICITY"]["summaryScore"]["value"] > 0.5


def test_emoji_only_comment_without_languages_fails_detection(client: TestClient, api_key: str) -> None:
    response = _analyze(client, api_key, comment={"text": "😂😂😂 👍"}, requestedAttributes={"TOXICITY": {}})
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["errorType"] == "LANGUAGE_DETECTION_FAILED"
    given = _analyze(client, api_key, comment={"text": "😂😂😂 👍"}, requestedAttributes={"TOXICITY": {}}, languages=["en"])
    assert given.status_code == 200


def test_armenian_comment_goes_to_review_with_its_language(client: TestClient, services: Services) -> None:
    admin = {"authorization": "Bearer " + create_key(services.sessions, "admin", ("admin",)).key}
    assert client.put("/v1/sites/paper", json={"name": "The Paper"}, headers=admin).status_code in (200, 201)
    article = client.put("/v1/sites/paper/articles/story", json={"title": "Story", "body": "Local news."}, headers=admin)
    assert article.status_code in (200, 201)
    posted = client.post(
        "/v1/sites/paper/articles/story/comments",
        json={"id": "hy1", "text": "Բարև ձեզ, շատ լավ հոդված է, շնորհակալություն"},
        headers=admin,
    )
    assert posted.status_code == 201, posted.text
    body = posted.json()
    assert body["decision"] == "review"
    assert "unsupported_language" in [reason["code"] for reason in body["reasons"]]
    assert body["detected_languages"][0] == "hy"
    russian = client.post(
        "/v1/sites/paper/articles/story/comments",
        json={"id": "ru1", "text": "Спасибо за интересную статью, хорошего дня"},
        headers=admin,
    )
    assert russian.status_code == 201 and russian.json()["language"] == "ru"
    assert "unsupported_language" not in [reason["code"] for reason in russian.json()["reasons"]]


def test_discovery_document_carries_the_coverage(registry: ModelRegistry) -> None:
    document = discovery_document("http://localhost/", "1", coverage=registry.coverage())
    coverage = document[COVERAGE_FIELD]
    assert "tr" in coverage["TOXICITY"] and "tr" not in coverage["INSULT"]
    assert coverage["INSULT"] == ["de", "en"]
    assert COVERAGE_FIELD not in discovery_document("http://localhost/", "1")
