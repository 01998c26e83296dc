"""Encrypted storage for files too big to hold in memory (disclosure bundles).

``sar_service.storage`` encrypts a whole file as one Fernet token, which needs
the file (and its encryption) in memory. A bundle can be hundreds of MB, so it
is stored here as a sequence of Fernet tokens, one per megabyte, under the
same key and in the same folders. Each chunk carries its index and a "last"
flag, so a reordered or truncated file is refused rather than served.
"""

from __future__ import annotations

import hashlib
import secrets
import struct
from collections.abc import Iterator
from pathlib import Path

from cryptography.fernet import InvalidToken

from sar_service.storage import Storage, StorageError, Stored, storage

MAGIC = b"SARCHUNK1\n"
CHUNK = 1024 * 1024
_HEADER = struct.Struct(">QB")  # chunk index, last flag


def _path(store: Storage, key: str) -> Path:
    if not key.isalnum():
        raise StorageError("bad storage key")
    return store.root / key[:2] / key


def put_file(source: Path, store: Storage | None = None) -> Stored:
    """Encrypt ``source`` chunk by chunk into storage; memory use is a few MB whatever its size."""
    store = store or storage()
    key = secrets.token_hex(20)
    path = _path(store, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size, index = hashlib.sha256(), 0, 0
    with open(source, "rb") as src, open(path, "wb") as out:
        out.write(MAGIC)
        chunk = src.read(CHUNK)
        while True:
            following = src.read(CHUNK)
            digest.update(chunk)
            size += len(chunk)
            token = store.fernet.encrypt(_HEADER.pack(index, not following) + chunk)
            out.write(token + b"\n")
            if not following:
                break
            chunk, index = following, index + 1
    return Stored(key=key, sha256=digest.hexdigest(), size=size)


def iter_chunks(key: str, store: Storage | None = None) -> Iterator[bytes]:
    """The decrypted bytes, a chunk at a time; whole-file tokens from ``storage`` work too."""
    store = store or storage()
    path = _path(store, key)
    if not path.exists():
        raise StorageError(f"stored file {key} is missing")
    with open(path, "rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            yield store.get(key)
            return
        for expected, line in enumerate(handle):
            index, last, data = _open_chunk(store, key, line.rstrip(b"\n"))
            if index != expected:
                raise StorageError(f"stored file {key} is out of order")
            yield data
            if last:
                return
        raise StorageError(f"stored file {key} is truncated")


def _open_chunk(store: Storage, key: str, token: bytes) -> tuple[int, bool, bytes]:
    try:
        plain = store.fernet.decrypt(token)
    except InvalidToken as exc:
        raise StorageError(f"stored file {key} cannot be decrypted with this key") from exc
    index, last = _HEADER.unpack_from(plain)
    return index, bool(last), plain[_HEADER.size :]


def read_all(key: str, store: Storage | None = None) -> bytes:
    """Every byte at once: for tests and small files only."""
    return b"".join(iter_chunks(key, store))
