"""A smaller transformer distilled from a fine-tuned one: the cascade's accurate stage at a fraction of the cost.

The int8 transformer's cost on two cores grows with its depth (measured on minilm-en@6's weights, one comment per
call: 6 layers 870/s, 4 layers 1,320/s, 3 layers 1,740/s, 2 layers 2,470/s on short dev comments), so a shallower
encoder is the direct way to a faster cascade. The student

* starts from its teacher: the teacher's embeddings, its bottom ``layers`` layers and its head (dropping the top
  layers and training on is the best of the pruning strategies Sajjad et al. compared in "Poor Man's BERT", 2020);
* learns towards soft targets: on every head of every training row the teacher's probability, blended with the human
  label where the data set gives one (``teacher_weight``), so the heads a set does not label still get a signal;
* keeps its embeddings frozen (``freeze_embeddings``), which also lets it travel off the GPU machine as its layers
  only (civility.training.transfer).

Model selection and calibration use the human dev labels only, as for the teacher.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def init_from_teacher(student, checkpoint: Path, base_model: str = ""):
    """Copy the teacher's weights into ``student`` (its first layers only); return the teacher, in eval mode."""
    from civility.training.finetune import load_trained

    teacher, _, _ = load_trained(checkpoint, base_model=base_model)
    kept = len(student.encoder.encoder.layer)
    if kept > len(teacher.encoder.encoder.layer):
        raise ValueError(f"a student of {kept} layers cannot start from a teacher of {len(teacher.encoder.encoder.layer)}")
    state = {
        name: tensor
        for name, tensor in teacher.state_dict().items()
        if not name.startswith("encoder.encoder.layer.") or int(name.split(".")[3]) < kept
    }
    student.load_state_dict(state, strict=True)
    return teacher


def soft_targets(
    teacher_probabilities: np.ndarray, labels: np.ndarray, teacher_weight: float, human_only: np.ndarray | None = None
) -> np.ndarray:
    """Per row and head: the teacher's probability, blended with the human label where there is one (labels ≥ 0).
    Rows marked ``human_only`` keep their human labels unblended (written counter-examples the teacher may get wrong)."""
    if not 0.0 <= teacher_weight <= 1.0:
        raise ValueError("teacher_weight must lie in [0, 1]")
    weight = np.full((labels.shape[0], 1), teacher_weight, dtype=np.float32)
    if human_only is not None:
        weight[human_only] = 0.0
    blended = (1.0 - weight) * labels + weight * teacher_probabilities
    return np.where(labels >= 0, blended, teacher_probabilities).astype(np.float32)


def teacher_targets(
    teacher,
    encoded: Sequence[Sequence[int]],
    labels: np.ndarray,
    teacher_weight: float,
    device: str = "cpu",
    bf16: bool = False,
    human_only: np.ndarray | None = None,
    cache: Path | None = None,
) -> np.ndarray:
    """Soft targets from the teacher's logits. ``cache`` (an .npz keyed by the token ids) keeps the logits of rows
    already seen, so rerunning a student with changed written rows costs only the new rows (the teacher's pass over
    every training row takes about 12 minutes on two cores); the cache belongs to one teacher checkpoint."""
    from civility.training.finetune import predict_logits

    keys = [hashlib.sha1(np.asarray(row, dtype=np.int32).tobytes()).hexdigest() for row in encoded]
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        with np.load(cache) as stored:
            known = dict(zip(stored["keys"].tolist(), stored["logits"]))
    missing = sorted({i for i, key in enumerate(keys) if key not in known})
    if missing:
        teacher.to(device)
        fresh = predict_logits(
            teacher, [encoded[i] for i in missing], batch_size=256 if device != "cpu" else 64, device=device, bf16=bf16
        )
        teacher.to("cpu")
        known.update({keys[i]: fresh[j] for j, i in enumerate(missing)})
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            temporary = cache.with_suffix(".tmp.npz")
            np.savez(temporary, keys=np.array(list(known)), logits=np.stack(list(known.values())).astype(np.float32))
            temporary.replace(cache)
    logits = np.stack([known[key] for key in keys]) if keys else np.zeros((0, labels.shape[1]), dtype=np.float32)
    return soft_targets(1.0 / (1.0 + np.exp(-logits)), labels, teacher_weight, human_only)
