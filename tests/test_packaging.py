"""A production install (`pip install .`, core dependencies only) carries everything the server reads at run time; `make
serve` installs only that, `make test` adds the dev extra, and constraints.txt pins what both install."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from email.parser import Parser
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

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


def _name(requirement: str) -> str:
    """PEP 503's normalised name of a requirement or a pin (``psycopg[binary]>=3.1`` -> ``psycopg``)."""
    return re.sub(r"[-_.]+", "-", Requirement(requirement).name).lower()


def _pins() -> dict[str, str]:
    lines = [line.strip() for line in (ROOT / "constraints.txt").read_text().splitlines()]
    pins = {}
    for line in lines:
        if line and not line.startswith("#"):
            assert "==" in line and ";" not in line and "@" not in line, f"not an exact pin: {line}"
            pins[_name(line)] = line.split("==", 1)[1]
    return pins


def test_constraints_pin_every_declared_runtime_and_dev_dependency_exactly() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in [*project["dependencies"], *project["optional-dependencies"]["dev"]]}
    pins = _pins()
    assert not declared - set(pins), sorted(declared - set(pins))
    assert "civility" not in pins  # the project itself is installed from the tree, never pinned


def test_constraints_pin_everything_the_dev_install_pulls_in() -> None:
    """The whole closure of ``civility[dev]`` as installed here, not only the names pyproject.toml declares."""
    pins = _pins()
    seen: set[str] = set()
    todo = [(r, "dev") for r in metadata.requires("civility") or []]
    while todo:
        text, extra = todo.pop()
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = _name(text)
        if name in seen:
            continue
        seen.add(name)
        for wanted in sorted(requirement.extras) or [""]:
            todo.extend((r, wanted) for r in metadata.requires(name) or [])
    assert not seen - set(pins), sorted(seen - set(pins))


def _dry_run(target: str, venv: Path) -> list[str]:
    """The pip commands `make TARGET` would run with ``venv`` as the virtual environment (make -n runs nothing)."""
    done = subprocess.run(["make", "-n", target, f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if "pip install" in line and "--upgrade pip" not in line]


def test_make_serve_installs_runtime_only_and_make_test_adds_dev_both_pinned(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    (serve_install,) = _dry_run("serve", venv)
    assert "-c constraints.txt" in serve_install and "-e ." in serve_install
    assert "[" not in serve_install and "dev" not in serve_install, serve_install
    (test_install,) = _dry_run("test", venv)
    assert "-c constraints.txt" in test_install and "'.[dev]'" in test_install

    # Stamps newer than pyproject.toml and constraints.txt: after `make test`, `make serve` installs nothing …
    venv.mkdir()
    for stamp in (".installed-runtime", ".installed-dev"):
        (venv / stamp).touch()
    assert _dry_run("serve", venv) == []
    assert _dry_run("test", venv) == []
    # … and after `make serve` alone, `make test` adds the dev extra.
    (venv / ".installed-dev").unlink()
    assert _dry_run("serve", venv) == []
    assert len(_dry_run("test", venv)) == 1
