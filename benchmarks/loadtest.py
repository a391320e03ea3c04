"""Load test of `civility serve` on loopback: a sustained run and an overload run, bounded in requests and time.

Starts the real server (several worker processes, a fresh SQLite database), drives it with an asyncio HTTP client on
the same machine, and writes throughput, p50/p99 latency and status counts to docs/benchmarks.md (section
"Load test"). The load generator shares the machine's cores with the server, which the report says.

    python benchmarks/loadtest.py --workers 2 --duration 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PAGE = json.loads((ROOT / "examples" / "reference-page.json").read_text(encoding="utf-8"))
TEXTS = [c["text"] for c in PAGE["comments"]] + [
    "Thanks for covering this, the council never explains its budget decisions.",
    "This is the worst reporting I have read all year. Do your homework.",
    "Does anyone know when the bridge reopens?",
    "You people will believe anything the government tells you.",
    "Great photos, my grandfather used to work at that factory.",
    "What a load of rubbish, shut up already",
    "The minister should resign over this. Shameful.",
    "I lived there for ten years and the article gets the history right.",
]


@dataclass
class Run:
    name: str
    concurrency: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0

    def row(self) -> str:
        ok = sorted(self.latencies)
        total = sum(self.statuses.values())
        p50 = statistics.median(ok) * 1000 if ok else float("nan")
        p99 = ok[min(len(ok) - 1, int(len(ok) * 0.99))] * 1000 if ok else float("nan")
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return (
            f"| {self.name} | {self.concurrency} | {total} | {len(ok) / self.elapsed:.1f} | {p50:.1f} | {p99:.1f} | {codes} |"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(workdir: Path, workers: int, env_extra: dict[str, str]) -> tuple[subprocess.Popen[bytes], str, str]:
    port = free_port()
    env = {
        **os.environ,
        "CIVILITY_DATABASE_URL": f"sqlite:///{workdir / 'load.db'}",
        "CIVILITY_LOCAL_KEY_FILE": str(workdir / "key"),
        "CIVILITY_LOCAL_ADMIN_FILE": str(workdir / "admin"),
        "CIVILITY_LOAD_DEMO": "false",
        **env_extra,
    }
    command = [sys.executable, "-m", "civility", "serve", "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=workdir)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    else:
        process.kill()
        raise SystemExit("server did not become ready")
    time.sleep(1.0 * workers)  # let every worker finish loading
    return process, url, (workdir / "key").read_text().strip()


async def drive(url: str, key: str, run: Run, max_requests: int) -> None:
    stop_at = time.monotonic() + run.seconds
    sent = 0
    limits = httpx.Limits(max_connections=run.concurrency, max_keepalive_connections=run.concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:

        async def worker(index: int) -> None:
            nonlocal sent
            n = index
            while time.monotonic() < stop_at and sent < max_requests:
                sent += 1
                n += run.concurrency
                body = {"comment": {"text": TEXTS[n % len(TEXTS)]}, "requestedAttributes": {"TOXICITY": {}, "THREAT": {}, "INSULT": {}},
                        "languages": ["en"], "doNotStore": n % 2 == 0}
                started = time.perf_counter()
                try:
                    response = await client.post(f"/v1alpha1/comments:analyze?key={key}", json=body)
                    status = str(response.status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                if status == "200":
                    run.latencies.append(time.perf_counter() - started)
                run.statuses[status] += 1

        began = time.monotonic()
        await asyncio.gather(*(worker(i) for i in range(run.concurrency)))
        run.elapsed = time.monotonic() - began


def write_report(path: Path, rows: list[str], workers: int, command: str) -> None:
    info = report.machine()
    models = ", ".join(sorted(p.name for p in (ROOT / "models").iterdir() if (p / "manifest.json").exists()))
    section = "\n".join(
        [
            "## Load test",
            "",
            f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: {info['cores']} cores ({info['cpu']}), {info['ram']} RAM, load average before: {info['load']}.",
            f"- Command: `{command}`; server: `civility serve --workers {workers}`, SQLite (WAL), models: {models}.",
            "- Requests: `comments:analyze` for TOXICITY, THREAT and INSULT on realistic news comments (half with doNotStore).",
            "- The load generator runs on the same 2 cores as the server, so these are lower bounds for the server alone.",
            "- Latency is measured on 200 answers only; refused requests (429/503) are answered at once by design.",
            "",
            "| run | concurrency | requests | ok/s | p50 ms | p99 ms | statuses |",
            "|---|---:|---:|---:|---:|---:|---|",
            *rows,
            "",
        ]
    )
    report.replace_section(path, "## Load test", section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per run")
    parser.add_argument("--max-requests", type=int, default=50_000, help="cap per run")
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        # Sustained: moderate concurrency, no rate limit in the way.
        process, url, key = start_server(Path(tmp), args.workers, {"CIVILITY_RATE_LIMIT_QPS": "1000000", "CIVILITY_RATE_LIMIT_BURST": "1000000"})
        try:
            for name, concurrency in (("sustained", 8),):
                run = Run(name, concurrency, args.duration)
                asyncio.run(drive(url, key, run, args.max_requests))
                rows.append(run.row())
                print(rows[-1], flush=True)
        finally:
            process.terminate()
            process.wait(30)
    with tempfile.TemporaryDirectory() as tmp:
        # Overload: far more concurrent clients than the workers admit, and a per-key limit below the offered rate.
        env = {"CIVILITY_MAX_INFLIGHT_REQUESTS": "8", "CIVILITY_RATE_LIMIT_QPS": "200", "CIVILITY_RATE_LIMIT_BURST": "200"}
        process, url, key = start_server(Path(tmp), args.workers, env)
        try:
            run = Run("overload (max 8 in flight per worker, key limited to 200/s)", 128, args.duration)
            asyncio.run(drive(url, key, run, args.max_requests))
            rows.append(run.row())
            print(rows[-1], flush=True)
            alive = httpx.get(url + "/readyz", timeout=5).status_code
            print(f"server ready after overload: {alive == 200}", flush=True)
        finally:
            process.terminate()
            process.wait(30)
    command = "make loadtest"
    write_report(args.report, rows, args.workers, command)


if __name__ == "__main__":
    main()
