"""Write a new Alembic revision by comparing the models with a freshly migrated SQLite file."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from sar_service.setup import alembic_config


def main(message: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = alembic_config(f"sqlite:///{Path(tmp) / 'm.sqlite3'}")
        command.upgrade(cfg, "head")
        command.revision(cfg, message=message or "change", autogenerate=True)


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]))
