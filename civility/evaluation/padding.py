"""What a quoted paragraph costs a model: short held-out comments scored alone and after the opening words of the
article they answer, the way a reader who quotes the story before replying writes them.

A transformer reads a bounded number of tokens and averages over what it reads, so words in front of a comment's own
dilute them, and words past its reading limit are never seen. Each comment (English test rows with a TOXICITY label,
under ``MAX_CHARS`` characters; a seeded sample of each class) is scored as written and after the first N words of a
quoted text, N in ``PREFIX_WORDS``. Two texts are quoted: the demo article's body (``examples/reference-page.json``:
a report on the Karabakh war, which names peoples and countries), and ``NEUTRAL`` (a council report written here
that names no social group, so a cascade's term routing does not send its quotes to the transformer). Per text,
model and N: the share of the toxic comments scored TOXICITY ≥ 0.5 (caught), and of the clean ones (false alarms).
The quoted texts are the same for every comment, and nothing was tuned on them.

Run: ``python -m civility.evaluation.padding models/cascade-en-65 models/minilm3-en-64 --write docs/padding.md``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from civility.scoring.artifact import load_scorer
from civility.scoring.base import Scorer
from civility.training.data import READERS, load_records

PREFIX_WORDS: tuple[int, ...] = (0, 60, 120, 250)
NEUTRAL = (
    "The town council met on Tuesday evening to agree next year's budget. The largest item is the repair of the "
    "river bridge, closed to lorries since the spring floods; the engineers' report puts the work at fourteen months "
    "and asks for a temporary footbridge beside it. The library will open on Sunday afternoons from March, paid for "
    "by moving two posts from the archive, and the reading room gets new lights and a ramp at the side door. The "
    "school bus timetable changes after the half-term holiday: the first bus leaves the depot ten minutes earlier, "
    "and the route past the sports ground is dropped because the road there is being resurfaced. Councillors also "
    "voted to keep the weekly market in the square rather than moving it to the car park, after a petition signed by "
    "more than eight hundred people. Parking charges stay the same. A proposal to plant two hundred trees along the "
    "ring road was sent back to the planning committee, which will look at the cost of watering them through the "
    "first two summers. The swimming pool reopens in April after the roof repairs, with longer hours on weekday "
    "mornings for lane swimming and a new timetable of lessons for beginners. Residents can read the full budget "
    "papers at the town hall or on the council's website, and the next public meeting is on the first Tuesday of "
    "next month, when the bridge contract will be signed and the works calendar published. The council thanked the "
    "volunteers who cleared the footpaths after the storm and the staff who kept the recycling centre open through "
    "the holidays, and said the winter gritting routes will be the same as last year, with the hill road treated "
    "first on frosty mornings before the buses start."
)
MAX_CHARS = 300
PER_CLASS = 1000
SEED = 2026


@dataclass(frozen=True)
class PaddingRow:
    model: str
    quote: str  # which text is quoted
    words: int  # its words quoted before the comment (0: the comment alone)
    caught: float  # share of the toxic comments scored TOXICITY >= 0.5
    false_alarms: float  # share of the clean ones


def quoted(text: str, article_words: Sequence[str], words: int) -> str:
    """The comment after the article's first ``words`` words and a blank line, as a quoting reader writes it."""
    return text if words == 0 else " ".join(article_words[:words]) + "\n\n" + text


def article_words(page: Path) -> list[str]:
    return str(json.loads(page.read_text(encoding="utf-8"))["article"]["body"]).split()


def short_comments(data_dir: Path, per_class: int = PER_CLASS, seed: int = SEED) -> tuple[list[str], list[str]]:
    """A seeded sample of short English test comments: (toxic, clean)."""
    english = [name for name, reader in READERS.items() if reader.language == "en"]
    records, _ = load_records(data_dir, datasets=english)
    rows = [r for r in records if r.split == "test" and r.label("TOXICITY") is not None and len(r.text) < MAX_CHARS]
    rng = np.random.default_rng(seed)
    classes = []
    for label in (1, 0):
        texts = [r.text for r in rows if r.label("TOXICITY") == label]
        chosen = rng.choice(len(texts), size=min(per_class, len(texts)), replace=False)
        classes.append([texts[i] for i in sorted(chosen)])
    return classes[0], classes[1]


def measure(
    scorer: Scorer,
    toxic: Sequence[str],
    clean: Sequence[str],
    quotes: Mapping[str, Sequence[str]],
    prefixes: Sequence[int] = PREFIX_WORDS,
) -> list[PaddingRow]:
    """``quotes``: name -> the quoted text's words."""
    for name, words in quotes.items():
        if max(prefixes) > len(words):
            raise ValueError(f"{name} has {len(words)} words, fewer than {max(prefixes)}")
    column = scorer.info.attributes.index("TOXICITY")
    out = []
    for index, (name, quote) in enumerate(quotes.items()):
        for words in prefixes:
            if words == 0 and index:  # the comments alone are measured once
                continue
            scores = scorer.predict_proba([quoted(t, quote, words) for t in [*toxic, *clean]])[:, column]
            flagged = scores >= 0.5
            caught, alarms = float(flagged[: len(toxic)].mean()), float(flagged[len(toxic) :].mean())
            out.append(PaddingRow(scorer.info.label, name, words, caught, alarms))
    return out


def render(results: Sequence[PaddingRow], command: str, toxic: int, clean: int) -> str:
    models = list(dict.fromkeys(r.model for r in results))
    keys = list(dict.fromkeys((r.quote, r.words) for r in results))
    cell = {(r.model, r.quote, r.words): r for r in results}
    lines = [
        "# Quoted paragraphs",
        "",
        f"Generated by `{command}` on {date.today().isoformat()}. {toxic} toxic and {clean} clean English test comments "
        f"under {MAX_CHARS} characters (a seeded sample), each scored alone and after the first words of a quoted "
        "text, the way a reader who quotes before replying writes: the demo article's body (a report on the Karabakh "
        "war, examples/reference-page.json, which names peoples and countries) and a council report that names no "
        "social group (civility/evaluation/padding.py has both and the rules). Each cell: share of the toxic comments "
        "scored TOXICITY ≥ 0.5 / share of the clean ones.",
        "",
        "| quoted first | " + " | ".join(models) + " |",
        "|---|" + "---:|" * len(models),
    ]
    for quote, words in keys:
        label = "nothing (the comment alone)" if words == 0 else f"{words} words of the {quote}"
        row = [f"{cell[(m, quote, words)].caught:.1%} / {cell[(m, quote, words)].false_alarms:.1%}" for m in models]
        lines.append(f"| {label} | " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("models", type=Path, nargs="+", help="artifact folders, e.g. models/cascade-en-65")
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--page", type=Path, default=Path("examples/reference-page.json"), help="the quoted article")
    parser.add_argument("--per-class", type=int, default=PER_CLASS, help="toxic and clean comments sampled")
    parser.add_argument("--write", type=Path, default=None, help="write the report here (e.g. docs/padding.md)")
    args = parser.parse_args(argv)
    missing = [str(p) for p in (args.data_dir, args.page, *args.models) if not p.exists()]
    if missing:
        parser.error(f"not found: {', '.join(missing)}")
    toxic, clean = short_comments(args.data_dir, args.per_class)
    quotes = {"article": article_words(args.page), "council report": NEUTRAL.split()}
    results = [row for folder in args.models for row in measure(load_scorer(folder), toxic, clean, quotes)]
    command = "python -m civility.evaluation.padding " + " ".join(str(m) for m in args.models)
    command += f" --write {args.write}" if args.write else ""
    report = render(results, command, len(toxic), len(clean))
    print(report)
    if args.write:
        args.write.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
