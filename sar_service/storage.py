"""Encrypted file storage outside the web root.

Every stored file gets a random key (its name on disk) and is encrypted with
Fernet (AES-128-CBC + HMAC) under the installation's storage key:
``STORAGE_KEY`` from the environment, or one generated once into the
instance folder for the embedded default. Nothing here is ever served
directly; views check authorisation and stream the decrypted bytes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from sar_service.config import Settings


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
        settings.instance_dir.mkdir(parents=True, exist_ok=True)
        path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
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
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.fernet.encrypt(data))
        return Stored(key=key, sha256=hashlib.sha256(data).hexdigest(), size=len(data))

    def get(self, key: str) -> bytes:
        try:
            return self.fernet.decrypt(self._path(key).read_bytes())
        except FileNotFoundError as exc:
            raise StorageError(f"stored file {key} is missing") from exc
        except InvalidToken as exc:
            raise StorageError(f"stored file {key} cannot be decrypted with this key") from exc

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
