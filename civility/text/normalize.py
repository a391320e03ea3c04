"""Normalisation that undoes the usual ways of hiding words from a filter, used identically in training and serving.

Handles zero-width and bidi control characters, compatibility forms (NFKC: full-width letters, ligatures), accents and
other combining marks, look-alike letters from another script inside a word (Cyrillic "а" in a Latin word and Latin
"a" in a Cyrillic word), leetspeak digits and symbols inside words, letters spread out by separators ("f.u.c.k",
"k i l l"), and letters repeated for emphasis. Every output character remembers the index of the input character it
came from, so spans found on the normalised text point back into the original.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from civility.text import patterns

_INVISIBLE = frozenset(
    [0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFEFF, 0xFFA0]
    + list(range(0x200B, 0x2010))
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2070))
    + list(range(0xFE00, 0xFE10))
)

# Cyrillic and Greek letters that look like Latin ones, and the reverse map for Cyrillic words.
_TO_LATIN = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y",
    "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P",
    "Τ": "T", "Υ": "Y", "Χ": "X",
}
_TO_CYRILLIC = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "k": "к", "m": "м", "t": "т", "h": "н",
    "b": "в", "A": "А", "E": "Е", "O": "О", "P": "Р", "C": "С", "X": "Х", "K": "К", "M": "М", "T": "Т", "H": "Н",
    "B": "В",
}
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l"}

# Every pattern here is RE2 (civility.text.patterns: linear time); what needs a back-reference or look-around (a
# character repeated, letters spread out), and the whitespace-delimited words, are linear scans below.
# A whole whitespace-delimited word holding at least one leet character.
_LEET_WORD = patterns.compile(f"[^{patterns.SPACE}]*[{patterns.escape(''.join(_LEET))}][^{patterns.SPACE}]*")
_SPREAD_SEPARATORS = " .-_*·"
# Where a spread-out run can start: the word characters of a stretch "w s w s w …" (one separator s throughout).
_SPREAD_ZONE = patterns.compile(
    "|".join(f"[{patterns.WORD}](?:{s}[{patterns.WORD}]){{2,}}" for s in map(patterns.escape, _SPREAD_SEPARATORS))
)
_GREEK_OR_CYRILLIC = patterns.compile(r"[\x{370}-\x{4ff}]")
# Digits that are a number, not letters: three in a row, or two at either end of a word ("1990s", "10am",
# "covid19", "A320"). Two inside letters are leetspeak: "st00pid", "sh00t", "1d10t".
_NUMBER_LIKE = patterns.compile(f"[{patterns.DIGIT}]{{3}}|^[{patterns.DIGIT}]{{2}}|[{patterns.DIGIT}]{{2}}$")
_CAMEL = patterns.compile(r"[a-z][A-Z]")
_NON_ALNUM = patterns.compile(r"[^0-9A-Za-z]+")
_EDGE_PUNCTUATION = ".,;:!?\"'()[]{}«»"


@dataclass(frozen=True)
class Normalized:
    """Normalised text and, for each of its characters, the index of the original character it came from."""

    text: str
    origin: tuple[int, ...]

    def original_span(self, begin: int, end: int) -> tuple[int, int]:
        """Map a span [begin, end) of the normalised text back to the original text."""
        if end <= begin:
            point = self.origin[begin] if begin < len(self.origin) else (self.origin[-1] + 1 if self.origin else 0)
            return point, point
        return self.origin[begin], self.origin[end - 1] + 1


# Rule sets. 4 (current): 3, and the same offensive words settle three readings that were guesses: letters repeated
# three or more times count once or twice, whichever spells such a word ("iiiidiot" is "idiot", "asssss" "ass"; two
# where none does); a word of four or more characters whose leet characters all read as letters is read so if that
# spells such a word, even when digits dominate it ("1d107"); and a spaced-out run that holds several such words is
# read as those words ("a f u c k i n g i d i o t"). 3: 2, and a word masked with asterisks ("st*pid", "f**k") is read
# as the commonest offensive word that fits it letter for letter (``UNMASK_LEXICON``). 2: a mixed-script word goes to
# the script it can be written in, and two digits inside letters are leetspeak. 1: the rules before that (by-majority scripts, no word with two
# digits in a row read as leet), kept because the data sets' hash splits were drawn on text normalised with them and
# must never move (``civility.training.data.text_key``).
RULES = 4
# Words that lean toxic in the training splits, commonest in toxic texts first (civility.training.unmask_lexicon).
UNMASK_LEXICON = Path(__file__).with_name("unmask.tsv")
# A masked word is a whole run of word characters and asterisks that is ASCII letters and asterisks only, starts
# with a letter and holds an asterisk: each such run is one (see _masked_words).
_MASKABLE_RUN = patterns.compile(f"[{patterns.WORD}*]*\\*[{patterns.WORD}*]*")  # a whole run that holds "*"
_MASK_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def normalize(text: str, rules: int = RULES) -> str:
    """The model input for ``text``: the same function in training and serving.

    Every scorer calls this on every comment, so it works on whole strings without the per-character offset
    bookkeeping (several times faster) and shares every rule with ``normalize_with_offsets``, whose ``.text`` it
    equals; the tests check the equality. Script unification only runs where Greek or Cyrillic letters occur, the
    only ones it can change.
    """
    if not text.isascii():
        text = "".join(map(_fold, text))
        if _GREEK_OR_CYRILLIC.search(text):
            text = "".join(_unify_scripts(list(text), [], rules)[0])
    text = _replace(text, _leet_words(text), lambda word: _leet_word(word, rules))
    text = _replace(text, _spread_runs(text), lambda run: _join_run(run, rules))
    if rules >= 3 and "*" in text:
        text = _replace(text, _masked_words(text), _unmask)
    runs = _repeat_runs(text)
    if not runs:  # most comments: nothing to squeeze, and no word-level scan
        return text
    if rules >= 4:
        return _replace(text, _repeated_words(text, runs), _squeeze_word)
    return _replace(text, runs, lambda run: run[:2])


def _replace(text: str, spans: list[tuple[int, int]], rewrite: Callable[[str], str]) -> str:
    """``text`` with each of the (ordered, disjoint) ``spans`` rewritten."""
    if not spans:
        return text
    parts, at = [], 0
    for start, end in spans:
        parts += [text[at:start], rewrite(text[start:end])]
        at = end
    return "".join(parts) + text[at:]


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _tokens(text: str) -> list[tuple[int, int]]:
    """Spans of the whitespace-delimited words (what ``\\S+`` finds): ``str.split`` splits on Python's ``\\s``, and
    each word is found from the end of the one before, across only the whitespace between them."""
    spans, at = [], 0
    for word in text.split():
        at = text.find(word, at)
        spans.append((at, at + len(word)))
        at += len(word)
    return spans


def _leet_words(text: str) -> list[tuple[int, int]]:
    """Spans of the whitespace-delimited words that hold a leet character."""
    return [match.span() for match in _LEET_WORD.finditer(text)]


def _two_digits(word: str) -> bool:
    """Two decimal digits in a row (what ``\\d\\d`` finds)."""
    return any(a.isdecimal() and b.isdecimal() for a, b in zip(word, word[1:]))


def _repeat_runs(text: str) -> list[tuple[int, int]]:
    """Spans of a word character repeated three or more times (what ``(\\w)\\1{2,}`` finds), in one vectorised pass
    over the code points."""
    if len(text) < 3:
        return []
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    same = codes[1:] == codes[:-1]
    if not (same[1:] & same[:-1]).any():  # no character three times in a row: most texts
        return []
    cuts = np.flatnonzero(~same) + 1
    starts, ends = np.r_[0, cuts], np.r_[cuts, len(text)]
    long = ends - starts >= 3
    return [(int(a), int(b)) for a, b in zip(starts[long], ends[long]) if _is_word(text[a])]


def _spread_runs(text: str) -> list[tuple[int, int]]:
    """Spans of single word characters spread out by one kind of separator ("f.u.c.k", "k i l l"), in one pass.

    What ``(?<!\\w)\\w([ .\\-_*·])(?:\\w\\1)+\\w(?!\\w)`` finds, found without back-tracking: from a word character not
    after one, count the (letter, same separator) pairs that follow; the run ends at the last letter not followed by a
    word character, which with a separator that is not itself a word character is the last pair's letter at worst.
    """
    runs: list[tuple[int, int]] = []
    n, at = len(text), 0
    for p in (p for zone in _SPREAD_ZONE.finditer(text) for p in range(zone.start(), zone.end(), 2)):
        # Only a word character of a zone can start a run (a run starts "w s w s w"); zones of one separator do not
        # overlap, and one of another separator can share only a zone's last character, which is a candidate too.
        if p < at or p + 4 >= n or text[p + 1] not in _SPREAD_SEPARATORS or (p and _is_word(text[p - 1])):
            continue
        separator = text[p + 1]
        pairs, q = 0, p + 2
        while q + 1 < n and _is_word(text[q]) and text[q + 1] == separator:
            pairs, q = pairs + 1, q + 2
        if pairs and q < n and _is_word(text[q]) and (q + 1 == n or not _is_word(text[q + 1])):
            runs.append((p, q + 1))
            at = q + 1
        elif pairs >= 2 and not _is_word(separator):
            runs.append((p, q - 1))
            at = q - 1
    return runs


def _masked_words(text: str) -> list[tuple[int, int]]:
    """Spans of masked words: whole runs of word characters and asterisks that are ASCII letters and asterisks, start
    with a letter and hold an asterisk (what ``(?<![\\w*])[A-Za-z][A-Za-z]*\\*[A-Za-z*]*(?![\\w*])`` finds)."""
    return [
        match.span()
        for match in _MASKABLE_RUN.finditer(text)
        if text[match.start()] in _MASK_LETTERS
        and all(ch == "*" or ch in _MASK_LETTERS for ch in text[match.start() : match.end()])
    ]


def normalize_with_offsets(text: str, rules: int = RULES) -> Normalized:
    chars, origin = _decompose(text)
    chars, origin = _unify_scripts(chars, origin, rules)
    chars, origin = _undo_leet(chars, origin, rules)
    chars, origin = _join_spread_letters(chars, origin, rules)
    if rules >= 3:
        chars, origin = _unmask_words(chars, origin)
    chars, origin = _squeeze_repeats(chars, origin, rules)
    return Normalized("".join(chars), tuple(origin))


def _decompose(text: str) -> tuple[list[str], list[int]]:
    """Drop invisible characters and combining marks; apply compatibility forms character by character."""
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        for part in _fold(ch):
            chars.append(part)
            origin.append(index)
    return chars, origin


@lru_cache(maxsize=8192)
def _fold(ch: str) -> str:
    """What one input character becomes: nothing (invisible), itself (ASCII), or its compatibility decomposition
    without combining marks. Cached because a comment repeats few distinct characters."""
    code = ord(ch)
    if code < 0x80:
        return ch
    if code in _INVISIBLE:
        return ""
    return "".join(
        part
        for part in unicodedata.normalize("NFKD", ch)
        if not (unicodedata.combining(part) or unicodedata.category(part) == "Mn" or ord(part) in _INVISIBLE)
    )


def _script(ch: str) -> str:
    if "a" <= ch.lower() <= "z":
        return "latin"
    code = ord(ch)
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if 0x0370 <= code <= 0x03FF:
        return "greek"
    return "other"


def _script_counts(word: str) -> dict[str, int]:
    counts = {"latin": 0, "cyrillic": 0, "greek": 0}
    for ch in word:
        script = _script(ch)
        if script in counts:
            counts[script] += 1
    return counts


def _unify_scripts(chars: list[str], origin: list[int], rules: int = RULES) -> tuple[list[str], list[int]]:
    """Inside each word that mixes scripts, rewrite look-alikes into one script.

    The target is the script the whole word can be written in: "іdіоt" (Cyrillic і and о) can only be Latin, because
    no Cyrillic letter looks like d, and "дурaк" only Cyrillic. Where either would do ("cоре"), the text around
    decides (the letters of its single-script words); where neither would, or the text does not say, the word's own
    majority does.
    """
    text = "".join(chars)
    out = list(chars)
    mixed: list[tuple[int, str, dict[str, int]]] = []
    context = {"latin": 0, "cyrillic": 0}
    for start, end in _tokens(text):
        counts = _script_counts(text[start:end])
        if sum(1 for c in counts.values() if c) < 2:
            context["latin"] += counts["latin"]
            context["cyrillic"] += counts["cyrillic"]
        else:
            mixed.append((start, text[start:end], counts))
    for start, word, counts in mixed:
        to_latin = all(ch in _TO_LATIN for ch in word if _script(ch) in ("cyrillic", "greek"))
        to_cyrillic = not counts["greek"] and all(ch in _TO_CYRILLIC for ch in word if _script(ch) == "latin")
        if rules < 2:
            target = "cyrillic" if counts["cyrillic"] > counts["latin"] else "latin"
        elif to_latin != to_cyrillic:
            target = "latin" if to_latin else "cyrillic"
        elif to_latin and context["latin"] != context["cyrillic"]:
            target = "cyrillic" if context["cyrillic"] > context["latin"] else "latin"
        else:
            target = "cyrillic" if counts["cyrillic"] > counts["latin"] else "latin"
        table = _TO_CYRILLIC if target == "cyrillic" else _TO_LATIN
        for offset, ch in enumerate(word):
            if _script(ch) != target and ch in table:
                out[start + offset] = table[ch]
    return out, origin


def _undo_leet(chars: list[str], origin: list[int], rules: int = RULES) -> tuple[list[str], list[int]]:
    """Read digits and symbols standing for letters inside a word ("b1tch", "h3ll0", "@ss") as those letters."""
    text = "".join(chars)
    out = list(chars)
    for start, end in _leet_words(text):  # a word without a leet character stays as it is
        out[start:end] = _leet_word(text[start:end], rules)
    return out, origin


def _leet_word(word: str, rules: int = RULES) -> str:
    """One whitespace-delimited word with its leet characters read as letters (same length: one for one)."""
    letters = sum(ch.isalpha() for ch in word)
    if "://" in word:
        return word
    if rules >= 4 and letters and (read := _leet_as_lexicon_word(word)) is not None:
        return read
    if letters < 2:
        return word
    core = word.strip(_EDGE_PUNCTUATION)
    if _two_digits(core) and (rules < 2 or _digits_stay_digits(core)):
        return word
    lead = word.find(core) if core else 0
    out = list(word)
    for offset, ch in enumerate(core):
        if ch not in _LEET:
            continue
        before = core[offset - 1] if offset > 0 else ""
        after = core[offset + 1] if offset + 1 < len(core) else ""
        if before.isalpha() or after.isalpha():
            out[lead + offset] = _LEET[ch]
    return "".join(out)


def _leet_as_lexicon_word(word: str) -> str | None:
    """``word`` with every leet character read as its letter, if that makes an offensive word of four or more letters
    (``UNMASK_LEXICON``); else None. "1" may stand for i or l."""
    core = word.strip(_EDGE_PUNCTUATION)
    if len(core) < 4 or not any(ch in _LEET for ch in core):
        return None
    lead = word.find(core)
    options = [(_LEET[ch], "l") if ch == "1" else (_LEET[ch],) if ch in _LEET else (ch,) for ch in core]
    if sum(len(option) > 1 for option in options) > 4:
        return None
    ranks = _lexicon_ranks()
    for letters in itertools.product(*options):
        candidate = "".join(letters)
        if candidate.lower() in ranks:
            return word[:lead] + candidate + word[lead + len(core):]
    return None


def _digits_stay_digits(core: str) -> bool:
    """A word with two digits in a row is a number, a handle, an address or an id unless the digits sit inside
    letters: "8:30pm", "£33bn", "AR-15s", "@Master11_", "#Top10QBs", "hXBcyX97jGM" stay; "st00pid" is read."""
    if any(ch in core for ch in "@#/") or _CAMEL.search(core):
        return True
    return any(_NUMBER_LIKE.search(part) for part in _NON_ALNUM.split(core))


def _spread_cuts(letters: str) -> frozenset[int]:
    """:func:`_cut_spread` for runs that could hold listed words; a longer run is joined whole and never cached (a
    comment of 20 KB must not fill the caches with its words)."""
    return _cut_spread(letters) if 4 <= len(letters) <= 40 else frozenset()


@lru_cache(maxsize=4096)
def _cut_spread(letters: str) -> frozenset[int]:
    """Where a run of spread-out letters holds more than one word (rule set 4): the offsets in ``letters`` at which a
    new word starts. Spacing every letter also spaces the words, so "a f u c k i n g i d i o t" is one run; read as
    an optional single letter, offensive words and an optional single letter, it is "a fucking idiot". Empty (join
    it all) when the run is one such word, or cannot be read so."""
    lower = letters.lower()
    if lower in _lexicon_ranks():
        return frozenset()
    best: tuple[int, list[int]] | None = None
    for lead in (0, 1):
        for trail in (0, 1):
            starts = _lexicon_cover(lower[lead:len(lower) - trail])
            if starts is None or (not lead and not trail and len(starts) < 2):
                continue
            cuts = [lead + start for start in starts] + ([len(lower) - 1] if trail else [])
            if best is None or len(cuts) < best[0]:
                best = (len(cuts), cuts)
    return frozenset(cut for cut in best[1] if cut > 0) if best else frozenset()


def _lexicon_cover(text: str) -> list[int] | None:
    """The fewest offensive words of three or more letters that spell ``text`` exactly: their start offsets."""
    if len(text) < 3:
        return None
    ranks = _lexicon_ranks()
    fewest: list[list[int] | None] = [None] * (len(text) + 1)
    fewest[0] = []
    for end in range(3, len(text) + 1):
        for start in range(0, end - 2):
            before = fewest[start]
            if before is not None and text[start:end] in ranks and (fewest[end] is None or len(before) + 1 < len(fewest[end])):
                fewest[end] = [*before, start]
    return fewest[len(text)]


def _join_run(run: str, rules: int = RULES) -> str:
    """A spread-out run ("k i l l", "f.u.c.k") joined into its word or, with rule set 4, its words."""
    letters = run[::2]
    cuts = _spread_cuts(letters) if rules >= 4 else frozenset()
    return "".join((run[2 * k - 1] if k in cuts else "") + letter for k, letter in enumerate(letters))


def _join_spread_letters(chars: list[str], origin: list[int], rules: int = RULES) -> tuple[list[str], list[int]]:
    """Join single letters spread out by one kind of separator: "f.u.c.k" and "k i l l" become words."""
    text = "".join(chars)
    keep = [True] * len(chars)
    changed = False
    for start, end in _spread_runs(text):
        run = text[start:end]
        cuts = _spread_cuts(run[::2]) if rules >= 4 else frozenset()
        for offset in range(1, len(run), 2):
            keep[start + offset] = (offset + 1) // 2 in cuts
        changed = True
    if not changed:
        return chars, origin
    return [c for c, k in zip(chars, keep) if k], [o for o, k in zip(origin, keep) if k]


@lru_cache(maxsize=1)
def _lexicon_by_length() -> dict[int, tuple[str, ...]]:
    """The unmasking words grouped by length, in the file's order (read once, on the first masked word)."""
    by_length: dict[int, list[str]] = {}
    for line in UNMASK_LEXICON.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word = line.split("\t", 1)[0]
            by_length.setdefault(len(word), []).append(word)
    return {length: tuple(words) for length, words in by_length.items()}


def _unmask(word: str) -> str:
    """:func:`_read_mask` for words no longer than the longest listed word (longer ones fit none, and are not cached)."""
    return _read_mask(word) if len(word) <= _longest_listed() else word


@lru_cache(maxsize=1)
def _longest_listed() -> int:
    return max(_lexicon_by_length(), default=0)


@lru_cache(maxsize=4096)
def _read_mask(word: str) -> str:
    """``word`` with each asterisk replaced by the letter of the first lexicon word that fits (same length, same
    letters where it shows letters); unchanged when none fits. Filled letters follow the word's case."""
    lower = word.lower()
    for candidate in _lexicon_by_length().get(len(word), ()):
        if all(m == "*" or m == c for m, c in zip(lower, candidate)):
            upper = word.isupper() or (sum(ch.isupper() for ch in word) > 1)
            return "".join((c.upper() if upper else c) if m == "*" else m for m, c in zip(word, candidate))
    return word


def _unmask_words(chars: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    """Masked words read letter for letter (one for one, so the origins stay)."""
    text = "".join(chars)
    if "*" not in text:
        return chars, origin
    out = list(chars)
    for start, end in _masked_words(text):
        out[start:end] = _unmask(text[start:end])
    return out, origin


@lru_cache(maxsize=1)
def _lexicon_ranks() -> dict[str, int]:
    """Each unmasking word and its place in the file (commonest in toxic texts first)."""
    lines = UNMASK_LEXICON.read_text(encoding="utf-8").splitlines()
    words = [line.split("\t", 1)[0] for line in lines if line and not line.startswith("#")]
    return {word: rank for rank, word in reversed(list(enumerate(words)))}


def _run_keeps(word: str) -> tuple[int, ...]:
    """For each run of three or more repeated characters in ``word``, how many to keep (rule set 4): one or two each,
    the combination that spells the commonest offensive word, else two each (rule sets 1 to 3 always keep two).
    The answer does not depend on how long each run is, so runs are cut to three before the cached lookup, and a word
    that is longer than any listed word even with every run cut to one is answered without it."""
    runs = _repeat_runs(word)
    if len(_replace(word, runs, lambda run: run[0])) > _longest_listed():
        return (2,) * len(runs)
    return _keeps_for(_replace(word, runs, lambda run: run[:3]))


@lru_cache(maxsize=4096)
def _keeps_for(word: str) -> tuple[int, ...]:
    runs = _repeat_runs(word)
    default = (2,) * len(runs)
    if len(runs) > 4:
        return default
    ranks = _lexicon_ranks()
    best: tuple[int, tuple[int, ...]] | None = None
    for keeps in itertools.product((1, 2), repeat=len(runs)):
        parts, at = [], 0
        for (start, end), keep in zip(runs, keeps):
            parts += [word[at:start], word[start:end][:keep]]
            at = end
        candidate = ("".join(parts) + word[at:]).lower()
        if candidate in ranks and (best is None or ranks[candidate] < best[0]):
            best = (ranks[candidate], keeps)
    return best[1] if best else default


def _repeated_words(text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of the words (runs of \\w) that hold one of ``runs`` (:func:`_repeat_runs`), each once. Each
    character is looked at once: a word reaches back no further than the end of the word before it."""
    spans: list[tuple[int, int]] = []
    at = 0
    for run_start, run_end in runs:
        if run_start < at:
            continue  # a second run in a word already found
        start = run_start
        while start > at and _is_word(text[start - 1]):
            start -= 1
        at = run_end
        while at < len(text) and _is_word(text[at]):
            at += 1
        spans.append((start, at))
    return spans


def _squeeze_word(word: str) -> str:
    keeps = iter(_run_keeps(word))
    return _replace(word, _repeat_runs(word), lambda run: run[:next(keeps)])


def _squeeze_repeats(chars: list[str], origin: list[int], rules: int = RULES) -> tuple[list[str], list[int]]:
    """Letters repeated three or more times for emphasis count as two ("stuuuupid" → "stuupid"); with rule set 4, as
    one where that spells an offensive word ("iiiidiot" → "idiot")."""
    text = "".join(chars)
    runs = _repeat_runs(text)
    if not runs:
        return chars, origin
    keep = [True] * len(chars)
    for start, end in _repeated_words(text, runs) if rules >= 4 else ():
        for (run_start, run_end), count in zip(_repeat_runs(text[start:end]), _run_keeps(text[start:end])):
            for index in range(start + run_start + count, start + run_end):
                keep[index] = False
    if rules < 4:
        for run_start, run_end in runs:
            for index in range(run_start + 2, run_end):
                keep[index] = False
    return [c for c, k in zip(chars, keep) if k], [o for o, k in zip(origin, keep) if k]
