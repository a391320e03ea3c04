"""Reading and verifying model artifact folders (``models/<name>-<version>/``).

Each folder holds ``manifest.json`` (name, version, kind, languages, attributes), the weights, ``MODEL_CARD.md``,
``metrics.json`` and ``SHA256SUMS``. Loading checks the checksums so a damaged or hand-edited artifact never serves.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from civility.scoring.base import Scorer
from civility.scoring.types import ModelInfo

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"


class ArtifactError(Exception):
    """An artifact folder is missing, incomplete or fails its checksums."""


def read_info(folder: Path) -> ModelInfo:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"{folder}: unreadable {MANIFEST}: {exc}") from exc
    return ModelInfo(
        name=str(data["name"]),
        version=int(data["version"]),
        kind=str(data["kind"]),
        languages=tuple(data["languages"]),
        attributes=tuple(data["attributes"]),
        candidate=data.get("status", "released") == "candidate",
        normalizer_rules=int(data.get("normalizer_rules", 1)),
    )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksums(folder: Path) -> None:
    """Record the SHA-256 of every file in ``folder`` except the checksum file itself."""
    lines = [
        f"{sha256(path)}  {path.name}"
        for path in sorted(folder.iterdir())
        if path.is_file() and path.name != CHECKSUMS
    ]
    (folder / CHECKSUMS).write_text("\n".join(lines) + "\n", encoding="utf-8")


def verify_checksums(folder: Path) -> None:
    """Every file of the folder is listed in ``SHA256SUMS`` and matches its sum. An unlisted file (or sub-folder) is
    refused as firmly as a damaged one: loaders read files by name, so one no sum covers could change what serves."""
    listing = folder / CHECKSUMS
    if not listing.exists():
        raise ArtifactError(f"{folder}: no {CHECKSUMS}")
    listed: set[str] = set()
    for line in listing.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        parts = line.split(maxsplit=1)
        name = parts[1].strip() if len(parts) == 2 else ""
        if not name or name != Path(name).name or name in (".", "..", CHECKSUMS):
            raise ArtifactError(f"{folder}: {CHECKSUMS} has a line that names no file of the folder: {line.strip()!r}")
        path = folder / name
        if not path.is_file() or sha256(path) != parts[0]:
            raise ArtifactError(f"{folder}: {name} does not match its checksum")
        listed.add(name)
    unlisted = sorted(entry.name for entry in folder.iterdir() if entry.name != CHECKSUMS and entry.name not in listed)
    if unlisted:
        raise ArtifactError(
            f"{folder}: {', '.join(unlisted)} not listed in {CHECKSUMS}: every file of a model folder must be; remove "
            f"it, or list it with its SHA-256 if it belongs to the model"
        )


STATUSES = ("released", "candidate")
CARD = "MODEL_CARD.md"
_STATUS_PREFIX = "- Status: "


def status_line(manifest: dict[str, object]) -> str | None:
    """The model card's status bullet, for a candidate only (a released model needs no warning)."""
    if manifest.get("status") != "candidate":
        return None
    reason = f" Why: {manifest['status_reason']}" if manifest.get("status_reason") else ""
    return (
        f"{_STATUS_PREFIX}**candidate**: it answers only requests that pin version {manifest['version']}; unpinned "
        f"requests keep the newest released model (`civility models status {manifest['name']}-{manifest['version']} "
        f"released` releases it).{reason}"
    )


def set_status(folder: Path, status: str, reason: str | None = None) -> ModelInfo:
    """Release a candidate, or hold a model back as one: the manifest's ``status`` (and why), the card's status line,
    then the checksums again. The folder's checksums are verified first, so a changed or damaged artifact is never
    re-blessed."""
    if status not in STATUSES:
        raise ArtifactError(f"status must be one of {STATUSES}, not {status!r}")
    verify_checksums(folder)
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    data["status"] = status
    data.pop("status_reason", None)
    if reason and status == "candidate":
        data["status_reason"] = reason
    (folder / MANIFEST).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    card = folder / CARD
    if card.exists():
        lines = [line for line in card.read_text(encoding="utf-8").splitlines() if not line.startswith(_STATUS_PREFIX)]
        line = status_line(data)
        if line is not None:
            lines.insert(min(2, len(lines)), line)  # under the title and its blank line, above the first bullet
        card.write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_checksums(folder)
    return read_info(folder)


def renormalised_copy(source: Path, version: int, rules: int) -> Path:
    """A new version of ``source`` (its weights and calibration unchanged) that reads text with normaliser rule set
    ``rules``: how a better normaliser reaches clients without moving the scores of the version they may pin."""
    data = _source_manifest(source, version, ("linear", "onnx"))
    return _derived_copy(
        source,
        version,
        data,
        {"normalizer_rules": rules},
        f"{data['name']}@{data['version']}'s weights reading text with normaliser rule set {rules}",
        f"civility models renormalise {source.name} {version} --rules {rules}",
    )


def windowed_copy(source: Path, version: int, head: int, tail: int) -> Path:
    """A new version of the transformer ``source`` (weights, tokenizer and calibration unchanged) that reads at most
    ``head + tail`` tokens of a text: its first ``head`` and last ``tail`` (``civility.scoring.onnx.TokenWindow``).
    Fewer tokens read is less compute; reading the end as well keeps what the first tokens alone would miss."""
    data = _source_manifest(source, version, ("onnx",))
    if head < 1 or tail < 1:
        raise ArtifactError("a token window keeps at least one token from each end")
    longest = int(data.get("max_length", 512))
    if head + tail > longest:
        raise ArtifactError(f"a token window of {head + tail} is wider than the {longest} tokens {source.name} reads")
    return _derived_copy(
        source,
        version,
        data,
        {"token_window": {"head": head, "tail": tail}, "max_length": head + tail},
        f"{data['name']}@{data['version']}'s weights reading the first {head} and last {tail} tokens of a long text",
        f"civility models window {source.name} {version} --head {head} --tail {tail}",
    )


def _source_manifest(source: Path, version: int, kinds: tuple[str, ...]) -> dict[str, Any]:
    verify_checksums(source)
    data: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    if data["kind"] not in kinds:
        raise ArtifactError(f"{source.name} is a {data['kind']} model; this copy needs a {' or '.join(kinds)} model")
    if version <= int(data["version"]):
        raise ArtifactError(f"version {version} must be newer than {source.name}'s {data['version']}")
    return data


def _derived_copy(
    source: Path, version: int, data: dict[str, Any], changes: Mapping[str, Any], what: str, command: str
) -> Path:
    """Copy ``source`` as ``version`` with ``changes`` to its manifest. The copy is a candidate and keeps the
    source's training record; its evaluation is stale until it is evaluated again (``civility eval --write-card``),
    so its card is not copied."""
    target = source.parent / f"{data['name']}-{version}"
    if target.exists():
        raise ArtifactError(f"{target.name} exists already: a published version never changes")
    taken = [folder.name for folder in discover(source.parent) if read_info(folder).version == version]
    if taken:
        raise ArtifactError(f"version {version} is taken by {taken[0]}: a pin ATTR@{version} must name one model")
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(CARD, CHECKSUMS))
    data.update(
        changes,
        version=version,
        derived_from=f"{data['name']}@{data['version']}",
        status="candidate",
        status_reason=f"{what}; evaluate it before release",
        training_command=f"{command} (the weights: {data.get('training_command', '?')})",
    )
    (target / MANIFEST).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    write_checksums(target)
    return target


def load_scorer(folder: Path, verify: bool = True, resolve: Callable[[str], Scorer] | None = None) -> Scorer:
    """Load the scorer in ``folder``, choosing the implementation by the manifest's ``kind``.

    A cascade names other artifacts; ``resolve`` hands over those already loaded (so nothing loads twice), else
    they are loaded from the sibling folders.
    """
    if verify:
        verify_checksums(folder)
    info = read_info(folder)
    if info.kind == "linear":
        from civility.scoring.linear import LinearScorer

        return LinearScorer.load(folder)
    if info.kind == "onnx":
        from civility.scoring.onnx import OnnxScorer

        return OnnxScorer.load(folder)
    if info.kind == "cascade":
        from civility.scoring.cascade import CascadeScorer

        return CascadeScorer.load(folder, info, resolve or (lambda name: load_scorer(folder.parent / name, verify)))
    raise ArtifactError(f"{folder}: unknown model kind {info.kind!r}")


def discover(models_dir: Path) -> list[Path]:
    """Every artifact folder under ``models_dir`` (those with a manifest), sorted by name."""
    if not models_dir.exists():
        return []
    return sorted(path.parent for path in models_dir.glob(f"*/{MANIFEST}"))


def newest(models_dir: Path, name: str, candidates: bool = False) -> Path | None:
    """The folder of the highest released version of the artifact called ``name`` (e.g. ``"minilm-en"``), if any;
    with ``candidates``, candidates count too."""
    found = [
        (info.version, folder)
        for folder in discover(models_dir)
        if (info := read_info(folder)).name == name and (candidates or not info.candidate)
    ]
    return max(found)[1] if found else None
