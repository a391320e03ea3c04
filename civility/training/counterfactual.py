"""Counterfactual identity swaps in the training rows (Dixon et al. 2018; Zmigrod et al. 2019).

Why: in the public sets some group words appear mostly inside attacks, so a model learns the word itself as toxicity
and then scores "I am a proud gay man" like an insult. Rewriting a share of the training comments with another word
of the same class (``muslims`` for ``christians``, ``deaf`` for ``blind``), labels unchanged, shows the model the same
comment about another group with the same judgement, so the group named stops being evidence by itself.

Only training rows of the public sets change, and only the chosen share of those naming a listed word: dev rows
(model selection) and test rows stay as the data sets wrote them, and our written frames are balanced across groups
already. The rows are rewritten in place rather than added, so every set keeps its size and the mixture its weights.
The draw is seeded, so a pack rebuilds to the same rows.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import replace

from civility.training.data import Record

SEED = 2026
RATE = 0.5  # share of eligible training rows rewritten
SKIPPED = ("civility-written",)


class Swapper:
    """Finds the class words in a text and rewrites each (every occurrence of one word the same way) to another word
    of its class, keeping the case it was written in."""

    def __init__(self, classes: Sequence[Sequence[str]]) -> None:
        self.class_of: dict[str, tuple[str, ...]] = {}
        for members in classes:
            for word in members:
                if word in self.class_of:
                    raise ValueError(f"{word!r} is in two swap classes")
                self.class_of[word] = tuple(members)
        words = sorted(self.class_of, key=len, reverse=True)
        self.pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, words)) + r")(?![\w-])", re.IGNORECASE)

    def words(self, text: str) -> list[str]:
        return [m.group(0).lower() for m in self.pattern.finditer(text)]

    def swap(self, text: str, rng: random.Random) -> str:
        chosen: dict[str, str] = {}
        for word in dict.fromkeys(self.words(text)):
            chosen[word] = rng.choice([other for other in self.class_of[word] if other != word])

        def sub(match: re.Match[str]) -> str:
            written, new = match.group(0), chosen[match.group(0).lower()]
            if written.isupper() and len(written) > 1:
                return new.upper()
            if written[0].isupper():
                return new[0].upper() + new[1:]
            return new

        return self.pattern.sub(sub, text)


def counterfactual_records(
    records: Sequence[Record], classes: Sequence[Sequence[str]] | None = None, rate: float = RATE, seed: int = SEED,
    excluded: Sequence[str] = (),
) -> tuple[list[Record], int]:
    """``records`` with ``rate`` of the eligible training rows rewritten; returns the rows and how many changed.
    ``excluded``: sets kept out of training (Perspective's scores calibrate the scale; their texts stay as written)."""
    if classes is None:
        from civility.training.swap_terms import SWAP_CLASSES

        classes = SWAP_CLASSES
    swapper = Swapper(classes)
    skipped = set(excluded)
    rng = random.Random(seed)
    out: list[Record] = []
    changed = 0
    for record in records:
        if record.split == "train" and record.dataset not in SKIPPED and swapper.pattern.search(record.text):
            if rng.random() < rate:
                swapped = swapper.swap(record.text, rng)
                # An excluded set's row draws like any other, so the rows trained on do not depend on the exclusions.
                if record.dataset not in skipped:
                    record = replace(record, text=swapped)
                    changed += 1
        out.append(record)
    return out, changed
