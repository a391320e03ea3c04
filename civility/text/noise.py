"""Noise that says nothing about a text's language, removed before language detection, in time linear in the text.

The rules (each match becomes one space): VK mentions "[id123|Name]" and "id123|Name]" (the latter only where "id"
starts a word, the "]" optional, a "," ending it), URLs, e-mail addresses ``\\S+@\\S+\\.\\w+``, @-mentions, and "#"
before a word character. Where several start at one place, the first of that list wins; the leftmost start wins.

Why not one RE2 pattern: RE2 cannot back-track, but each search of a ``sub`` decides its leftmost match, and an
e-mail thread that starts early and fails keeps that search scanning to the end of its non-space run ("@@7" over and
over: every search re-read the rest of the run, quadratic time). So e-mail addresses are found first, one per run
(:data:`_EMAIL_RUN`): an address can start anywhere in a run before the last "@" that has a ``\\S+\\.\\w`` after it,
and it ends where the run's last usable "." and its word end, whatever its start. The other rules are one RE2
pattern, searched from a position of the encoded text and, before the next run holding an address, only up to that
run, so no search reads past the next place an address could start: every byte is read a bounded number of times.

RE2 has no look-around, so "id" starting a word is matched together with the character before it (kept) or right
after a "]" that ends a mention, and "#" together with the word character after it (kept), or with the mention or
URL that starts there. A "[id1|…]" mention needs a "]" to end it: past the text's last "]", the pattern without it is
searched, or each "[id1|" would read to the end of the text.
"""

from __future__ import annotations

from collections.abc import Iterator

import re2

from civility.text import patterns

_S, _W, _D = f"[^{patterns.SPACE}]", f"[{patterns.WORD}]", f"[{patterns.DIGIT}]"
_ID = patterns.caseless("id")
_VK_TAIL = f"{_ID}{_D}+\\|[^\\],]*\\]?"  # "id123|Name]", the "]" optional; a "," ends it
_VK_RUN = f"{_VK_TAIL}(?:{_VK_TAIL})*"  # one after another: "id1|a]id2|b]"
_URL = f"{patterns.caseless('http')}{patterns.caseless('s')}?://{_S}+|{patterns.caseless('www')}\\.{_S}+"
_BRACKETED = f"(?P<bracketed>\\[{_ID}{_D}+\\|[^\\]]*\\](?:{_VK_RUN})?)|"

# What wins over an e-mail address starting at the same place.
_BEFORE_EMAIL = f"(?P<first>^{_VK_RUN})|(?P<link>{_URL})"
# What an e-mail address starting at the same place wins over.
_AFTER_EMAIL = (
    f"|(?P<mention>@{_W}+)"
    f"|#(?:(?P<hash_vk>{_VK_RUN})|(?P<hash_link>{_URL})|(?P<hash_word>{_W}))"
    f"|(?P<before>[^{patterns.WORD}])(?P<vk>{_VK_RUN})"
)

# Every rule but e-mail addresses, with and without "[id1|…]" (for use past the last "]"), and the rules that come
# before an address, for where one starts.
_NOISE = re2.compile(_BRACKETED + _BEFORE_EMAIL + _AFTER_EMAIL)
_NOISE_OPEN = re2.compile(_BEFORE_EMAIL + _AFTER_EMAIL)
_FIRST = re2.compile(_BRACKETED + _BEFORE_EMAIL)
_FIRST_OPEN = re2.compile(_BEFORE_EMAIL)

# A run of non-space characters holding an e-mail address: group 1 is the last "@" an address can use, group 2 the
# word that ends every address in the run. Searches go run to run, each reading its run once.
_EMAIL_RUN = re2.compile(f"{_S}+(@){_S}+\\.({_W}+){_S}*")

# Each pattern's alternatives (group name and number), in order; "vk" comes right after its "before".
_ORDER = ("bracketed", "first", "link", "mention", "hash_vk", "hash_link", "hash_word", "vk")
_ALTERNATIVES = {
    pattern: [(name, pattern.groupindex[name]) for name in _ORDER if name in pattern.groupindex]
    for pattern in (_NOISE, _NOISE_OPEN, _FIRST, _FIRST_OPEN)
}


def strip_noise(text: str) -> str:
    """The text without what says nothing about its language: mentions, URLs, e-mail addresses, hashtag signs."""
    subject = patterns._subject(text).encode()  # what RE2 reads, offsets in bytes
    # The text itself, byte for byte at the same offsets: a lone surrogate and its stand-in U+FFFD are 3 bytes each.
    original = subject if text.isascii() else text.encode("utf-8", "surrogatepass")
    parts, at = [], 0
    for begin, end, match in _matches(subject):
        parts += [original[at:begin].decode("utf-8", "surrogatepass"), _replacement(original, match)]
        at = end
    return "".join(parts) + original[at:].decode("utf-8", "surrogatepass") if parts else text


def _matches(data: bytes) -> Iterator[tuple[int, int, re2._Match | None]]:
    """(begin, end, match) of each piece of noise, left to right, without overlaps; ``None`` for an e-mail address."""
    last_close = data.rfind(b"]")
    emails = _EMAIL_RUN.finditer(data)
    email = next(emails, None)
    pos = 0
    while pos < len(data):
        pattern = _NOISE if pos <= last_close else _NOISE_OPEN
        while email is not None and email.start(1) <= pos:  # no address starts at ``pos`` or later in this run
            email = next(emails, None)
        if email is None:
            match = pattern.search(data, pos)
            if match is None:
                return
            yield match.start(), match.end(), match
            pos = match.end()
            continue
        start = max(pos, email.start())  # where the next address can start
        match = None
        if start > pos:
            # A match starting before the run is decided before it (the run follows a space, and only a "before"
            # of "id1|" can be a space): bounded at the run, then read whole.
            early = pattern.search(data, pos, start)
            if early is not None:
                whole = (_NOISE if early.start() <= last_close else _NOISE_OPEN).match(data, early.start())
                match = whole or pattern.search(data, pos)  # never the latter (a start decides); it is only slower
            else:
                space = start - 1
                while data[space] & 0xC0 == 0x80:  # back to the first byte of the space character
                    space -= 1
                match = _NOISE_OPEN.match(data, space)  # "[…" cannot start at a space
        if match is None:
            match = (_FIRST if start <= last_close else _FIRST_OPEN).match(data, start)
        if match is None:
            yield start, email.end(2), None
            pos = email.end(2)
        else:
            yield match.start(), match.end(), match
            pos = match.end()


def _replacement(original: bytes, match: re2._Match | None) -> str:
    """What a match becomes: a space for each mention, URL or address; a "#" becomes a space, what follows it kept."""
    if match is None:
        return " "
    for name, index in _ALTERNATIVES[match.re]:
        begin, end = match.span(index)
        if begin >= 0:
            break
    if name in ("link", "mention"):
        return " "
    if name == "hash_link":
        return "  "
    if name == "hash_word":
        return " " + original[begin:end].decode("utf-8", "surrogatepass")
    prefix = {"vk": original[match.start(index - 1) : begin].decode("utf-8", "surrogatepass"), "hash_vk": " "}
    return prefix.get(name, "") + " " * _mentions(original[begin:end].decode("utf-8", "surrogatepass"))


def _mentions(run: str) -> int:
    """How many mentions a run of them holds: each one but the last ends with "]"."""
    return run.count("]") + (not run.endswith("]"))
