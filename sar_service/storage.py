"""Encrypted file storage outside the web root.

Every stored file gets a random key (its name on disk) and is encrypted with
Fernet (AES-128-CBC + HMAC) under the installation's storage key:
``STORAGE_KEY`` from the environment, or one generated once into the
instance folder for the embedded default. Nothing here is ever served
directly; views check authorisation and stream the decrypted bytes.

``put``/``get`` encrypt a whole file as one Fernet token, which needs the file
(and its encryption) in memory. A disclosure bundle can be hundreds of MB, so
``put_file`` stores it as a sequence of Fernet tokens, one per megabyte, under
the same key and in the same folders; ``iter_chunks`` reads it back a chunk at
a time. Each chunk carries its index and a "last" flag, so a reordered or
truncated file is refused rather than served.
"""

from __future__ import annotations

import hashlib
import secrets
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from sar_service.config import Settings
from sar_service.private_files import make_dir, open_private, write_private

MAGIC = b"SARCHUNK1\n"
CHUNK = 1024 * 1024
_HEADER = struct.Struct(">QB")  # chunk index, last flag


class StorageError(Exception):
    """A stored file is missing or cannot be decrypted with this key."""


@dataclass(frozen=True)
class Stored:
    key: str
    sha256: str
    size: int


def storage_key(settings: Settings) -> bytes:
    """The Fernet key: from settings, or generated once into the instance folder."""
    if settings.storage_key:
        return settings.storage_key.encode()
    path = settings.instance_dir / "storage_key"
    if not path.exists():
        make_dir(settings.instance_dir)
        write_private(path, Fernet.generate_key())
    return path.read_bytes().strip()


class Storage:
    def __init__(self, settings: Settings):
        self.root = Path(settings.storage_dir)
        self.fernet = Fernet(storage_key(settings))

    def _path(self, key: str) -> Path:
        if not key.isalnum():
            raise StorageError("bad storage key")
        return self.root / key[:2] / key

    def put(self, data: bytes) -> Stored:
        key = secrets.token_hex(20)
        path = self._path(key)
        make_dir(path.parent)
        write_private(path, self.fernet.encrypt(data))
        return Stored(key=key, sha256=hashlib.sha256(data).hexdigest(), size=len(data))

    def _decrypt(self, key: str, token: bytes) -> bytes:
        try:
            return self.fernet.decrypt(token)
        except InvalidToken as exc:
            raise StorageError(f"stored file {key} cannot be decrypted with this key") from exc

    def get(self, key: str) -> bytes:
        try:
            token = self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise StorageError(f"stored file {key} is missing") from exc
        return self._decrypt(key, token)

    def put_file(self, source: Path) -> Stored:
        """Encrypt ``source`` chunk by chunk; memory use is a few MB whatever its size."""
        key = secrets.token_hex(20)
        path = self._path(key)
        make_dir(path.parent)
        digest, size, index = hashlib.sha256(), 0, 0
        with open(source, "rb") as src, open_private(path) as out:
            out.write(MAGIC)
            chunk = src.read(CHUNK)
            while True:
                following = src.read(CHUNK)
                digest.update(chunk)
                size += len(chunk)
                token = self.fernet.encrypt(_HEADER.pack(index, not following) + chunk)
                out.write(token + b"\n")
                if not following:
                    break
                chunk, index = following, index + 1
        return Stored(key=key, sha256=digest.hexdigest(), size=size)

    def iter_chunks(self, key: str) -> Iterator[bytes]:
        """The decrypted bytes, a chunk at a time; whole-file tokens from ``put`` work too."""
        path = self._path(key)
        if not path.exists():
            raise StorageError(f"stored file {key} is missing")
        with open(path, "rb") as handle:
            if handle.read(len(MAGIC)) != MAGIC:
                yield self.get(key)
                return
            for expected, line in enumerate(handle):
                plain = self._decrypt(key, line.rstrip(b"\n"))
                index, last = _HEADER.unpack_from(plain)
                if index != expected:
                    raise StorageError(f"stored file {key} is out of order")
                yield plain[_HEADER.size :]
                if last:
                    return
            raise StorageError(f"stored file {key} is truncated")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def storage(app=None) -> Storage:
    """The app's storage (one per app)."""
    from flask import current_app

    app = app or current_app
    store = app.extensions.get("sar.storage")
    if store is None:
        store = app.extensions["sar.storage"] = Storage(app.config["SAR_SETTINGS"])
    return store
