"""No reader's text can make the service work for long: every pattern and text function, and every public entry
point, takes time linear in the text on adversarial input up to the size limit (20,480 UTF-8 bytes).

Each check times the full size and a quarter of it (best of a few runs): linear work grows about 4 times, quadratic
16 and cubic 64, so a bound of 8 catches both without flaking on a busy machine; times too small to matter (under a
floor) pass, and an absolute ceiling catches what is slow at any size. The slow signals of posting a comment
(correction matching, off-topic, duplicates) are also checked not to hold up another site's comment.
"""

from __future__ import annotations

import ast
import hashlib
import hmac
import json
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import re2
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from civility.cli import app as cli
from civility.config import PROJECT_ROOT
from civility.moderation import corrections, duplicates, offtopic, policy
from civility.moderation.corrections import find_correction
from civility.moderation.duplicates import DuplicateIndex, canonical
from civility.moderation.offtopic import content_words, off_topic_score
from civility.moderation.policy import TermLists
from civility.scoring import terms
from civility.scoring.linear import FeatureConfig, Featurizer
from civility.scoring.terms import TermMatcher
from civility.services import analyze as analyze_service
from civility.services import users as users_service
from civility.services.context import Services
from civility.services.keys import create_key
from civility.services.moderate import CommentIn, moderate_comment
from civility.services.sites import put_article, put_site
from civility.text import language, noise, normalize, normalize_lang, patterns, segment
from civility.text.language import LanguageDetector, strip_noise
from civility.text.normalize import normalize as normalize_text
from civility.text.normalize import normalize_with_offsets
from civility.text.normalize_lang import normalize_for
from civility.text.segment import clauses, sentences, words

LIMIT = 20_480  # bytes: the API's comment limit
GROWTH = 8.0  # full size vs. a quarter: linear ≈ 4, quadratic ≈ 16
FLOOR = 0.1  # seconds: below this at full size, growth is not measured (quadratic patterns took seconds)
CEILING = 5.0  # seconds at full size, whatever the growth

# Characters that patterns on comment text treat specially, and pairs of them.
SPECIALS = list("@.->=*_'’#/:|[],;!?…→·$\"()\n\t ") + ["\u200b", "\u0301"]
UNITS = [
    *SPECIALS,
    *("a" + c for c in SPECIALS),
    "a", "ab", "1", "1a", "a1", "0", "@a", "@a.", "x@", "a@b.", "[id1|", "id1|", "id1|x]", "#a", "#id1|", "a.a.",
    "a_a_", "a a ", "a-b-", "a*", "*a", "a**", ".\"", ". ", "!\n", "http://", "www.", "not ", "rather than ",
    "a -> b ", "a → b ", "a=>", " -> ", "correction: ", ".\n", "é", "д", "а", "aа", "ا", "3a", "7ab", "2'", "ß",
    "İ", "sh", "ab1", "a'", "'a'", "1d10t ", "iii", "aaab", "a b c d ", "f.u.c.k ", "x\u0301",
]  # fmt: skip


def fit(unit: str, size: int) -> str:
    """``unit`` repeated to ``size`` UTF-8 bytes (cut on a character boundary)."""
    repeated = unit * (size // max(1, len(unit.encode())) + 1)
    return repeated.encode()[:size].decode("utf-8", "ignore")


def random_token(size: int) -> str:
    """One long token of mixed letters, digits and symbols, no spaces (seeded)."""
    rng = random.Random(size)
    return fit("".join(rng.choice("abcdefghij0134@.-_*'") for _ in range(size)), size)


# A long stretch, then what makes a pattern look back over it ("\\w*\\Z" before a repeated letter took seconds).
HEADS = ["ab", "@", " ", "a."]
TAILS = [" aaa", "@x.y", " a->b", " a.b.c", "#a", " x*y", ".\" x", " [id1|x"]


def tailed(head: str, tail: str) -> Callable[[int], str]:
    return lambda n: fit(head, n - len(tail.encode())) + tail


INPUTS: list[tuple[str, Callable[[int], str]]] = [
    *((repr(u), lambda n, u=u: fit(u, n)) for u in UNITS),
    *((f"{h!r}… + {t!r}", tailed(h, t)) for h in HEADS for t in TAILS),
    ("random token", random_token),
]


Clock = Callable[[], float]


def seconds(function: Callable[[str], Any], text: str, clock: Clock = time.perf_counter) -> float:
    started = clock()
    function(text)
    return clock() - started


def assert_linear(
    function: Callable[[str], Any],
    make: Callable[[int], str],
    label: str,
    floor: float = FLOOR,
    clock: Clock = time.perf_counter,
) -> None:
    """``clock``: ``time.thread_time`` where ``function`` runs in this thread (other processes on a busy machine do not
    count against it); wall time where the work happens elsewhere (the app behind a test client, a subprocess)."""
    full_text, quarter_text = make(LIMIT), make(LIMIT // 4)
    full = seconds(function, full_text, clock)
    assert full < CEILING, f"{label}: {full:.2f}s at {LIMIT} bytes"
    if full < floor:
        return
    full = min(full, *(seconds(function, full_text, clock) for _ in range(2)))
    quarter = min(seconds(function, quarter_text, clock) for _ in range(3))
    assert full <= max(GROWTH * quarter, floor), f"{label}: {quarter:.3f}s at a quarter, {full:.3f}s at full size"


# --- every pattern on user text ------------------------------------------------------------------------------------

TEXT_MODULES = [normalize, language, noise, segment, normalize_lang, corrections, offtopic, duplicates, policy, terms]


_RE2 = type(re2.compile(""))  # searched by byte offset where a module drives the scan itself


def _compiled_patterns() -> list[tuple[str, Any]]:
    found = []
    for module in TEXT_MODULES:
        for name, value in vars(module).items():
            if isinstance(value, (patterns.Pattern, patterns.WholeWords, _RE2)):
                found.append((f"{module.__name__}.{name}", value))
    found.append(("services.analyze._PIN", analyze_service._PIN))  # attribute keys of a request (Python re, anchored)
    found.append(("services.users._USERNAME", users_service._USERNAME))  # sign-in names (Python re, anchored)
    found.append(("policy term", policy._term_pattern("a a")))
    found.append(("policy term", policy._term_pattern("f*ck you")))
    found.append(("correction phrase", corrections._phrase_pattern(("a", "a"))))
    return found


def _run_pattern(pattern: Any) -> Callable[[str], Any]:
    if isinstance(pattern, patterns.WholeWords):
        return lambda text: list(pattern.finditer(text))
    if isinstance(pattern, (patterns.Pattern, _RE2)):
        return lambda text: (list(pattern.finditer(text)), pattern.fullmatch(text))
    return lambda text: (pattern.match(text), pattern.search(text))


def test_every_module_pattern_is_checked() -> None:
    names = {name for name, _ in _compiled_patterns()}
    expected = ("noise._NOISE", "noise._EMAIL_RUN", "normalize._LEET_WORD")
    assert {f"civility.text.{name}" for name in expected} | {"civility.moderation.corrections._ARROW"} <= names


@pytest.mark.parametrize("name,pattern", _compiled_patterns(), ids=[name for name, _ in _compiled_patterns()])
def test_pattern_is_linear(name: str, pattern: Any) -> None:
    run = _run_pattern(pattern)
    for label, make in INPUTS:
        assert_linear(run, make, f"{name} on {label}", clock=time.thread_time)


def test_no_backtracking_engine_on_user_text() -> None:
    """The modules that handle comment and article text use RE2 (civility.text.patterns), never Python's ``re``."""
    root = PROJECT_ROOT / "civility"
    offenders = []
    for folder in ("text", "moderation", "scoring"):
        for path in sorted((root / folder).glob("*.py")):
            if path.name == "patterns.py":  # reads Python's own classes off a constant string, once
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                imported = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                imported += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                if any(name in ("re", "regex") for name in imported):
                    offenders.append(str(path.relative_to(root)))
    assert offenders == []


# --- every text function ---------------------------------------------------------------------------------------------

_TERMS = TermLists(banned=("idiot", "a a", "f*ck"), suspect=("shut up",))
_MATCHER = TermMatcher.from_file(PROJECT_ROOT / "civility" / "scoring" / "identity_terms.txt")
_FEATURES = Featurizer(FeatureConfig())


def _functions(detector: LanguageDetector) -> list[tuple[str, Callable[[str], Any]]]:
    return [
        ("normalize", normalize_text),
        ("normalize rules 1", lambda t: normalize_text(t, 1)),
        ("normalize_with_offsets", normalize_with_offsets),
        *((f"normalize_for {lang}", lambda t, lang=lang: normalize_for(lang, t)) for lang in ("de", "tr", "ru", "ar")),
        ("strip_noise", strip_noise),
        ("detect", lambda t: detector.detect(t)),
        ("sentences", sentences),
        ("clauses", clauses),
        ("words", words),
        ("content_words", content_words),
        ("off_topic_score", lambda t: off_topic_score(t, t)),
        ("canonical", canonical),
        ("duplicate fingerprint", DuplicateIndex().fingerprint),
        ("identity terms", _MATCHER.found),
        ("policy terms", lambda t: policy._term_reasons(t, _TERMS)),
        ("find_correction", lambda t: find_correction(t, t)),
        ("linear features", lambda t: _FEATURES.counts(_FEATURES.prepare([t]))),
    ]


_FUNCTION_NAMES = [name for name, _ in _functions(None)]  # type: ignore[arg-type]


@pytest.mark.parametrize("name", _FUNCTION_NAMES)
def test_text_function_is_linear(detector: LanguageDetector, name: str) -> None:
    function = dict(_functions(detector))[name]
    for label, make in INPUTS:
        assert_linear(function, make, f"{name} on {label}", clock=time.thread_time)


# Where an e-mail address could start but none does, each search of one RE2 pattern read on to the end of the run of
# non-spaces, once per mention, "#" or "id1|" in it: quadratic, yet under the growth bound at 20 KB, as each match's
# fixed cost is still a large share there. So these are timed at an eighth of the size too (linear ≈ 8, quadratic 64;
# the code that read on grew 16 times), in CPU time of this thread, which other processes on the machine do not add to.
_NOISE_RNG = random.Random(23)
NOISE_UNITS = [
    "@@7", "a@b@", "#a@@7", "@|@7", "[id1|@7", "[id1|,", "@a@", "@-@7", "(id1|a@b.c ", "a@b.x(id1|y.c ",
    *("".join(_NOISE_RNG.choice("@@.#[]|,:/id17ax") for _ in range(_NOISE_RNG.randint(2, 6))) for _ in range(12)),
]  # fmt: skip


def cpu_seconds(function: Callable[[str], Any], text: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.thread_time()
        function(text)
        best = min(best, time.thread_time() - started)
    return best


@pytest.mark.parametrize("unit", NOISE_UNITS)
def test_strip_noise_is_linear_where_addresses_could_start(unit: str) -> None:
    full = cpu_seconds(strip_noise, fit(unit, LIMIT), 3)
    eighth = cpu_seconds(strip_noise, fit(unit, LIMIT // 8), 5)
    assert full <= 12 * eighth + 0.002, f"{unit!r}: {eighth:.4f}s at an eighth, {full:.4f}s at full size"


# --- public entry points ---------------------------------------------------------------------------------------------

ENTRY_UNITS = ["@", ".", "-", ">", "=", "*", "_", "'", "#", "/", ":", " ", "\n", "a", "@a.", "x@", "[id1|", "id1|",
               "a -> ", "a.a.", "a_", "not a, ", "correction: a ", "aaab", "1a", "é"]  # fmt: skip
ENTRY_INPUTS: list[tuple[str, Callable[[int], str]]] = [
    *((repr(u), lambda n, u=u: fit(u, n)) for u in ENTRY_UNITS),
    *((f"{h!r}… + {t!r}", tailed(h, t)) for h, t in (("ab", " aaa"), ("ab", " a.b.c"), ("@", "@x.y"), (" ", " a->b"))),
]
ENTRY_FLOOR = 0.5  # a request's fixed costs (models, storage) dominate below this


@pytest.fixture
def admin(services: Services) -> dict[str, str]:
    return {"authorization": "Bearer " + create_key(services.sessions, "admin", ("admin",)).key}


def test_perspective_analyze_is_linear(client: TestClient, api_key: str) -> None:
    statuses = []

    def analyze(text: str, languages: tuple[str, ...]) -> None:
        payload = {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}, "INSULT": {}}, "spanAnnotations": True}
        response = client.post(f"/v1alpha1/comments:analyze?key={api_key}", json={**payload, "languages": list(languages)})
        assert response.status_code < 500, response.text
        statuses.append(response.status_code)

    for label, make in ENTRY_INPUTS:
        for languages in ((), ("en",)):  # detected (every text goes through detection), and named
            run = lambda text, languages=languages: analyze(text, languages)  # noqa: E731
            assert_linear(run, make, f"comments:analyze {languages} on {label}", ENTRY_FLOOR)
    assert statuses.count(200) > len(statuses) // 2  # most were scored, not refused


def test_native_comment_and_coral_phase_are_linear(client: TestClient, admin: dict[str, str]) -> None:
    secret = "coral-secret"
    article = " ".join(fit(u, 2_000) for u in ENTRY_UNITS)
    assert client.put("/v1/sites/paper", json={"name": "Paper", "coral_secret": secret}, headers=admin).status_code in (200, 201)
    response = client.put("/v1/sites/paper/articles/story-1", json={"title": "Story", "body": article}, headers=admin)
    assert response.status_code in (200, 201)
    counter = iter(range(1_000_000))

    def native(text: str) -> None:
        body = {"id": f"c{next(counter)}", "text": text, "author": {"id": "reader"}}
        response = client.post("/v1/sites/paper/articles/story-1/comments", json=body, headers=admin)
        assert response.status_code < 500, response.text

    def coral(text: str) -> None:
        unique = (f"{next(counter)} " + text).encode()[:LIMIT].decode("utf-8", "ignore")  # a repost is answered from storage
        body = json.dumps({
            "action": "NEW", "comment": {"body": unique, "parentID": None},
            "author": {"id": "reader", "role": "COMMENTER"}, "story": {"id": "story-1", "url": "https://p.example/1"},
            "site": {"id": "s"}, "tenantID": "t", "tenantDomain": "p.example",
        }).encode()  # fmt: skip
        signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        headers = {"content-type": "application/json", "x-coral-signature": signature}
        response = client.post("/v1/coral/paper/moderate", content=body, headers=headers)
        assert response.status_code < 500, response.text

    for label, make in ENTRY_INPUTS:
        assert_linear(native, make, f"native comment on {label}", ENTRY_FLOOR)
        assert_linear(coral, make, f"Coral phase on {label}", ENTRY_FLOOR)


BATCH_INPUTS = [item for item in ENTRY_INPUTS if "…" in item[0]]  # a long stretch, then what makes a pattern look back


def test_civility_batch_is_linear(tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    # The English linear model on normalisation rule set 4, the one that reads repeated letters word by word.
    (models / "linear-en-49").symlink_to(PROJECT_ROOT / "models" / "linear-en-49", target_is_directory=True)
    runs = iter(range(1_000))

    def batch(size: int) -> float:
        run = next(runs)
        source, target = tmp_path / f"in-{run}.jsonl", tmp_path / f"out-{run}.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for k, (_, make) in enumerate(BATCH_INPUTS):
                handle.write(json.dumps({"id": f"r{k}", "text": make(size)}) + "\n")
        started = time.perf_counter()
        result = CliRunner().invoke(cli, ["batch", str(source), str(target), "-a", "TOXICITY@49"], env={"CIVILITY_MODELS_DIR": str(models)})
        elapsed = time.perf_counter() - started
        assert result.exit_code == 0, result.output
        return elapsed

    batch(LIMIT // 4)  # warm
    fixed = min(batch(64) for _ in range(2))  # each run starts the command and loads the model
    quarter = min(batch(LIMIT // 4) for _ in range(2)) - fixed
    full = min(batch(LIMIT) for _ in range(2)) - fixed
    assert full < CEILING * 4, full
    assert full <= max(GROWTH * quarter, 0.5), (fixed, quarter, full)


# --- slow signals stay out of the posting lock -----------------------------------------------------------------------

_VOCABULARY = "minister council bridge election budget school river police mayor report transport housing health".split()


def _article(size: int = 160_000) -> str:
    rng = random.Random(1)
    sentences_ = []
    while sum(len(s) + 1 for s in sentences_) < size:
        sentences_.append(" ".join(rng.choice(_VOCABULARY) for _ in range(rng.randint(8, 20))).capitalize() + ".")
    return " ".join(sentences_)[:size]


def _misspelt_contrasts(size: int = 3_000) -> str:
    """"A b, not X Y Z …" over and over, X Y Z misspelt article words: each is looked for, closely, in the article."""
    rng = random.Random(2)
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size:
        wrong = " ".join(w[:-2] + "qz" for w in rng.sample(_VOCABULARY, 6))
        parts.append(f"The {rng.choice(_VOCABULARY)} {rng.choice(_VOCABULARY)}, not {wrong}.")
    return " ".join(parts)[:size]


def test_correction_matching_on_a_long_article_is_bounded() -> None:
    article = _article()
    for comment in (_misspelt_contrasts(), _misspelt_contrasts(LIMIT)):
        started = time.perf_counter()
        find_correction(comment, article)
        assert time.perf_counter() - started < 3.0


def test_a_slow_signal_on_one_site_does_not_hold_up_another(services: Services) -> None:
    put_site(services, "slow", "Slow", None)
    put_site(services, "quick", "Quick", None)
    now = None
    put_article(services, "slow", "long-read", "Long read", _article(), [], None, None, now)
    put_article(services, "quick", "brief", "Brief", "The council met on Tuesday.", [], None, None, now)
    moderate_comment(services, "quick", "brief", CommentIn("warm", "Thanks for the update on the meeting."))
    done = threading.Event()
    errors: list[BaseException] = []

    def slow() -> None:
        try:
            moderate_comment(services, "slow", "long-read", CommentIn("slow-1", _misspelt_contrasts()))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            done.set()

    worker = threading.Thread(target=slow)
    worker.start()
    waits = []
    k = 0
    while not done.is_set() or not waits:
        k += 1
        started = time.perf_counter()
        moderate_comment(services, "quick", "brief", CommentIn(f"q{k}", f"Good point number {k} about the meeting."))
        waits.append(time.perf_counter() - started)
        time.sleep(0.05)
    worker.join()
    assert not errors, errors
    assert max(waits) < 3.0, waits
