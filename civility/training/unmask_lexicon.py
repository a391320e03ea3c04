"""Build the word list the normaliser reads masked words against (``civility/text/unmask.tsv``).

A writer who types "st*pid" or "f**k" hides a word they think unprintable. Rule set 3 of
:mod:`civility.text.normalize` reads such a word as the most offensive word that fits the mask, letter for letter.
Which words count as offensive is measured here, on the training splits only: for every word, how much more often it occurs in
texts humans labelled toxic than in texts labelled not toxic (log of the ratio of the two document frequencies,
half-count smoothing). Only words that lean clearly toxic are kept, so a mask that fits nothing offensive
("pr*sident", "tel*graph") stays as written.

Rebuild: ``make unmask-lexicon`` (``python -m civility.training.unmask_lexicon --data-dir ../shared/data``). The list
is committed: serving reads the file and never the data.
"""

from __future__ import annotations

import argparse
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from civility.text.normalize import UNMASK_LEXICON
from civility.training.data import READERS, Record, load_records

MIN_TOXIC_DOCUMENTS = 10
MIN_LOG_RATIO = 1.0  # e ≈ 2.7 times more frequent in toxic texts
MIN_LENGTH = 3
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Entry:
    word: str
    log_ratio: float
    toxic_documents: int
    other_documents: int


def document_words(text: str) -> set[str]:
    # Rule set 2: the lexicon must not depend on itself.
    from civility.text.normalize import normalize

    return set(_WORD.findall(normalize(text, rules=2).lower()))


def build(records: Iterable[Record]) -> list[Entry]:
    """Words of the training rows that lean toxic, the most frequent in toxic texts first (a mask most likely hides
    the common word: "sh*t" is "shit", not a rarer spelling with a higher ratio). Only sets that label both toxic and non-toxic
    texts count: in a positives-only set (the Civil Comments sample) every news word would look toxic."""
    rows = [r for r in records if r.split == "train" and r.labels.get("TOXICITY") is not None]
    classes: dict[str, set[int]] = {}
    for record in rows:
        classes.setdefault(record.dataset, set()).add(int(bool(record.labels["TOXICITY"])))
    toxic, other = Counter[str](), Counter[str]()
    n_toxic = n_other = 0
    for record in rows:
        label = record.labels["TOXICITY"]
        if classes[record.dataset] != {0, 1}:
            continue
        words = document_words(record.text)
        if label:
            toxic.update(words)
            n_toxic += 1
        else:
            other.update(words)
            n_other += 1
    entries = []
    for word, count in toxic.items():
        if count < MIN_TOXIC_DOCUMENTS or len(word) < MIN_LENGTH:
            continue
        ratio = math.log(((count + 0.5) / (n_toxic + 1)) / ((other[word] + 0.5) / (n_other + 1)))
        if ratio >= MIN_LOG_RATIO:
            entries.append(Entry(word, ratio, count, other[word]))
    return sorted(entries, key=lambda e: (-e.toxic_documents, e.word))


def write(entries: Iterable[Entry], path: Path = UNMASK_LEXICON) -> None:
    lines = [
        "# Words that lean toxic in the English training splits, most frequent in toxic texts first",
        "# (civility.training.unmask_lexicon): word, log ratio of toxic to non-toxic document frequency, toxic documents,",
        "# other documents. Rebuild: make unmask-lexicon",
    ]
    lines += [f"{e.word}\t{e.log_ratio:.3f}\t{e.toxic_documents}\t{e.other_documents}" for e in entries]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=UNMASK_LEXICON)
    args = parser.parse_args(argv)
    if not args.data_dir.is_dir():
        parser.error(f"no data folder at {args.data_dir}")
    english = [name for name, reader in READERS.items() if reader.language == "en"]
    records, _ = load_records(args.data_dir, datasets=english)
    entries = build(records)
    if not entries:
        parser.error(f"no toxic-leaning words found in {args.data_dir}: the list was not written")
    write(entries, args.out)
    print(f"{len(entries)} words -> {args.out}")


if __name__ == "__main__":
    main()
