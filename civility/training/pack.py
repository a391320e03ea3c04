"""The fine-tuning rows in one compressed file, for training where ``../shared/data`` is not (the lent GPU machine).

A pack holds exactly what :func:`civility.training.finetune.training_data` gives a config: the train and dev rows of
the sets it trains on, the written training cases and the weak THREAT labels included. Test rows, and the sets kept out
of training (Perspective's scores), never enter it, so a machine that only has the pack cannot see held-out text.
"""

from __future__ import annotations

import json
import lzma
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from civility.training.data import DataReport, Record

FORMAT = "civility-pack/1"
PACKED_SPLITS = ("train", "dev")


@dataclass(frozen=True)
class Pack:
    records: list[Record]
    header: dict[str, object]


def packable(records: Sequence[Record], excluded: Sequence[str]) -> list[Record]:
    """The rows a pack may carry: train and dev rows of the sets used for training."""
    skip = set(excluded)
    return [r for r in records if r.split in PACKED_SPLITS and r.dataset not in skip]


def write_pack(
    path: Path,
    records: Sequence[Record],
    excluded: Sequence[str],
    weak_added: Counter[str],
    written_dropped: Counter[str],
    flags: dict[str, object],
) -> int:
    """Write the packable rows of ``records`` (xz-compressed JSON lines, a header line first); returns rows written."""
    rows = packable(records, excluded)
    header = {
        "format": FORMAT,
        "rows": len(rows),
        "splits": dict(Counter(r.split for r in rows)),
        "datasets": dict(Counter(r.dataset for r in rows)),
        "excluded": sorted(excluded),
        "weak_added": dict(weak_added),
        "written_dropped": dict(written_dropped),
        "flags": flags,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with lzma.open(path, "wt", encoding="utf-8", preset=6) as handle:
        handle.write(json.dumps(header) + "\n")
        for r in rows:
            line = {"text": r.text, "dataset": r.dataset, "split": r.split, "labels": dict(r.labels), "language": r.language}
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    return len(rows)


def read_flags(path: Path) -> dict[str, object]:
    """The data choices a pack was written with (written frames, swaps, weak labels): its header alone."""
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        header = json.loads(handle.readline())
    if header.get("format") != FORMAT:
        raise ValueError(f"{path} is not a {FORMAT} file")
    return dict(header.get("flags") or {})


def read_pack(path: Path) -> Pack:
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        header = json.loads(handle.readline())
        if header.get("format") != FORMAT:
            raise ValueError(f"{path} is not a {FORMAT} file")
        records = []
        for line in handle:
            row = json.loads(line)
            if row["split"] not in PACKED_SPLITS:
                raise ValueError(f"{path} holds a {row['split']!r} row; packs carry train and dev rows only")
            records.append(Record(row["text"], row["dataset"], row["split"], row["labels"], row["language"]))
    if len(records) != header["rows"]:
        raise ValueError(f"{path} is truncated: {len(records)} of {header['rows']} rows")
    return Pack(records, header)


def pack_report(pack: Pack) -> DataReport:
    counts: dict[str, Counter[str]] = {}
    for r in pack.records:
        counts.setdefault(r.dataset, Counter())[r.split] += 1
    return DataReport({name: dict(c) for name, c in counts.items()}, 0)


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from civility.training.finetune import FinetuneConfig, training_data

    parser = argparse.ArgumentParser(description="Write the fine-tuning rows (train and dev only) to one xz file.")
    parser.add_argument("--data-dir", default="../shared/data")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--no-weak-threat", dest="weak_threat", action="store_false")
    parser.add_argument("--no-written-cases", dest="written_cases", action="store_false")
    parser.add_argument("--written-blind", action="store_true")
    parser.add_argument("--written-balance", action="store_true")
    parser.add_argument("--counterfactual", action="store_true")
    args = parser.parse_args(argv)
    config = FinetuneConfig(
        data_dir=args.data_dir, weak_threat=args.weak_threat, written_cases=args.written_cases,
        written_blind=args.written_blind, written_balance=args.written_balance, counterfactual=args.counterfactual,
    )
    data = training_data(config)
    flags = {
        "weak_threat": config.weak_threat, "written_cases": config.written_cases, "written_blind": config.written_blind,
        "written_balance": config.written_balance, "counterfactual": config.counterfactual,
    }
    rows = write_pack(args.out, data.records, config.excluded, data.weak_added, data.written_dropped, flags)
    print(f"{rows} rows -> {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
