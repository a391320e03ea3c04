"""`civility batch`: formats, ids, errors, resume after SIGKILL, local processes and a real local Ray head."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from civility.cli import app
from civility.config import PROJECT_ROOT
from civility.scoring.registry import ModelRegistry
from civility.scoring.types import PRODUCTION_ATTRIBUTES
from civility.services.batch import BatchError, BatchOptions, checkpoint_path, read_output, run_batch

MODELS = PROJECT_ROOT / "models"
CIVILITY = [sys.executable, "-m", "civility"]


@pytest.fixture(scope="module")
def linear_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Only the English linear model: fast, and no model for other languages whatever else gets committed."""
    folder = tmp_path_factory.mktemp("models")
    (folder / "linear-en-1").symlink_to(MODELS / "linear-en-1", target_is_directory=True)
    return folder

PHRASES = [
    "Thanks for the careful reporting on the council budget.",
    "you are a stupid idiot and everyone knows it",
    "I disagree with the author, the numbers do not add up.",
    "Shut up, moron. Nobody asked for your garbage opinion.",
    "Great article! My grandmother lived on that street in the 1950s.",
    "people like you should be thrown out of this country",
    "What a load of crap, this paper has gone downhill.",
    "I will find you and you will regret writing this.",
    "Could the reporter clarify where the 12% figure comes from?",
    "The mayor is a lying piece of garbage and a disgrace.",
]


def texts(n: int) -> list[str]:
    return [f"{PHRASES[i % len(PHRASES)]} (comment {i})" for i in range(n)]


def corpus(n: int = 300) -> list[dict[str, Any]]:
    """Rows with string ids, plus bad rows: empty, blank, missing and oversize text."""
    rows: list[dict[str, Any]] = [{"id": f"c{i:04d}", "text": text} for i, text in enumerate(texts(n))]
    rows[7]["text"] = ""
    rows[11]["text"] = "   \n "
    rows[13]["text"] = None
    rows[17]["text"] = "x " * 15000  # 30 000 bytes > max_comment_bytes
    return rows


def write_input(path: Path, rows: list[dict[str, Any]]) -> Path:
    suffix = path.suffix
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text", "other"])
            for row in rows:
                writer.writerow([row["id"], row["text"] or "", "x"])
    elif suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                record = {k: v for k, v in row.items() if not (k == "text" and v is None)}
                handle.write(json.dumps(record) + "\n")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({"id": [r["id"] for r in rows], "text": [r["text"] for r in rows]})
        pq.write_table(table, path, row_group_size=64)
    return path


def options(src: Path, dst: Path, models: Path = MODELS, **extra: Any) -> BatchOptions:
    return BatchOptions(input=src, output=dst, models_dir=models, **extra)


def by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(r["id"]): r for r in records}


def score_of(value: Any) -> float | None:
    return None if value in (None, "") else float(value)


def same_scores(a: list[dict[str, Any]], b: list[dict[str, Any]], tol: float = 1e-9) -> None:
    assert [str(r["id"]) for r in a] == [str(r["id"]) for r in b]
    for x, y in zip(a, b):
        for attribute in PRODUCTION_ATTRIBUTES:
            sx, sy = score_of(x[attribute]), score_of(y[attribute])
            assert (sx is None) == (sy is None), (x["id"], attribute)
            if sx is not None:
                assert abs(sx - sy) <= tol, (x["id"], attribute, sx, sy)  # type: ignore[operator]
        assert (x["error"] or None) == (y["error"] or None)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_round_trip_scores_equal_direct_predictions(tmp_path: Path, registry: ModelRegistry, suffix: str) -> None:
    rows = corpus()
    src = write_input(tmp_path / f"in{suffix}", rows)
    dst = tmp_path / f"out{suffix}"
    summary = run_batch(options(src, dst, batch_size=32, checkpoint_rows=64))
    assert summary.total_rows == len(rows) and summary.errors == 4
    out = read_output(dst)
    assert [str(r["id"]) for r in out] == [r["id"] for r in rows]
    assert [int(r["row"]) for r in out] == list(range(len(rows)))

    # Whatever the registry resolves (the newest model per attribute), fed the same batches (bad rows left out).
    good = [i for i, r in enumerate(rows) if r["text"] and r["text"].strip() and len(r["text"]) < 20000]
    expected: dict[str, dict[int, float]] = {a: {} for a in PRODUCTION_ATTRIBUTES}
    for start in range(0, len(rows), 32):
        batch = [i for i in good if start <= i < start + 32]
        for attribute in PRODUCTION_ATTRIBUTES:
            resolved = registry.resolve(attribute, "en")
            assert resolved is not None
            values = resolved.scorer.predict_proba([rows[i]["text"] for i in batch])[:, resolved.column]
            expected[attribute].update(zip(batch, values.tolist()))
    for i in good:
        record = out[i]
        assert not record["error"]
        assert record["language"] == "en" and "@" in record["models"]
        for attribute in PRODUCTION_ATTRIBUTES:
            assert abs(float(record[attribute]) - expected[attribute][i]) < 1e-9

    errors = {str(r["id"]): r["error"] for r in out if r["error"]}
    assert errors["c0007"].startswith("COMMENT_EMPTY") and errors["c0011"].startswith("COMMENT_EMPTY")
    assert errors["c0013"].startswith("COMMENT_EMPTY") and errors["c0017"].startswith("COMMENT_TOO_LONG")
    assert all(score_of(out[17][a]) is None for a in PRODUCTION_ATTRIBUTES)
    assert json.loads(checkpoint_path(dst).read_text())["complete"] is True


def test_formats_convert_and_agree(tmp_path: Path, linear_en: Path) -> None:
    rows = corpus(120)
    src = write_input(tmp_path / "in.jsonl", rows)
    for suffix in (".csv", ".jsonl", ".parquet"):
        run_batch(options(src, tmp_path / f"out{suffix}", linear_en, batch_size=50))
    same_scores(read_output(tmp_path / "out.csv"), read_output(tmp_path / "out.parquet"))
    same_scores(read_output(tmp_path / "out.jsonl"), read_output(tmp_path / "out.parquet"))


def test_bad_lines_and_missing_ids_never_crash(tmp_path: Path, linear_en: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        '{"text": "a perfectly fine comment"}\n'
        "not json at all\n"
        "\n"
        '["a", "list"]\n'
        '{"text": {"nested": 1}}\n'
        '{"text": 42, "id": 9}\n',
        encoding="utf-8",
    )
    dst = tmp_path / "out.jsonl"
    summary = run_batch(options(src, dst, linear_en, attributes=("TOXICITY",)))
    out = read_output(dst)
    assert summary.total_rows == 5 and [r["row"] for r in out] == [0, 1, 2, 3, 4]
    assert [r["id"] for r in out] == [0, 1, 2, 3, 9]  # the row number where there is no id
    assert out[0]["TOXICITY"] is not None and out[0]["error"] is None
    assert out[1]["error"].startswith("INVALID_JSON") and out[2]["error"].startswith("INVALID_ROW")
    assert out[3]["error"].startswith("INVALID_TEXT")
    assert out[4]["error"] is None and out[4]["TOXICITY"] is not None
    assert set(out[0]) == {"id", "row", "TOXICITY", "language", "models", "error"}


def test_refuses_a_wrong_column_a_changed_input_and_an_unowned_output(tmp_path: Path, linear_en: Path) -> None:
    src = write_input(tmp_path / "in.csv", corpus(50))
    dst = tmp_path / "out.csv"
    with pytest.raises(BatchError, match="no column 'body'"):
        run_batch(options(src, dst, linear_en, text_column="body"))
    with pytest.raises(BatchError, match="no model serves"):
        run_batch(options(src, dst, linear_en, attributes=("TOXICITY@99",)))
    assert not dst.exists()
    run_batch(options(src, dst, linear_en))
    assert run_batch(options(src, dst, linear_en)).already_complete
    with src.open("a", encoding="utf-8") as handle:
        handle.write("late,one more comment,x\n")
    with pytest.raises(BatchError, match="changed"):
        run_batch(options(src, dst, linear_en))
    checkpoint_path(dst).unlink()
    with pytest.raises(BatchError, match="no checkpoint"):
        run_batch(options(src, dst, linear_en))
    assert run_batch(options(src, dst, linear_en, restart=True)).total_rows == 51


class Interrupt(Exception):
    pass


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_resume_after_an_interruption_mid_write(tmp_path: Path, linear_en: Path, suffix: str) -> None:
    rows = corpus(400)
    src = write_input(tmp_path / f"in{suffix}", rows)
    clean = tmp_path / f"clean{suffix}"
    run_batch(options(src, clean, linear_en, batch_size=16))
    dst = tmp_path / f"out{suffix}"

    def stop(done: int, total: int) -> None:
        if done >= 150:
            raise Interrupt

    with pytest.raises(Interrupt):
        run_batch(options(src, dst, linear_en, batch_size=16, checkpoint_rows=40), progress=stop)
    state = json.loads(checkpoint_path(dst).read_text())
    assert 0 < state["rows_done"] < 400 and not state["complete"]
    if suffix != ".parquet":  # rows written after the checkpoint, and half a line, as a crash leaves them
        with dst.open("a", encoding="utf-8") as handle:
            handle.write('c0999,"half a ro')
    else:
        (dst.with_name(dst.name + ".parts") / "part-999999.parquet").write_bytes(b"PAR1 torn")
    summary = run_batch(options(src, dst, linear_en, batch_size=16, checkpoint_rows=40))
    assert summary.resumed_from == state["rows_done"] and summary.total_rows == 400
    same_scores(read_output(dst), read_output(clean))
    assert not dst.with_name(dst.name + ".parts").exists()


def test_resume_after_sigkill(tmp_path: Path, linear_en: Path) -> None:
    n = 3000
    rows = [{"id": f"k{i}", "text": text} for i, text in enumerate(texts(n))]
    src = write_input(tmp_path / "in.csv", rows)
    dst = tmp_path / "out.csv"
    args = [*CIVILITY, "batch", str(src), str(dst), "-q", "-a", "TOXICITY", "-a", "INSULT", "--batch-size", "8",
            "--checkpoint-every", "16"]  # fmt: skip
    env = {**os.environ, "CIVILITY_MODELS_DIR": str(linear_en)}
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    progress = checkpoint_path(dst)
    killed_at = None
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        try:
            done = json.loads(progress.read_text())["rows_done"]
        except (OSError, ValueError, KeyError):
            done = 0
        if done >= 200:
            process.send_signal(signal.SIGKILL)
            killed_at = done
            break
        time.sleep(0.01)
    process.wait(timeout=30)
    assert killed_at is not None, "the run finished before it could be killed"
    assert json.loads(progress.read_text())["rows_done"] < n

    # Batch size and checkpoint interval may change between a run and its resumption.
    args[args.index("--batch-size") + 1], args[args.index("--checkpoint-every") + 1] = "256", "1024"
    resumed = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    out = read_output(dst)
    assert [r["id"] for r in out] == [r["id"] for r in rows]  # each id exactly once, in order
    clean = tmp_path / "clean.csv"
    run_batch(options(src, clean, linear_en, attributes=("TOXICITY", "INSULT")))
    assert out == read_output(clean)


def test_two_local_processes_equal_one(tmp_path: Path, linear_en: Path) -> None:
    src = write_input(tmp_path / "in.parquet", corpus(300))
    run_batch(options(src, tmp_path / "one.jsonl", linear_en, batch_size=32))
    run_batch(options(src, tmp_path / "two.jsonl", linear_en, batch_size=32, checkpoint_rows=50), workers=2)
    assert read_output(tmp_path / "one.jsonl") == read_output(tmp_path / "two.jsonl")


def test_detected_languages_without_a_model_are_row_errors(tmp_path: Path, linear_en: Path) -> None:
    rows = [
        {"id": "en", "text": "You are a complete idiot and your article is garbage."},
        {"id": "de", "text": "Das ist ein sehr guter Artikel über die Stadtverwaltung und ihre Finanzen."},
    ]
    src = write_input(tmp_path / "in.jsonl", rows)
    dst = tmp_path / "out.jsonl"
    run_batch(options(src, dst, linear_en, detect_language=True, attributes=("TOXICITY",)))
    out = by_id(read_output(dst))
    assert out["en"]["language"] == "en" and out["en"]["TOXICITY"] > 0.5 and out["en"]["error"] is None
    assert out["de"]["language"] == "de" and out["de"]["TOXICITY"] is None
    assert "LANGUAGE_NOT_SUPPORTED" in out["de"]["error"]


def test_cli(tmp_path: Path, linear_en: Path) -> None:
    src = write_input(tmp_path / "in.csv", corpus(60))
    dst = tmp_path / "out.parquet"
    env = {"CIVILITY_MODELS_DIR": str(linear_en)}
    result = CliRunner().invoke(app, ["batch", str(src), str(dst), "-a", "TOXICITY", "--batch-size", "16"], env=env)
    assert result.exit_code == 0, result.output
    assert "60 rows" in result.output and "comments/s" in result.output
    out = read_output(dst)
    assert len(out) == 60 and out[0]["id"] == "c0000" and out[0]["models"] == "linear-en@1"
    again = CliRunner().invoke(app, ["batch", str(src), str(dst), "-a", "TOXICITY"], env=env)
    assert again.exit_code == 0 and "already complete" in again.output
    wrong = CliRunner().invoke(app, ["batch", str(src), str(tmp_path / "x.csv"), "-t", "body"], env=env)
    assert wrong.exit_code == 2 and "no column 'body'" in wrong.output


# ------------------------------------------------------------------------------------------------------------------
# Ray: a real head on loopback, started for this module and stopped after it


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def ray_head() -> Iterator[tuple[str, dict[str, str]]]:
    pytest.importorskip("ray.data")
    ray_cli = Path(sys.executable).with_name("ray")
    if not ray_cli.exists():
        pytest.skip("the ray command is not installed")
    port = _free_port()
    temp_dir = tempfile.mkdtemp(prefix="rt")  # short: Ray's socket paths must fit in 107 bytes
    command = [
        str(ray_cli), "start", "--head", "--block", "--node-ip-address=127.0.0.1", f"--port={port}", "--num-cpus=2",
        "--include-dashboard=false", f"--dashboard-port={_free_port()}",
        f"--dashboard-agent-listen-port={_free_port()}", "--object-store-memory=200000000", "--disable-usage-stats",
        f"--temp-dir={temp_dir}",
    ]  # fmt: skip
    env = {
        **os.environ,
        "RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S": "0",  # stop at once on SIGTERM (no 30 s drain)
        # Token auth with a token of our own (Ray ≥ 2.5x otherwise picks up ~/.ray/auth_token, if some earlier local
        # cluster left one, on one side only); older Ray ignores these.
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": uuid.uuid4().hex,
    }
    head = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    address = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if head.poll() is not None:
                pytest.fail(f"ray start failed: {head.stderr.read() if head.stderr else ''}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the Ray head did not open its port within 60 s")
                time.sleep(0.5)
        yield address, env
    finally:
        head.send_signal(signal.SIGTERM)  # `ray start --block` drains and stops the processes it started
        try:
            head.wait(timeout=45)
        except subprocess.TimeoutExpired:
            head.kill()
            head.wait()
        shutil.rmtree(temp_dir, ignore_errors=True)


@pytest.mark.ray
def test_ray_engine_equals_local(tmp_path: Path, linear_en: Path, ray_head: tuple[str, dict[str, str]]) -> None:
    address, ray_env = ray_head
    src = write_input(tmp_path / "in.csv", corpus(400))
    local = tmp_path / "local.jsonl"
    run_batch(options(src, local, linear_en, batch_size=64))
    dst = tmp_path / "ray.jsonl"
    args = [*CIVILITY, "batch", str(src), str(dst), "-q", "--engine", "ray", "--ray-address", address,
            "--workers", "2", "--batch-size", "64"]  # fmt: skip
    env = {**ray_env, "CIVILITY_MODELS_DIR": str(linear_en)}
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    same_scores(read_output(dst), read_output(local), tol=1e-12)
    assert read_output(dst) == read_output(local)


def _copy_as_version(src: Path, dst: Path, version: int) -> None:
    from civility.scoring.artifact import write_checksums

    shutil.copytree(src, dst)
    manifest = json.loads((dst / "manifest.json").read_text())
    manifest["version"] = version
    (dst / "manifest.json").write_text(json.dumps(manifest))
    write_checksums(dst)


def test_a_resumed_run_keeps_its_model_versions(tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / "linear-en-1").symlink_to(MODELS / "linear-en-1", target_is_directory=True)
    src = write_input(tmp_path / "in.jsonl", corpus(200))
    dst = tmp_path / "out.jsonl"

    def stop(done: int, total: int) -> None:
        if done >= 100:
            raise Interrupt

    with pytest.raises(Interrupt):
        run_batch(options(src, dst, models, batch_size=20, checkpoint_rows=20, attributes=("TOXICITY",)), progress=stop)
    _copy_as_version(MODELS / "linear-en-1", models / "linear-en-9", 9)  # a newer model lands mid-run
    run_batch(options(src, dst, models, batch_size=20, attributes=("TOXICITY",)))
    assert {r["models"] for r in read_output(dst) if not r["error"]} == {"linear-en@1"}

    fresh = tmp_path / "fresh.jsonl"
    run_batch(options(src, fresh, models, attributes=("TOXICITY",)))
    assert {r["models"] for r in read_output(fresh) if not r["error"]} == {"linear-en@9"}
    pinned = tmp_path / "pinned.jsonl"
    run_batch(options(src, pinned, models, attributes=("TOXICITY",), model_version=1))
    assert {r["models"] for r in read_output(pinned) if not r["error"]} == {"linear-en@1"}


def test_detected_languages_are_scored_by_their_own_models(tmp_path: Path, registry: ModelRegistry) -> None:
    german = registry.resolve("TOXICITY", "de")
    if german is None:
        pytest.skip("no German model committed")
    rows = [
        {"id": "en", "text": "You are a complete idiot and your article is garbage."},
        {"id": "de", "text": "Das ist ein sehr guter Artikel über die Stadtverwaltung und ihre Finanzen."},
    ]
    src = write_input(tmp_path / "in.jsonl", rows)
    dst = tmp_path / "out.jsonl"
    run_batch(options(src, dst, detect_language=True, attributes=("TOXICITY",)))
    out = by_id(read_output(dst))
    assert out["de"]["language"] == "de" and out["de"]["models"] == german.scorer.info.label
    expected = german.scorer.predict_proba([rows[1]["text"]])[0, german.column]
    assert abs(out["de"]["TOXICITY"] - expected) < 1e-9 and out["de"]["error"] is None
    assert out["en"]["language"] == "en" and out["en"]["error"] is None
