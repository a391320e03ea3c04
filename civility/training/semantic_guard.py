"""A semantic guard between the written training frames and the texts we judge the model on.

Why: the lexical guard in :mod:`civility.training.written_cases` (shared five-word runs, word-trigram Jaccard) misses
paraphrases. "ARMENIANS ARE CHEATS, NEVER TRUST THEM" shares no trigram with the reference page's "ARMENIANS NEVER
TRUST BOTH OF THEM", yet all-MiniLM-L6-v2 puts them at cosine 0.86: training on it teaches the page's answer.
This guard embeds every written draft and every guarded text (the contrast suite, the reference page whole and by
sentence, and the held-out criticism sentences in ``examples/``) with all-MiniLM-L6-v2 and drops a draft whose
cosine to any of them reaches a threshold.

The embedding needs torch (training extras only), so the drafts it drops are written to
``civility/training/written_near.txt`` (one SHA-256 of the draft per line), which :func:`written_cases.records` reads
without torch. Rebuild after changing the frames or the guarded texts::

    python -m civility.training.semantic_guard --write

and a test (training extras installed) checks that the committed list equals a fresh computation.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

NEAR_FILE = Path(__file__).resolve().parent / "written_near.txt"
HELD_OUT_CRITICISM = Path(__file__).resolve().parents[2] / "examples" / "government-criticism.json"
# Cosine at or above which a draft counts as a paraphrase of a guarded text. Measured on the drafts: the page's
# all-caps frame reaches 0.86 against c2; distinct sentences of one frame family sit at 0.5–0.7 to suite cases.
PAGE_THRESHOLD = 0.7  # the reference page and the held-out criticism: the product's own acceptance cases
SUITE_THRESHOLD = 0.85  # the contrast suite: shares categories with the frames by design, so only near-paraphrases


def draft_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def held_out_criticism(path: Path = HELD_OUT_CRITICISM) -> list[str]:
    """Harsh criticism of governments written for the acceptance tests (never trained on)."""
    if not path.exists():
        return []
    return list(json.loads(path.read_text(encoding="utf-8")))


def load_near(path: Path = NEAR_FILE) -> frozenset[str]:
    if not path.exists():
        return frozenset()
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def _encoder():
    """all-MiniLM-L6-v2's tokenizer and model, loaded once per guard run."""
    from transformers import AutoModel, AutoTokenizer

    from civility.training.finetune import base_model_dir

    folder = str(base_model_dir())
    return AutoTokenizer.from_pretrained(folder, local_files_only=True), AutoModel.from_pretrained(folder, local_files_only=True).eval()


def embed(texts: Sequence[str], batch_size: int = 64, encoder=None) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Unit-length all-MiniLM-L6-v2 sentence embeddings (mean pooling, as the model was trained)."""
    import torch

    tokenizer, model = encoder if encoder is not None else _encoder()
    out = np.zeros((len(texts), model.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(texts), batch_size):
            batch = tokenizer(
                list(texts[start : start + batch_size]), padding=True, truncation=True, max_length=256, return_tensors="pt"
            )
            hidden = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            out[start : start + len(pooled)] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
    return out


@dataclass(frozen=True)
class Nearest:
    draft: str
    cosine: float
    guarded: str


def _nearest(drafts: Sequence[str], a: np.ndarray, guarded: Sequence[str], b: np.ndarray) -> list[Nearest]:
    out: list[Nearest] = []
    for start in range(0, len(drafts), 2048):
        sims = a[start : start + 2048] @ b.T
        best = sims.argmax(axis=1)
        for row, column in enumerate(best):
            out.append(Nearest(drafts[start + row], float(sims[row, column]), guarded[column]))
    return out


def nearest(drafts: Sequence[str], guarded: Sequence[str]) -> list[Nearest]:
    """For each draft, its most similar guarded text and their cosine."""
    if not drafts or not guarded:
        return []
    encoder = _encoder()
    return _nearest(drafts, embed(drafts, encoder=encoder), guarded, embed(guarded, encoder=encoder))


def too_near(drafts: Sequence[str]) -> list[Nearest]:
    """The drafts the guard drops, with the guarded text each is nearest to (each text embedded once)."""
    from civility.training.written_cases import reference_page_texts, suite_texts

    if not drafts:
        return []
    page_texts, suite = reference_page_texts() + held_out_criticism(), suite_texts()
    encoder = _encoder()
    vectors = embed(drafts, encoder=encoder)
    dropped: dict[str, Nearest] = {}
    for guarded, threshold in ((page_texts, PAGE_THRESHOLD), (suite, SUITE_THRESHOLD)):
        if not guarded:
            continue
        for n in _nearest(drafts, vectors, guarded, embed(guarded, encoder=encoder)):
            if n.cosine >= threshold and n.draft not in dropped:
                dropped[n.draft] = n
    return [dropped[d] for d in drafts if d in dropped]


def main(argv: Sequence[str] | None = None) -> None:
    from civility.training.written_cases import drafts

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {NEAR_FILE.name} (else only report)")
    args = parser.parse_args(argv)
    texts = [text for _, text in drafts(blind=True, balance=True)]  # every frame: a superset serves every choice
    near = too_near(texts)
    for n in near:
        print(f"{n.cosine:.3f}\t{n.draft}\t<- {n.guarded}")
    print(f"{len(near)} of {len(texts)} drafts are near a guarded text")
    if args.write:
        NEAR_FILE.write_text("".join(sorted(draft_key(n.draft) + "\n" for n in near)), encoding="utf-8")


if __name__ == "__main__":
    main()
