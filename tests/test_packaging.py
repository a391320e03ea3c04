"""A production install (`pip install .`, core dependencies only) carries everything the server reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_holds_runtime_files_and_declares_runtime_dependencies(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("civility-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "civility"
    needed = [
        *package.glob("web/templates/*.html"),
        *package.glob("web/static/*"),
        *package.glob("storage/migrations/versions/*.py"),
        *package.glob("evaluation/suites/*.jsonl"),
    ]
    assert needed
    missing = [str(p.relative_to(ROOT)) for p in needed if str(p.relative_to(ROOT)) not in names]
    assert not missing, missing
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    message = Parser().parsestr(zipfile.ZipFile(wheel).read(metadata).decode())
    core = {r.split(";")[0].split(">")[0].split("=")[0].split("[")[0].strip().lower() for r in message.get_all("Requires-Dist") if "extra ==" not in r}
    # The server imports these at start-up (httpx: `civility serve` loads the demo page through the API).
    assert {"fastapi", "uvicorn", "sqlalchemy", "alembic", "onnxruntime", "tokenizers", "httpx", "jinja2"} <= core
    # Training and test tooling never becomes a production dependency.
    assert not core & {"torch", "transformers", "pytest", "pandas", "ray"}
