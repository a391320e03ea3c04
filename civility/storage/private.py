"""Files only the service's own user may read: the SQLite database (webhook and Coral secrets live in it), the local
API key and the local admin password.

Folders made here are 0700 and files 0600, whatever the umask. A folder that already exists keeps its mode (it may
be /srv or a home directory, not ours to change); files we own are brought to 0600 on every start, so an install
made before this rule is tightened too.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")

log = logging.getLogger(__name__)


def private_dir(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each 0700."""
    missing = []
    current = folder.absolute()
    while not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, DIR_MODE)
        except FileExistsError:
            continue  # made meanwhile by another process: its mode is its maker's
        os.chmod(path, DIR_MODE)


def restrict(path: Path) -> None:
    """Bring an existing file to 0600; a file we may not change (another owner's) is left as it is, with a warning."""
    try:
        if path.exists() and (path.stat().st_mode & 0o777) != FILE_MODE:
            path.chmod(FILE_MODE)
    except OSError as exc:
        log.warning("could not make %s private (mode 0600): %s", path, exc)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, which is never readable by others, not even for a moment."""
    private_dir(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(descriptor, FILE_MODE)  # O_CREAT's mode applies only to a new file
    except OSError:
        os.close(descriptor)
        raise
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)


def private_sqlite(database: Path) -> None:
    """Prepare a SQLite file before SQLite opens it: its folder made 0700, the file created empty (a valid empty
    database) as 0600, and it and its journal files brought to 0600. SQLite gives the -wal and -shm files it creates
    later the database file's mode."""
    private_dir(database.parent)
    if not database.exists():
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    for path in (database, *(Path(f"{database}{suffix}") for suffix in SQLITE_COMPANIONS)):
        restrict(path)
