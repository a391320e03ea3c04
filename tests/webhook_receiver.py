"""A webhook endpoint on loopback for tests: records every attempt and answers with a chosen status."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"


class Receiver:
    """Answers every POST with ``status`` (503 for the first ``fail_first`` ones). ``attempts`` holds every request's
    lower-cased headers and body; ``calls`` only those answered with success."""

    def __init__(self, status: int = 204) -> None:
        self.status = status
        self.fail_first = 0
        self.attempts: list[tuple[dict[str, str], bytes]] = []
        self.calls: list[tuple[dict[str, str], bytes]] = []
        received = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                headers = {k.lower(): v for k, v in self.headers.items()}
                body = self.rfile.read(int(self.headers["content-length"]))
                received.attempts.append((headers, body))
                status = received.status
                if received.fail_first > 0:
                    received.fail_first -= 1
                    status = 503
                if status < 300:
                    received.calls.append((headers, body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://{HOST}:{self.port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def bodies(self) -> list[bytes]:
        return [body for _, body in self.attempts]

    @property
    def hosts(self) -> list[str]:
        return [headers["host"] for headers, _ in self.attempts]

    def wait(self, count: int, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.calls) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.calls) >= count, f"{len(self.calls)} webhook calls arrived, expected {count}"

    def close(self) -> None:
        self.server.shutdown()
