"""Near-duplicate comments and brigading, with MinHash + LSH over character shingles (datasketch).

The index is state the caller owns (one per process, filled from storage at start-up or as comments arrive); every
method takes the comment's time ``at`` as a value, so nothing here reads a clock. Scopes keep separate indexes in one
object: the caller adds a comment under ``"article:<id>"`` and under ``"site:<id>"`` and queries whichever it needs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from datasketch import MinHash, MinHashLSH

from civility.text import patterns
from civility.text.normalize import normalize

_NON_WORD = patterns.compile(f"[^{patterns.ALNUM}]+")


@dataclass(frozen=True)
class DuplicateMatch:
    """What the index knows about a new comment.

    ``duplicate_of`` is the most similar earlier comment (ties: the earliest), ``similarity`` its estimated Jaccard
    similarity of shingles (1.0 for an exact match after normalisation). ``brigade_size`` counts the near-duplicate
    cluster inside the window *including the new comment*; ``brigade_authors`` the distinct authors in it, all
    anonymous comments counting as one author.
    """

    duplicate_of: str | None = None
    similarity: float = 0.0
    brigade: bool = False
    brigade_size: int = 1
    brigade_authors: int = 1


def canonical(text: str) -> str:
    """The form two comments are compared in: normalised, case-folded, punctuation dropped, whitespace collapsed."""
    return _NON_WORD.sub(" ", normalize(text).casefold()).strip()


def shingles(text: str, size: int) -> set[str]:
    """Character ``size``-grams of ``canonical(text)``; a text shorter than ``size`` is its own single shingle."""
    return _grams(canonical(text), size)


def _grams(form: str, size: int) -> set[str]:
    if len(form) <= size:
        return {form} if form else set()
    return {form[i : i + size] for i in range(len(form) - size + 1)}


@dataclass(frozen=True)
class Fingerprint:
    """What the index compares a text by: its canonical form, a digest of it, and its MinHash (None when the form is
    too short for shingles). Costly for a long text, so a caller may compute it before taking any lock."""

    form: str
    digest: str
    minhash: MinHash | None


@dataclass
class _Entry:
    comment_id: str
    author: str | None
    at: float
    digest: str
    short: bool
    minhash: MinHash | None
    sequence: int


@dataclass
class _Scope:
    lsh: MinHashLSH
    entries: dict[str, _Entry] = field(default_factory=dict)
    exact: dict[str, set[str]] = field(default_factory=dict)


class DuplicateIndex:
    """Near-duplicate lookup per scope, limited to a time window; deterministic for a given ``seed``.

    - A text is a near-duplicate when the estimated Jaccard similarity of its ``shingle_size``-character shingles is
      at least ``threshold``, or when its canonical form is identical.
    - Texts with fewer than ``min_chars`` canonical characters ("Well said!", "+1") are too short for shingles to
      mean anything and are said by many people independently: they only count as duplicates of an identical
      comment by the *same* author (flooding), and never make a brigade.
    - A brigade is at least ``brigade_min_size`` near-duplicates (the new comment included) from at least
      ``brigade_min_authors`` authors within ``window_seconds`` before ``at``.
    - LSH is queried at a lower threshold than ``threshold`` so that borderline pairs are not lost to banding; the
      candidates are then checked against ``threshold`` with the MinHash estimate.
    """

    def __init__(
        self,
        threshold: float = 0.7,
        num_perm: int = 128,
        window_seconds: float = 7 * 24 * 3600.0,
        *,
        shingle_size: int = 4,
        min_chars: int = 20,
        brigade_min_size: int = 3,
        brigade_min_authors: int = 2,
        seed: int = 1,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        if window_seconds <= 0:
            raise ValueError(f"window_seconds must be positive, got {window_seconds}")
        if shingle_size < 1 or brigade_min_size < 2 or brigade_min_authors < 1:
            raise ValueError("shingle_size >= 1, brigade_min_size >= 2 and brigade_min_authors >= 1 are required")
        self.threshold = threshold
        self.num_perm = num_perm
        self.window_seconds = window_seconds
        self.shingle_size = shingle_size
        self.min_chars = min_chars
        self.brigade_min_size = brigade_min_size
        self.brigade_min_authors = brigade_min_authors
        self.seed = seed
        probe = MinHashLSH(threshold=max(0.1, threshold - 0.2), num_perm=num_perm)
        self._lsh_params = (probe.b, probe.r)
        self._scopes: dict[str, _Scope] = {}
        self._added = 0

    def __len__(self) -> int:
        """The number of (scope, comment) entries held, including any past the window not yet pruned."""
        return sum(len(scope.entries) for scope in self._scopes.values())

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(self._scopes)

    def fingerprint(self, text: str) -> Fingerprint:
        form = canonical(text)
        return Fingerprint(form, _digest(form), None if len(form) < self.min_chars else self._minhash(form))

    def add(
        self, comment_id: str, text: str, author: str | None, scope: str, at: float, *, fingerprint: Fingerprint | None = None
    ) -> None:
        """Index a comment under ``scope``; adding an id again (an edited comment) replaces the earlier text.
        ``fingerprint``, if given, is ``self.fingerprint(text)`` computed earlier."""
        holder = self._scopes.get(scope)
        if holder is None:
            holder = self._scopes[scope] = _Scope(MinHashLSH(num_perm=self.num_perm, params=self._lsh_params))
        elif comment_id in holder.entries:
            self._drop(holder, comment_id)
        printed = fingerprint or self.fingerprint(text)
        short, minhash = printed.minhash is None, printed.minhash
        self._added += 1
        entry = _Entry(comment_id, author, float(at), printed.digest, short, minhash, self._added)
        holder.entries[comment_id] = entry
        holder.exact.setdefault(entry.digest, set()).add(comment_id)
        if minhash is not None:
            holder.lsh.insert(comment_id, minhash)

    def remove(self, comment_id: str, scope: str) -> bool:
        holder = self._scopes.get(scope)
        if holder is None or comment_id not in holder.entries:
            return False
        self._drop(holder, comment_id)
        if not holder.entries:
            del self._scopes[scope]
        return True

    def prune(self, now: float) -> int:
        """Forget entries older than the window at ``now``; returns how many (scope, comment) entries went."""
        removed = 0
        for name in list(self._scopes):
            holder = self._scopes[name]
            for comment_id in [c for c, e in holder.entries.items() if e.at < now - self.window_seconds]:
                self._drop(holder, comment_id)
                removed += 1
            if not holder.entries:
                del self._scopes[name]
        return removed

    def query(
        self, text: str, author: str | None, scope: str, at: float, *, exclude: str | None = None,
        fingerprint: Fingerprint | None = None,
    ) -> DuplicateMatch:
        """Compare ``text`` with the comments of ``scope`` posted in ``[at - window, at]`` (``exclude``: its own id).
        ``fingerprint``, if given, is ``self.fingerprint(text)`` computed earlier."""
        holder = self._scopes.get(scope)
        if holder is None:
            return DuplicateMatch()
        printed = fingerprint or self.fingerprint(text)
        form, digest = printed.form, printed.digest
        if not form:
            return DuplicateMatch()

        def live(entry: _Entry) -> bool:
            return entry.comment_id != exclude and at - self.window_seconds <= entry.at <= at

        matches: list[tuple[float, _Entry]] = []
        if len(form) < self.min_chars:
            if author is not None:
                for comment_id in holder.exact.get(digest, ()):
                    entry = holder.entries[comment_id]
                    if live(entry) and entry.author == author:
                        matches.append((1.0, entry))
            return self._result(matches, author, brigade_allowed=False)
        minhash = printed.minhash
        assert minhash is not None  # a form of min_chars or more has one
        candidates = set(holder.lsh.query(minhash)) | holder.exact.get(digest, set())
        for comment_id in candidates:
            entry = holder.entries[comment_id]
            if entry.short or not live(entry):
                continue
            similarity = 1.0 if entry.digest == digest else float(minhash.jaccard(entry.minhash))
            if similarity >= self.threshold:
                matches.append((similarity, entry))
        return self._result(matches, author, brigade_allowed=True)

    def _result(
        self, matches: list[tuple[float, _Entry]], author: str | None, *, brigade_allowed: bool
    ) -> DuplicateMatch:
        if not matches:
            return DuplicateMatch()
        similarity, best = max(matches, key=lambda m: (m[0], -m[1].at, -m[1].sequence))
        authors = [author, *(entry.author for _, entry in matches)]
        named = {a for a in authors if a is not None}
        distinct = len(named) + (1 if any(a is None for a in authors) else 0)
        size = len(matches) + 1
        brigade = brigade_allowed and size >= self.brigade_min_size and distinct >= self.brigade_min_authors
        return DuplicateMatch(best.comment_id, similarity, brigade, size, distinct)

    def _minhash(self, form: str) -> MinHash:
        minhash = MinHash(num_perm=self.num_perm, seed=self.seed)
        minhash.update_batch([gram.encode("utf-8") for gram in sorted(_grams(form, self.shingle_size))])
        return minhash

    @staticmethod
    def _drop(holder: _Scope, comment_id: str) -> None:
        entry = holder.entries.pop(comment_id)
        ids = holder.exact.get(entry.digest)
        if ids is not None:
            ids.discard(comment_id)
            if not ids:
                del holder.exact[entry.digest]
        if entry.minhash is not None:
            holder.lsh.remove(comment_id)


def _digest(form: str) -> str:
    return hashlib.blake2b(form.encode("utf-8"), digest_size=16).hexdigest()
