"""Batch scoring throughput: comments/s for 1 process, N local processes and Ray (local), per model.

    make bench-batch                     # or: .venv/bin/python benchmarks/batch_bench.py --rows 20000

Builds a corpus of English comments from the evaluation splits in ../shared/data (Civil Comments' toxic test sample,
SBIC dev posts, DynaHate dev; never training rows), repeated to ``--rows`` rows, and scores it with `run_batch` in a
fresh subprocess per configuration (so model loading, process spawning and Ray start-up are paid each time, as in a
real run). Reported per configuration:

- ``end-to-end``: rows / wall seconds of the whole `run_batch` call (reading, model loading, workers, writing);
- ``steady``: rows / seconds between the first and the last progress report (models loaded, pipeline full);
- ``per CPU-second`` (1 process only): rows / CPU seconds that process spent between those reports, i.e. the
  throughput of one fully used core, which holds up on a machine that other work shares.

Rewrites only the ``## Batch scoring`` section of docs/benchmarks.md (creating the file if needed).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "benchmarks" / "batch_bench.results.json"  # raw numbers behind the doc's table
HEADING = "## Batch scoring"
ATTRIBUTES = ("TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT")


# ---------------------------------------------------------------------------------------------------------------
# corpus


def _column(path: Path, column: str) -> list[str]:
    csv.field_size_limit(2**31 - 1)
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        return [row[column].strip() for row in csv.DictReader(handle) if (row.get(column) or "").strip()]


def build_corpus(path: Path, rows: int, data: Path, seed: int = 7) -> dict[str, int]:
    sources = {
        "civil-comments test": _column(data / "civil-comments-toxic-sample" / "test_toxic.csv", "comment_text"),
        "sbic dev": _column(data / "sbic" / "SBIC.v2.agg.dev.csv", "post"),
        "dynahate dev": _column(data / "dynahate" / "dynahate_dev.csv", "text"),
    }
    texts = [text for found in sources.values() for text in found]
    random.Random(seed).shuffle(texts)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        for index in range(rows):
            writer.writerow([f"b{index:07d}", texts[index % len(texts)]])
    return {name: len(found) for name, found in sources.items()}


# ---------------------------------------------------------------------------------------------------------------
# one measurement, in a fresh process


def measure_one(args: argparse.Namespace) -> None:
    from civility.services.batch import BatchOptions, run_batch

    marks: list[tuple[int, float, float]] = []

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        return own.ru_utime + own.ru_stime

    def progress(done: int, total: int) -> None:
        marks.append((done, time.monotonic(), cpu()))

    options = BatchOptions(
        input=Path(args.input),
        output=Path(args.output),
        attributes=tuple(args.attribute),
        batch_size=args.batch_size,
        checkpoint_rows=args.checkpoint_rows,
        models_dir=Path(args.models_dir),
        restart=True,
    )
    started = time.monotonic()
    summary = run_batch(
        options, engine=args.engine, workers=args.workers, ray_address=args.ray_address or None, progress=progress
    )
    wall = time.monotonic() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    first, last = marks[0], marks[-1]
    steady_rows, steady_s = last[0] - first[0], last[1] - first[1]
    print(
        json.dumps(
            {
                "rows": summary.total_rows,
                "errors": summary.errors,
                "wall_s": wall,
                "end_to_end": summary.total_rows / wall,
                "steady": steady_rows / steady_s if steady_s > 0 else None,
                "per_cpu_s": steady_rows / (last[2] - first[2]) if last[2] > first[2] else None,
                "cpu_s": cpu() + children.ru_utime + children.ru_stime,
                "models": sorted({label for by in summary.plan.values() for label in by.values()}),
            }
        )
    )


def measure_api(args: argparse.Namespace) -> None:
    """What one comment per call costs on the API's path (analyze(): detection, scoring, optional storage), no HTTP."""
    from civility.config import Settings
    from civility.scoring.types import PRODUCTION_ATTRIBUTES
    from civility.services.analyze import AnalyzeRequest, AttributeRequest, analyze
    from civility.services.context import build_services

    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(database_url=f"sqlite:///{scratch}/bench.db", models_dir=Path(args.models_dir))
        services = build_services(settings)
        with open(args.input, newline="", encoding="utf-8") as handle:
            texts = [row["text"] for row in csv.DictReader(handle)][: args.api_rows]
        wanted = [AttributeRequest(name if args.pin is None else f"{name}@{args.pin}") for name in PRODUCTION_ATTRIBUTES]
        out = {}
        for store in (False, True):
            for text in texts[:20]:  # warm-up
                analyze(services, AnalyzeRequest(text=text, attributes=wanted, languages=("en",), do_not_store=True))
            before = resource.getrusage(resource.RUSAGE_SELF)
            for text in texts:
                analyze(services, AnalyzeRequest(text=text, attributes=wanted, languages=("en",), do_not_store=not store))
            after = resource.getrusage(resource.RUSAGE_SELF)
            spent = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            out["store" if store else "no_store"] = len(texts) / spent
        services.close()
    print(json.dumps(out))


def run_config(corpus: Path, out_dir: Path, models: Path, engine: str, workers: int, batch_size: int, attributes: list[str]) -> dict:
    output = out_dir / f"out-{engine}-{workers}.csv"
    command = [
        sys.executable, __file__, "--one", "--input", str(corpus), "--output", str(output), "--engine", engine,
        "--workers", str(workers), "--batch-size", str(batch_size), "--models-dir", str(models),
        *(["--ray-address", "local"] if engine == "ray" else []),
        *[item for attribute in attributes for item in ("--attribute", attribute)],
    ]  # fmt: skip
    env = {**os.environ, "RAY_DISABLE_USAGE_STATS": "1", "PYTHONWARNINGS": "ignore"}
    began = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{engine} x{workers} failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_s"] = time.monotonic() - began
    output.unlink(missing_ok=True)
    return result


# ---------------------------------------------------------------------------------------------------------------
# machine and report


def machine() -> dict[str, str]:
    info = report.machine()
    try:
        import ray

        info["ray"] = ray.__version__
    except ImportError:
        info["ray"] = "not installed"
    return info


MODEL_ORDER = ("linear", "cascade", "transformer")


def _row_order(result: dict) -> tuple:
    """Models in MODEL_ORDER, then per model: 1 process, local processes, Ray, the API path."""
    model = next((i for i, prefix in enumerate(MODEL_ORDER) if result["label"].startswith(prefix)), len(MODEL_ORDER))
    return (model, result["engine"] == "api", result["engine"], result["workers"])


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _folder(label: str) -> Path:
    """``linear-en@29`` -> models/linear-en-29."""
    name, version = label.split("@")
    return ROOT / "models" / f"{name}-{version}"


def model_sets(
    include_transformer: bool, transformer_dir: Path | None, transformer_rows: int, cascade_dir: Path
) -> list[tuple[str, list[Path], int, int, int | None]]:
    """(label, artifact folders, rows, batch size, version pin) for each model to bench: the served cascade (with the
    two models it calls, which must sit beside it; unpinned, as `civility batch` resolves it by default), its fast model
    alone and, unless left out, its transformer alone (pinned: a part may be a candidate, reached by its pin only)."""
    cascade = _manifest(cascade_dir)
    fast, accurate = _folder(cascade["fast"]), _folder(cascade["accurate"])
    found = [
        (f"linear ({fast.name})", [fast], 0, 256, _manifest(fast)["version"]),
        (f"cascade ({cascade_dir.name}, served)", [cascade_dir, fast, accurate], 0, 256, None),
    ]
    if include_transformer:
        folder = transformer_dir or accurate
        found.append((f"transformer ({folder.name}, ONNX int8)", [folder], transformer_rows, 32, _manifest(folder)["version"]))
    return found


def render(results: list[dict], info: dict[str, str], command: str, rows: int, sources: dict[str, int]) -> str:
    lines = [
        HEADING,
        "",
        f"`{command}` on {dt.date.today().isoformat()}: {info['cores']} cores ({info['cpu']}), {info['ram']} RAM, "
        f"Python {info['python']}, Ray {info['ray']}; load average at start {info['load']}.",
        "",
        f"Corpus: English evaluation rows ({', '.join(f'{n} {k}' for k, n in sources.items())}; no training rows), "
        f"repeated to {rows:,} rows (fewer for slow models, see the rows column), all six production attributes, "
        "CSV in and out, checkpoints every 4,096 rows. Each configuration runs in a fresh process, so model loading, "
        "worker spawning and Ray start-up are included in *end-to-end*; *steady* excludes them; *per CPU-second* is "
        "one fully busy core (rows per CPU-second of the single scoring process) and is the figure the capacity "
        "arithmetic in [deployment.md](deployment.md) uses.",
        "",
        "| model | engine | workers | rows | end-to-end comments/s | steady comments/s | per CPU-second | wall s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r["engine"] == "api":
            lines.append(
                f"| {r['label']} | {r['engine_label']} | 1 | {r['rows']:,} | – | – "
                f"| {r['api']['no_store']:,.0f} (doNotStore), {r['api']['store']:,.0f} (stored) | – |"
            )
            continue
        per_cpu = f"{r['per_cpu_s']:,.0f}" if r.get("per_cpu_s") and r["workers"] == 1 and r["engine"] == "local" else "–"
        # Ray hands results back in bursts per ordered block, so "first to last report" does not measure it.
        steady = f"{r['steady']:,.0f}" if r.get("steady") and r["engine"] != "ray" else "–"
        lines.append(
            f"| {r['label']} | {r['engine_label']} | {r['workers']} | {r['rows']:,} | {r['end_to_end']:,.0f} | {steady} "
            f"| {per_cpu} | {r['wall_s']:.1f} |"
        )
    lines += [
        "",
        "Loads at start per model: " + "; ".join(sorted({f"{r['label']}: {r['machine']['load']}" for r in results if r.get("machine")})) + ". "
        "The cascade row is what `civility batch` runs for English by default: the fast model answers the comments "
        "it is sure are clean and the transformer scores the rest. This corpus is mostly toxic or hateful "
        "(Civil Comments' toxic-only sample, SBIC, DynaHate), so the cascade sends most of it to the transformer and runs near the "
        "transformer's rate; on Wikipedia comments it sends a fifth to two fifths (`make bench`, \"Scoring speed\": a "
        "random sample, and the toxicity test set whose comments mostly name a social group; other corpora, so their "
        "rates are not comparable with these). Rows that run "
        "onnxruntime use its threads, whose spinning counts as CPU time, so their per CPU-second figure is a lower "
        "bound.",
        "",
        "Notes: the machine was shared with other work while measuring (see the load average), which depresses the "
        "wall-clock rates of the multi-worker rows most; per CPU-second is robust to that. Ray here is a private "
        "local cluster (`--ray-address local`, 300 MB object store) started inside the run; its fixed cost (about "
        "5–10 s for start-up and actor pool on two cores) only pays off on long backfills or many machines.",
        "",
    ]
    return "\n".join(lines)


def update_doc(section: str) -> None:
    report.replace_section(DOC, HEADING, section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="N for the local and Ray rows.")
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--no-transformer", action="store_true")
    parser.add_argument("--cascade-dir", type=Path, default=ROOT / "models" / "cascade-en-30", help="The served cascade.")
    parser.add_argument("--transformer-dir", type=Path, help="Transformer artifact to bench (default: the cascade's).")
    parser.add_argument("--transformer-rows", type=int, default=5000, help="Rows for the (slower) transformer.")
    parser.add_argument("--only", choices=("linear", "cascade", "transformer"), help="Measure one model; keep the others' stored rows.")
    parser.add_argument("--no-write", action="store_true", help="Print the section instead of updating the doc.")
    # one measurement (internal)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--one-api", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--render-only", action="store_true", help="Rewrite the doc section from the stored results.")
    parser.add_argument("--api-rows", type=int, default=1000)
    parser.add_argument("--input")
    parser.add_argument("--output")
    parser.add_argument("--engine", default="local")
    parser.add_argument("--ray-address", default="")
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--checkpoint-rows", type=int, default=4096)
    parser.add_argument("--models-dir")
    parser.add_argument("--attribute", action="append")
    parser.add_argument("--pin", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        measure_one(args)
        return
    if args.render_only:
        saved = json.loads(RESULTS.read_text())
        stored = sorted(saved["results"], key=_row_order)
        update_doc(render(stored, stored[0]["machine"], "make bench-batch", args.rows, saved.get("sources", {})))
        return
    if args.one_api:
        measure_api(args)
        return

    info = machine()
    results: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="civility-bench-") as scratch:
        work = Path(scratch)
        corpus = work / "corpus.csv"
        sources = build_corpus(corpus, args.rows, args.data_dir)
        sets = model_sets(not args.no_transformer, args.transformer_dir, args.transformer_rows, args.cascade_dir)
        for label, folders, rows, batch_size, pin in sets:
            if args.only and not label.startswith(args.only):
                continue
            models = work / f"models-{folders[0].name}"
            models.mkdir()
            for folder in folders:
                (models / folder.name).symlink_to(folder.resolve(), target_is_directory=True)
            source = corpus
            if rows:
                source = work / f"corpus-{rows}.csv"
                build_corpus(source, rows, args.data_dir)
            configs = [("local", 1), ("local", args.workers)] + ([] if args.no_ray else [("ray", args.workers)])
            for engine, workers in configs:
                print(f"{label}: {engine} x{workers} …", file=sys.stderr, flush=True)
                attributes = [a if pin is None else f"{a}@{pin}" for a in ATTRIBUTES]
                result = run_config(source, work, models, engine, workers, batch_size, attributes)
                result.update(label=label, engine=engine, workers=workers,
                              engine_label="Ray Data (local)" if engine == "ray" else "local processes" if workers > 1 else "1 process")  # fmt: skip
                print(json.dumps(result), file=sys.stderr, flush=True)
                results.append(result)
            print(f"{label}: API path …", file=sys.stderr, flush=True)
            api_rows = rows or args.api_rows
            command = [sys.executable, __file__, "--one-api", "--input", str(source), "--models-dir", str(models),
                       "--api-rows", str(api_rows), *(["--pin", str(pin)] if pin is not None else [])]  # fmt: skip
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
            if done.returncode != 0:
                raise SystemExit(f"API path failed:\n{done.stderr[-4000:]}")
            api = json.loads(done.stdout.strip().splitlines()[-1])
            results.append({"label": label, "engine": "api", "engine_label": "API path, 1 comment per call", "workers": 1,
                            "rows": api_rows, "api": api})  # fmt: skip
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() and args.only else {"results": []}
    kept = [r for r in stored["results"] if not r["label"].startswith(args.only or "")] if args.only else []
    results = sorted(kept + results, key=_row_order)
    for r in results:
        r.setdefault("machine", info)
    command = "make bench-batch" + (f" (then --only {args.only})" if args.only else "")
    section = render(results, info, command, args.rows, sources)
    if not args.no_write:
        RESULTS.write_text(json.dumps({"sources": sources, "results": results}, indent=1) + "\n", encoding="utf-8")
    if args.no_write:
        print(section)
    else:
        update_doc(section)
        print(section)


if __name__ == "__main__":
    main()
