"""Per-language model input: script-specific folding before (and after) the shared :func:`normalize`.

The English models depend on :func:`civility.text.normalize.normalize` exactly as it is, so nothing here changes it;
a non-English linear model names its normaliser in its manifest (``"normalizer": "tr"``) and both training and
serving call :func:`normalize_for` with that name. ``normalize_for("en", text)`` (or ``None``) is the English input,
``normalize(text).lower()``.

What each language adds (the shared step already removes accents and combining marks — Turkish ş ğ ç ö ü, Arabic
harakat and hamza carriers — joins spread-out letters, undoes leetspeak and squeezes repeated letters):

- ``de``: ß → ss (so "Scheiße" and "Scheisse" meet; the shared step already folds ä ö ü to a o u).
- ``tr``: Turkish casing — İ → i, I → ı before lower-casing — then dotted and dotless i fold together (ı → i), so text
  typed without Turkish letters ("siktir", "salak", "aptal") matches text typed with them.
- ``ru``: inside a word holding Cyrillic letters, Latin look-alikes and digits read as the Cyrillic letters they imitate
  ("пидapacы", "xyйня", "3ачем", "6лядь"), and words written entirely in Latin letters are transliterated ("idi
  nahui" → "иди нахуи"); then ё → е and й → и (the shared step drops the breve anyway).
- ``ar``: a text mostly in Latin letters is read as Arabizi (3 → ع, 7 → ح, 2 → ء, 5 → خ, 9 → ق, 6 → ط, 8 → غ …, then
  letter transliteration); alef variants (أ إ آ ٱ) → ا, ى → ي, ة → ه, ؤ → و, ئ → ي, tatweel and harakat removed,
  Persian/Urdu forms (ک ی) → Arabic (ك ي), Arabic-Indic digits → ASCII digits.
"""

from __future__ import annotations

import itertools

from civility.text import patterns
from civility.text.normalize import RULES, normalize

LANGUAGES: tuple[str, ...] = ("en", "de", "tr", "ru", "ar")


def normalize_for(language: str | None, text: str, rules: int = RULES) -> str:
    """The model input of ``text`` for a model whose manifest names ``language`` as its normaliser, with the shared
    step's rule set ``rules`` (the model's own: :data:`civility.text.normalize.RULES`)."""
    if not language or language == "en":
        return normalize(text, rules).lower()
    try:
        fold = _FOLDERS[language]
    except KeyError:
        raise ValueError(f"no normaliser for language {language!r}") from None
    return fold(text, rules)


# ------------------------------------------------------------------------------------------------------- German


def _german(text: str, rules: int) -> str:
    return normalize(text.replace("ß", "ss").replace("ẞ", "SS"), rules).lower()


# ------------------------------------------------------------------------------------------------------ Turkish


def turkish_lower(text: str) -> str:
    """Lower-case by Turkish rules (İ → i, I → ı), which str.lower() gets wrong."""
    return text.replace("İ", "i").replace("I", "ı").lower()


def _turkish(text: str, rules: int) -> str:
    return normalize(turkish_lower(text), rules).lower().replace("ı", "i")


# ------------------------------------------------------------------------------------------------------ Russian

# Latin letters (and digits / symbols) that imitate Cyrillic ones inside a Cyrillic word.
_RU_LOOKALIKE = {
    "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "n": "п", "o": "о", "p": "р", "r": "г",
    "t": "т", "u": "и", "x": "х", "y": "у", "3": "з", "0": "о", "6": "б", "4": "ч", "@": "а", "$": "с",
}  # fmt: skip
# Transliteration of words typed in Latin letters (common informal and ISO-9-like spellings), longest first.
_RU_TRANSLIT = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"),
    ("ju", "ю"), ("ya", "я"), ("ja", "я"), ("yo", "ё"), ("jo", "ё"), ("ye", "е"), ("je", "е"), ("a", "а"),
    ("b", "б"), ("c", "ц"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"), ("j", "й"),
    ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"),
    ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("x", "х"), ("y", "ы"), ("z", "з"), ("'", "ь"),
)  # fmt: skip
_RU_TRANSLIT_RE = patterns.compile("|".join(patterns.escape(latin) for latin, _ in _RU_TRANSLIT))
_RU_TRANSLIT_MAP = dict(_RU_TRANSLIT)
_LATIN_WORD = patterns.compile(r"[a-z']*[a-z][a-z']*")
_RU_WORD = patterns.compile(f"[^{patterns.SPACE}.,;:!?()\"«»]+")


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _russian_word(word: str) -> str:
    if any(_is_cyrillic(ch) for ch in word):
        return "".join(_RU_LOOKALIKE.get(ch, ch) if not _is_cyrillic(ch) else ch for ch in word)
    if _LATIN_WORD.fullmatch(word):
        return _RU_TRANSLIT_RE.sub(lambda m: _RU_TRANSLIT_MAP[m.group()], word)
    return word


def _russian(text: str, rules: int) -> str:
    lowered = text.lower()
    folded = _RU_WORD.sub(lambda m: _russian_word(m.group()), lowered)
    return normalize(folded, rules).lower().replace("ё", "е").replace("й", "и")


# ------------------------------------------------------------------------------------------------------- Arabic

_ARABIC_LETTERS = patterns.compile("[\u0621-\u064a\u0671-\u06d3]")
_LATIN_LETTERS = patterns.compile(r"[A-Za-z]")
_HARAKAT = patterns.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_AR_UNIFY = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ـ": None, "ک": "ك",
        "ی": "ي", "ۀ": "ه", "ە": "ه", "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5",
        "٦": "6", "٧": "7", "٨": "8", "٩": "9", "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5",
        "۶": "6", "۷": "7", "۸": "8", "۹": "9",
    }
)  # fmt: skip
# Arabizi (Arabic chat alphabet): digits standing for letters Latin lacks, then letters and digraphs.
# Short vowels are not written in Arabic: a single inner "a" or "e" is dropped, a word-initial vowel is an alef, a
# final "a" an alef; long vowels (aa, ee, ou, oo, i, o, u) are letters.
_ARABIZI = (
    ("3'", "غ"), ("7'", "خ"), ("9'", "ض"), ("6'", "ظ"), ("kh", "خ"), ("sh", "ش"), ("ch", "ش"), ("gh", "غ"),
    ("th", "ث"), ("dh", "ذ"), ("ou", "و"), ("oo", "و"), ("ee", "ي"), ("aa", "ا"), ("2", "ء"), ("3", "ع"),
    ("5", "خ"), ("6", "ط"), ("7", "ح"), ("8", "غ"), ("9", "ق"), ("a", ""), ("b", "ب"), ("c", "ك"), ("d", "د"),
    ("e", ""), ("f", "ف"), ("g", "ج"), ("h", "ه"), ("i", "ي"), ("j", "ج"), ("k", "ك"), ("l", "ل"), ("m", "م"),
    ("n", "ن"), ("o", "و"), ("p", "ب"), ("q", "ق"), ("r", "ر"), ("s", "س"), ("t", "ت"), ("u", "و"), ("v", "ف"),
    ("w", "و"), ("x", "كس"), ("y", "ي"), ("z", "ز"),
)  # fmt: skip
_ARABIZI_RE = patterns.compile("|".join(patterns.escape(latin) for latin, _ in _ARABIZI))
_ARABIZI_MAP = dict(_ARABIZI)
_ARABIZI_WORD = patterns.compile(r"[a-z0-9']*[a-z][a-z0-9']*|[0-9']*[2356789][a-z][a-z0-9']*")
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxyz")
_SKIP_ARABIZI = frozenset({"user", "url", "rt", "http", "https", "www"})


def is_arabizi(text: str) -> bool:
    """True when ``text`` is Arabic written in Latin letters: more Latin than Arabic letters."""
    latin = len(_LATIN_LETTERS.findall(text))
    return latin > 0 and latin > len(_ARABIC_LETTERS.findall(text))


def arabizi_to_arabic(text: str) -> str:
    """Transliterate Arabizi words to Arabic script (vowels become long vowels: a rough, consistent reading)."""

    def word(match: patterns.Match) -> str:
        token = match.group()
        if token in _SKIP_ARABIZI or token.isdigit():
            return token
        squeezed = "".join(  # doubled consonants (shadda) count once
            ch if ch in _CONSONANTS else "".join(group) for ch, group in itertools.groupby(token)
        )
        head = "ا" if squeezed[0] in "aeiou" else ""
        core = squeezed[1:] if head and squeezed[:2] not in ("aa", "ee", "ou", "oo") else squeezed
        tail = "ا" if core.endswith("a") and not core.endswith("aa") and len(core) > 1 else ""
        core = core[:-1] if tail else core
        return head + _ARABIZI_RE.sub(lambda m: _ARABIZI_MAP[m.group()], core) + tail

    return _ARABIZI_WORD.sub(word, text.lower())


def _arabic(text: str, rules: int) -> str:
    if is_arabizi(text):
        text = arabizi_to_arabic(text)
    text = _HARAKAT.sub("", text).translate(_AR_UNIFY)
    return normalize(text, rules).lower()


_FOLDERS = {"de": _german, "tr": _turkish, "ru": _russian, "ar": _arabic}
