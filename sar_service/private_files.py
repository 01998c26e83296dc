"""Files and folders only the service's own user may read, private from the moment they exist.

Writing a file and then ``chmod``-ing it leaves a moment in which another local
user can open it (and keep the handle). Keys, the SQLite database, stored
documents and outgoing mail are created with mode 0600 (folders 0700) instead.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def make_dir(path: Path) -> Path:
    """Create ``path`` (and parents) as 0700 folders; an existing folder is left as it is."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):  # ``mkdir(parents=True)`` ignores ``mode`` for parents
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
    return path


def open_private(path: Path, mode: str = "wb"):
    """Open ``path`` for writing; a new file is created 0600 (``mode``: "wb" or "xb")."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if mode == "xb" else os.O_TRUNC)
    return os.fdopen(os.open(path, flags, FILE_MODE), "wb")


def write_private(path: Path, data: bytes | str) -> None:
    with open_private(path) as out:
        out.write(data.encode() if isinstance(data, str) else data)


def touch_private(path: Path) -> None:
    """Create an empty 0600 file if there is none (SQLite then keeps the file's mode, and
    gives its -wal and -shm files the same)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
