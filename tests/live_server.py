"""Start the real `civility serve` in a subprocess on a free loopback port, as a user would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass(frozen=True)
class LiveServer:
    url: str
    key: str
    database: Path
    process: subprocess.Popen[bytes]
    admin_password: str = ""  # the dashboard password `civility serve` printed for user `admin` (first start)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(workdir: Path, extra_env: dict[str, str] | None = None, timeout: float = 60.0) -> Iterator[LiveServer]:
    port = free_port()
    database = workdir / "live.db"
    key_file = workdir / "local-api-key"
    admin_file = workdir / "local-admin-password"
    env = {
        **os.environ,
        "CIVILITY_DATABASE_URL": f"sqlite:///{database}",
        "CIVILITY_PORT": str(port),
        "CIVILITY_HOST": "127.0.0.1",
        "CIVILITY_LOCAL_KEY_FILE": str(key_file),
        "CIVILITY_LOCAL_ADMIN_FILE": str(admin_file),
        **(extra_env or {}),
    }
    key_file, admin_file = Path(env["CIVILITY_LOCAL_KEY_FILE"]), Path(env["CIVILITY_LOCAL_ADMIN_FILE"])
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "civility", "serve", "--log-level", "warning"], env=env, stdout=log, stderr=log, cwd=workdir
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {(workdir / 'server.log').read_text()[-2000:]}")
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not become healthy in time")
            time.sleep(0.2)
        admin = admin_file.read_text().strip() if admin_file.exists() else ""
        yield LiveServer(url, key_file.read_text().strip(), database, process, admin)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
