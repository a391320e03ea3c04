"""How far the base encoder goes on OLID alone: the yardstick for issue 3's OLID aim (the 2019 winner's 0.829).

The served transformer learns OLID among a dozen sets whose idea of "offensive" differs, and is distilled to three
layers. Fine-tuning all six layers of all-MiniLM-L6-v2 on OLID's training rows and nothing else asks what the encoder
itself can reach, with the winner's own data. Three steps (tools/gpu/olid_sweep.sh runs the middle one on a lent GPU):

- ``pack``: a pack's OLID rows only (train and dev; the pack never holds test rows);
- ``choose``: among several runs, the one whose best checkpoint has the highest dev TOXICITY ROC-AUC;
- ``score``: OLID subtask A macro-F1 on the official test rows, at 0.5 and at the threshold that maximises dev
  macro-F1, read here from ``../shared/data`` (test rows never travel).
"""

from __future__ import annotations

import argparse
import json
import lzma
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from civility.training.pack import FORMAT

DATASET = "olid"
ATTRIBUTE = "TOXICITY"  # OLID's OFF is mapped to TOXICITY (civility.training.data._olid_labels)


def pack_subset(source: Path, out: Path, dataset: str = DATASET) -> int:
    """Copy ``source``'s rows of ``dataset`` into a new pack at ``out``; returns the rows written."""
    with lzma.open(source, "rt", encoding="utf-8") as handle:
        header = json.loads(handle.readline())
        if header.get("format") != FORMAT:
            raise ValueError(f"{source} is not a {FORMAT} file")
        rows = [line for line in handle if json.loads(line)["dataset"] == dataset]
    splits = Counter(json.loads(line)["split"] for line in rows)
    header.update(rows=len(rows), splits=dict(splits), datasets={dataset: len(rows)}, weak_added={}, written_dropped={})
    header["subset_of"] = str(source.name)
    out.parent.mkdir(parents=True, exist_ok=True)
    with lzma.open(out, "wt", encoding="utf-8", preset=6) as handle:
        handle.write(json.dumps(header) + "\n")
        handle.writelines(rows)
    return len(rows)


def best_dev_auc(log: Path, attribute: str = ATTRIBUTE) -> float:
    """``attribute``'s dev ROC-AUC at the step the run kept as best.pt (finetune's own choice, by mean dev ROC-AUC)."""
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    done = [e for e in entries if e.get("event") == "done"]
    if not done:
        raise ValueError(f"{log} has no finished run")
    step = done[-1]["best"]["step"]
    for entry in entries:
        if entry.get("event") == "dev" and entry.get("step") == step:
            return float(entry[attribute])
    raise ValueError(f"{log} has no dev evaluation at step {step}")


def choose(root: Path) -> str:
    """The run folder under ``root`` whose best checkpoint has the highest dev TOXICITY ROC-AUC."""
    scored = {run.parent.name: best_dev_auc(run) for run in sorted(root.glob("*/train_log.jsonl"))}
    if not scored:
        raise ValueError(f"no finished runs under {root}")
    return max(scored, key=lambda name: scored[name])


@dataclass(frozen=True)
class OlidScore:
    checkpoint: str
    step: int
    dev_roc_auc: float
    dev_threshold: float
    dev_macro_f1: float
    test_rows: int
    test_roc_auc: float
    test_macro_f1_at_half: float
    test_macro_f1_at_dev_threshold: float


def macro_f1_threshold(probabilities: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """The threshold on a 0.01 grid that maximises macro-F1, and that macro-F1."""
    from sklearn.metrics import f1_score

    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    scores = [f1_score(labels, probabilities >= t, average="macro") for t in grid]
    best = int(np.argmax(scores))
    return float(grid[best]), float(scores[best])


def score(checkpoint: Path, data_dir: Path, base_model: str = "") -> OlidScore:
    """OLID subtask A on the official test rows, from the checkpoint's raw TOXICITY probability."""
    from sklearn.metrics import f1_score, roc_auc_score

    from civility.training.data import load_records
    from civility.training.finetune import ATTRIBUTES, base_model_dir, encode, load_trained, make_tokenizer, predict_logits

    model, config, step = load_trained(checkpoint, base_model)
    tokenizer = make_tokenizer(base_model_dir(base_model) / "tokenizer.json", config.max_length)
    records, _ = load_records(data_dir, languages=("en",))
    column = ATTRIBUTES.index(ATTRIBUTE)

    def split(name: str) -> tuple[np.ndarray, np.ndarray]:
        rows = [r for r in records if r.dataset == DATASET and r.split == name]
        labels = np.array([int(r.label(ATTRIBUTE)) for r in rows])
        logits = predict_logits(model, encode(tokenizer, [r.text for r in rows], config.normalizer_rules))[:, column]
        return 1.0 / (1.0 + np.exp(-logits)), labels

    dev_p, dev_y = split("dev")
    test_p, test_y = split("test")
    threshold, dev_f1 = macro_f1_threshold(dev_p, dev_y)
    return OlidScore(
        checkpoint=str(checkpoint),
        step=step,
        dev_roc_auc=float(roc_auc_score(dev_y, dev_p)),
        dev_threshold=threshold,
        dev_macro_f1=dev_f1,
        test_rows=int(test_y.size),
        test_roc_auc=float(roc_auc_score(test_y, test_p)),
        test_macro_f1_at_half=float(f1_score(test_y, test_p >= 0.5, average="macro")),
        test_macro_f1_at_dev_threshold=float(f1_score(test_y, test_p >= threshold, average="macro")),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    subset = sub.add_parser("pack", help="a pack's OLID rows as a pack of their own")
    subset.add_argument("source", type=Path)
    subset.add_argument("out", type=Path)
    pick = sub.add_parser("choose", help="print the run folder with the highest dev TOXICITY ROC-AUC at its best step")
    pick.add_argument("root", type=Path)
    test = sub.add_parser("score", help="OLID test macro-F1 of a checkpoint (JSON)")
    test.add_argument("checkpoint", type=Path)
    test.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    test.add_argument("--base-model", default="")
    args = parser.parse_args(argv)
    try:
        if args.command == "pack":
            print(f"{pack_subset(args.source, args.out)} rows -> {args.out}")
        elif args.command == "choose":
            print(choose(args.root))
        else:
            print(json.dumps(asdict(score(args.checkpoint, args.data_dir, args.base_model)), indent=2))
    except (OSError, EOFError, lzma.LZMAError, ValueError, KeyError) as exc:  # a missing, truncated or foreign file
        print(f"olid_ceiling {args.command}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
