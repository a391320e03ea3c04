"""Reader corrections: a comment saying the article got a name, number or spelling wrong, tied to the article passage.

A correction is only reported when the phrase the reader calls wrong (or a close variant of it) occurs in the article:
without that anchor, "X, not Y" is far more often rhetoric ("terrorists, not freedom fighters") than a correction,
and an editor cannot act on it anyway. Contrast phrasings ("X, not Y", "X rather than Y") additionally need X and Y
to be of a kind: spellings of each other, both numbers, or both names. A "correction:" or "typo:" marker relaxes that
check, because the reader has said what they mean.
"""

from __future__ import annotations

import itertools
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property, lru_cache

from civility.moderation.types import Correction
from civility.text import patterns
from civility.text.segment import sentences

_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "“": '"', "”": '"'})
# RE2 (linear time), with Python's classes and case-folding (civility.text.patterns).
_WORD = patterns.compile(f"[{patterns.ALNUM}]+(?:['’][{patterns.ALNUM}]+)*")
_CLAUSE_END = patterns.compile("[.!?;:…\n,]")
_SPACES = f"[{patterns.SPACE}]*"
_MARKER = patterns.compile(
    f"(?:^|[.!?\n]{_SPACES})(?:{'|'.join(patterns.caseless(w + ' ') for w in ('small', 'minor', 'quick'))})?"
    f"(?:{'|'.join(patterns.caseless(w) for w in ('correction', 'typo', 'erratum', 'fyi'))}"
    f"|{patterns.caseless('fact')} ?{patterns.caseless('check')}){_SPACES}[:\\-–—]"
)
_ARROW = patterns.compile(f"{_SPACES}(?:->|→|=>){_SPACES}")

_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being am it its it's this
    that these those there here he she they we you i me him her them us my your his their our who whom which what when
    where why how not no nor so too very just only also even once ever never always again still yet then than more most
    much many some any all both each few other such own same s t do does did done have has had will would can could
    should must may might shall up down out off over under about into onto upon one two""".split()
)
_COPULAS = frozenset("is was are were it's its that's thats be been called named".split())
_AUXILIARIES = frozenset(
    "do does did is are was were will would can could should must have has had may might shall am be been being "
    "why if or whether it's that's".split()
)
_DETERMINERS = frozenset("the a an this that these those my your his her their our its some any".split())
_STOP_RIGHT = frozenset("who which that as when where because but and while since".split())
_MAX_WORDS = 6
_MAX_CANDIDATES = 20
# Bounds on the work one comment can cause: the article text looked at (a long feature is some 60,000 characters),
# and the article passages compared with a phrase in the close (misspelt) search, over all of a comment's phrasings.
MAX_ARTICLE_CHARS = 100_000
MAX_CLOSE_WINDOWS = 40_000


@dataclass
class _Budget:
    windows: int = MAX_CLOSE_WINDOWS


@dataclass(frozen=True)
class _Token:
    begin: int
    end: int
    text: str
    folded: str


@dataclass(frozen=True)
class _Folded:
    """Accent- and case-folded text; ``origin[i]`` is the index in the source of folded character ``i``."""

    text: str
    origin: tuple[int, ...]
    _windows: dict[int, tuple[tuple[int, int, str], ...]] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def words(self) -> tuple[patterns.Match, ...]:
        return tuple(_WORD.finditer(self.text))

    def windows(self, n: int) -> tuple[tuple[int, int, str], ...]:
        """(begin, end, text) of every run of ``n`` words, the words joined by one space; computed once per ``n``."""
        if n not in self._windows:
            words = self.words
            self._windows[n] = tuple(
                (words[k].start(), words[k + n - 1].end(), " ".join(m.group() for m in words[k : k + n]))
                for k in range(len(words) - n + 1)
            )
        return self._windows[n]

    def source_span(self, begin: int, end: int) -> tuple[int, int]:
        return self.origin[begin], self.origin[end - 1] + 1


def _fold_text(text: str) -> str:
    return _fold(text).text


def _fold(text: str) -> _Folded:
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text.translate(_QUOTES)):
        for part in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(part):
                continue
            for folded in part.casefold():
                chars.append(folded)
                origin.append(index)
    return _Folded("".join(chars), tuple(origin))


@dataclass(frozen=True)
class _Candidate:
    """One phrasing found in the comment: the words that may hold Y (the wrong phrase) and X (the fix).

    ``wrong`` may run past Y ("not Francois Macron in his speech"), so its prefixes (or, for words before "should
    be", its suffixes) are tried against the article, longest first.
    """

    wrong: tuple[_Token, ...]
    proposed: tuple[_Token, ...]
    wrong_from: str  # "prefix" or "suffix"
    kind: str  # "contrast", "should_be", "spelled", "arrow"


def find_correction(comment: str, article: str) -> Correction | None:
    """The first reader correction in ``comment`` that points at a phrase of ``article``, or None."""
    article = article[:MAX_ARTICLE_CHARS]
    if not comment.strip() or not article.strip():
        return None
    tokens = [_Token(m.start(), m.end(), m.group(), _fold_text(m.group())) for m in _WORD.finditer(comment)]
    folded_article = _fold(article)
    budget = _Budget()
    marked = _MARKER.search(comment) is not None
    seen: set[tuple[tuple[str, ...], tuple[str, ...], str]] = set()
    for candidate in _candidates(comment, tokens):
        key = (tuple(t.folded for t in candidate.wrong), tuple(t.folded for t in candidate.proposed), candidate.kind)
        if key in seen:
            continue
        seen.add(key)
        if len(seen) > _MAX_CANDIDATES:  # bounds the work a long comment full of "not" can cause
            break
        found = _locate_candidate(candidate, folded_article, budget)
        if found is None:
            continue
        wrong, (begin, end) = found
        if _acceptable(candidate.kind, wrong, candidate.proposed, comment, article[begin:end], marked):
            return _correction(comment, article, wrong, candidate.proposed, begin, end)
    if marked:
        return _marker_only(comment, tokens, article, folded_article, budget)
    return None


# --- candidate phrasings -------------------------------------------------------------------------------------------


def _candidates(comment: str, tokens: list[_Token]) -> Iterator[_Candidate]:
    """Every phrasing that may state a correction, in the order they occur (arrows last), lazily."""
    clause_ends = [m.end() for m in _CLAUSE_END.finditer(comment)]
    for i, token in enumerate(tokens):
        out: list[_Candidate] = []
        word = token.folded
        nxt = tokens[i + 1].folded if i + 1 < len(tokens) else ""
        if word == "not":
            out += _not_candidates(comment, clause_ends, tokens, i)
        elif (word, nxt) in {("rather", "than"), ("instead", "of")}:
            left = _left(clause_ends, tokens, i)
            right = _right(comment, tokens, i + 2)
            if left and right:
                out.append(_Candidate(right, _proposed_from_left(left, right), "prefix", "contrast"))
        elif word == "should" and nxt in {"be", "read", "say"}:
            left = _left(clause_ends, tokens, i)
            right = _right(comment, tokens, i + 2)
            if left and right:
                out.append(_Candidate(left, right, "suffix", "should_be"))
        elif word in {"spelled", "spelt"} and i > 0 and tokens[i - 1].folded in {"is", "are", "was"}:
            left = _left(clause_ends, tokens, i - 1)
            right = _right(comment, tokens, i + 1)
            if left and right:
                out.append(_Candidate(left, right, "suffix", "spelled"))
        yield from (c for c in out if c.wrong and c.proposed)
    begins = [t.begin for t in tokens]
    for arrow in _ARROW.finditer(comment):
        i = bisect_left(begins, arrow.end())
        left = _left(clause_ends, tokens, i, stop=arrow.start())
        right = _right(comment, tokens, i)
        if left and right:
            yield _Candidate(left, right, "suffix", "arrow")


def _not_candidates(comment: str, clause_ends: list[int], tokens: list[_Token], i: int) -> list[_Candidate]:
    before = tokens[i - 1].folded if i > 0 else ""
    if before in _AUXILIARIES:
        return []  # verbal negation: "they did not", "it is not"
    right = _right(comment, tokens, i + 1, stop_words=_STOP_RIGHT - {"but"})
    buts = [k for k, t in enumerate(right) if t.folded == "but"]
    if buts:  # "not Y but X"
        wrong, proposed = right[: buts[0]], right[buts[0] + 1 :]
        return [_Candidate(tuple(wrong), tuple(proposed), "prefix", "contrast")] if wrong and proposed else []
    left = _left(clause_ends, tokens, i - 1 if before in {"and", "but"} else i)
    if not left or not right:
        return []
    return [_Candidate(right, _proposed_from_left(left, right), "prefix", "contrast")]


def _left(clause_ends: list[int], tokens: list[_Token], i: int, stop: int | None = None) -> tuple[_Token, ...]:
    """Tokens before index ``i`` back to the start of the clause (a comma right before ``i`` does not end it)."""
    end = tokens[i - 1].end if i > 0 else 0
    if stop is not None:
        end = min(end, stop)
    k = bisect_right(clause_ends, end) - 1
    boundary = clause_ends[k] if k >= 0 else 0
    return tuple(t for t in tokens[max(0, i - 12) : i] if boundary <= t.begin and t.end <= end)


def _right(
    comment: str, tokens: list[_Token], i: int, stop_words: frozenset[str] = _STOP_RIGHT
) -> tuple[_Token, ...]:
    """Tokens from index ``i`` to the end of the clause or a relative word ("who", "which"), at most a few words."""
    if i >= len(tokens):
        return ()
    start = tokens[i].begin
    stops = _clause_stops(comment)
    k = bisect_left(stops, start)
    end = stops[k] if k < len(stops) else len(comment)
    out = []
    for token in itertools.islice(tokens, i, None):
        if token.begin >= end or token.folded in stop_words or len(out) >= _MAX_WORDS + 3:
            break
        out.append(token)
    return tuple(out)


@lru_cache(maxsize=16)
def _clause_stops(comment: str) -> list[int]:
    """Where each clause-ending character of ``comment`` is, in order (computed once per comment)."""
    return [m.start() for m in _CLAUSE_END.finditer(comment)]


def _proposed_from_left(left: tuple[_Token, ...], wrong: tuple[_Token, ...]) -> tuple[_Token, ...]:
    """The reader's fix X, read off the words before "not Y".

    A number when Y is one ("53 Syrian men, not 52"); the trailing run of capitalised words when Y is a name
    ("reached in Geneva rather than Moscow"); else what follows the last copula ("the president is X"); else as many
    words as Y has.
    """
    if _numeric(wrong):
        numbers = [t for t in left if _numeric((t,))]
        if numbers:
            return (numbers[-1],)
    if _name_like(" ".join(t.text for t in wrong)) and not _name_like(" ".join(t.text for t in left)):
        run: list[_Token] = []
        for token in reversed(left):
            if not (token.text[0].isupper() or token.text[0].isdigit()) or token.folded in _COPULAS:
                break
            run.insert(0, token)
        if run:
            return tuple(run[-_MAX_WORDS:])
    wrong_words = len(wrong)
    copulas = [k for k, t in enumerate(left) if t.folded in _COPULAS]
    if copulas and len(left) - copulas[-1] - 1 <= _MAX_WORDS:
        return left[copulas[-1] + 1 :]
    return left[-min(wrong_words, _MAX_WORDS) :]


# --- anchoring in the article --------------------------------------------------------------------------------------


def _locate_candidate(
    candidate: _Candidate, article: _Folded, budget: _Budget
) -> tuple[tuple[_Token, ...], tuple[int, int]] | None:
    """The longest prefix (or suffix) of the "wrong" phrase found in the article, exactly or as a close variant."""
    words = candidate.wrong[:_MAX_WORDS] if candidate.wrong_from == "prefix" else candidate.wrong[-_MAX_WORDS:]
    options = [
        words[:n] if candidate.wrong_from == "prefix" else words[len(words) - n :] for n in range(len(words), 0, -1)
    ]
    for phrase in (o for o in options if _contentful(o)):
        span = _find_exact([t.folded for t in phrase], article)
        if span is None and len(phrase) > 1:
            span = _find_close(" ".join(t.folded for t in phrase), len(phrase), article, budget)
        if span is None and len(phrase) == 1 and len(words) == 1:
            span = _find_close(phrase[0].folded, 1, article, budget)
        if span is not None:
            return phrase, span
    return None


def _find_exact(words: list[str], article: _Folded) -> tuple[int, int] | None:
    """The first place the article has ``words`` as whole words, separated by anything but word characters."""
    if not all(w in article.text for w in words):
        return None  # cheaper than compiling the pattern, and the usual answer
    found = _phrase_pattern(tuple(words)).search(article.text)
    return article.source_span(*found) if found else None


@lru_cache(maxsize=64)
def _phrase_pattern(words: tuple[str, ...]) -> patterns.WholeWords:
    return patterns.WholeWords(f"[^{patterns.WORD}]+".join(patterns.escape(w) for w in words))


def _find_close(
    phrase: str, n_words: int, article: _Folded, budget: _Budget, cutoff: float = 0.85
) -> tuple[int, int] | None:
    """The article's n-word window most similar to ``phrase`` (accent- and case-folded), if at least ``cutoff``;
    each window compared counts against ``budget``, and none is compared once it is spent."""
    if len(phrase) < 5 or budget.windows <= 0:
        return None
    best: tuple[float, int, int] | None = None
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(phrase)
    for begin, end, text in article.windows(n_words):
        if 2 * min(len(text), len(phrase)) < cutoff * (len(text) + len(phrase)):
            continue  # lengths alone rule it out
        budget.windows -= 1
        if budget.windows < 0:
            break
        matcher.set_seq1(text)
        if matcher.quick_ratio() < cutoff:
            continue
        ratio = matcher.ratio()
        if ratio >= cutoff and (best is None or ratio > best[0]):
            best = (ratio, begin, end)
    return article.source_span(best[1], best[2]) if best else None


# --- is it a correction? -------------------------------------------------------------------------------------------


def _contentful(tokens: tuple[_Token, ...]) -> bool:
    return any(t.folded not in _STOP and (len(t.folded) > 1 or t.folded.isdigit()) for t in tokens)


def _acceptable(
    kind: str,
    wrong: tuple[_Token, ...],
    proposed: tuple[_Token, ...],
    comment: str,
    article_phrase: str,
    marked: bool,
) -> bool:
    if not _contentful(proposed) or len(proposed) > _MAX_WORDS:
        return False
    wrong_text = " ".join(t.text for t in wrong)
    proposed_text = " ".join(t.text for t in proposed)
    if proposed_text == wrong_text or proposed_text == article_phrase:
        return False
    if marked or kind in {"spelled", "arrow"}:
        return True
    if _similar(wrong, proposed) or (_numeric(wrong) and _numeric(proposed)):
        return True
    if kind == "should_be":
        return False  # "they should be punished": only spelling and number fixes count without a marker
    return _name_like(article_phrase) and _name_like_in_comment(proposed, comment)


def _similar(a: tuple[_Token, ...], b: tuple[_Token, ...]) -> bool:
    """Spellings of each other, or sharing a content word ("Emmanuel Macron" / "François Macron")."""
    words_a = {t.folded for t in a if t.folded not in _STOP}
    words_b = {t.folded for t in b if t.folded not in _STOP}
    if not words_a or not words_b:
        return False
    if words_a & words_b:
        return True
    if any(SequenceMatcher(None, x, y).ratio() >= 0.75 for x in words_a for y in words_b if len(x) > 3 < len(y)):
        return True
    return SequenceMatcher(None, " ".join(sorted(words_a)), " ".join(sorted(words_b))).ratio() >= 0.75


def _numeric(tokens: tuple[_Token, ...]) -> bool:
    return any(any(ch.isdigit() for ch in t.text) for t in tokens)


def _name_like(phrase: str) -> bool:
    content = [w for w in _WORD.findall(phrase) if _fold_text(w) not in _STOP]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content)


def _name_like_in_comment(tokens: tuple[_Token, ...], comment: str) -> bool:
    """Capitalised like a name; in a comment written all in one case, any short phrase without a determiner."""
    if tokens[0].folded in _DETERMINERS:
        return False
    letters = [ch for ch in comment if ch.isalpha()]
    single_case = all(ch.isupper() for ch in letters) or all(ch.islower() for ch in letters)
    if single_case:
        return len(tokens) <= 4
    return _name_like(" ".join(t.text for t in tokens))


# --- building the result -------------------------------------------------------------------------------------------


def _correction(
    comment: str,
    article: str,
    wrong: tuple[_Token, ...],
    proposed: tuple[_Token, ...],
    begin: int,
    end: int,
) -> Correction:
    spans = [(t.begin, t.end) for t in (*wrong, *proposed)]
    comment_begin, comment_end = min(b for b, _ in spans), max(e for _, e in spans)
    wrong_text = comment[wrong[0].begin : wrong[-1].end]
    proposed_text = comment[proposed[0].begin : proposed[-1].end]
    return _build(article, wrong_text, proposed_text, begin, end, comment_begin, comment_end)


def _build(
    article: str, wrong: str, proposed: str, begin: int, end: int, comment_begin: int, comment_end: int
) -> Correction:
    sentence = next((s for s in sentences(article) if s.begin <= begin < s.end), None)
    sentence_begin, sentence_end = (sentence.begin, max(sentence.end, end)) if sentence else (begin, end)
    return Correction(
        wrong=wrong,
        proposed=proposed,
        article_passage=article[sentence_begin:sentence_end],
        passage_begin=begin,
        passage_end=end,
        comment_begin=comment_begin,
        comment_end=comment_end,
        sentence_begin=sentence_begin,
        sentence_end=sentence_end,
    )


def _marker_only(
    comment: str, tokens: list[_Token], article: str, folded_article: _Folded, budget: _Budget
) -> Correction | None:
    """"Typo: Shoigu" — the fix alone, anchored to a close but different spelling in the article."""
    marker = _MARKER.search(comment)
    assert marker is not None
    body = _right(comment, tokens, next((k for k, t in enumerate(tokens) if t.begin >= marker.end()), len(tokens)))
    body = _proposed_from_left(body, ()) if any(t.folded in _COPULAS for t in body) else body
    if not body or len(body) > 4 or not _contentful(body):
        return None
    span = _find_close(" ".join(t.folded for t in body), len(body), folded_article, budget, cutoff=0.75)
    if span is None:
        return None
    begin, end = span
    proposed = comment[body[0].begin : body[-1].end]
    if _fold_text(article[begin:end]) == _fold_text(proposed) and article[begin:end] == proposed:
        return None
    return _build(article, article[begin:end], proposed, begin, end, body[0].begin, body[-1].end)
