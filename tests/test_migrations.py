"""The Alembic migrations build exactly the schema the models describe, on this backend."""

from __future__ import annotations

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from sar_service import search_indexes, setup
from sar_service.db import Base


def _fresh_url(tmp_path) -> str:
    if os.environ.get("SAR_TEST_BACKEND") == "postgresql":
        base = os.environ["TEST_DATABASE_URL"]
        engine = create_engine(base, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS sar_migrations_check"))
            conn.execute(text("CREATE DATABASE sar_migrations_check"))
        engine.dispose()
        return base.rsplit("/", 1)[0] + "/sar_migrations_check"
    return f"sqlite:///{tmp_path / 'migrated.sqlite3'}"


def test_migrations_match_models(tmp_path):
    from alembic import command

    url = _fresh_url(tmp_path)
    command.upgrade(setup.alembic_config(url), "head")
    engine = create_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": search_indexes.include_object}
        )
        diff = compare_metadata(context, Base.metadata)
        trigram = conn.execute(
            text("select indexname from pg_indexes where indexname like '%_trgm'")
            if conn.dialect.name == "postgresql"
            else text("select name from sqlite_master where name like '%_trgm'")
        ).scalars()
        trigram = set(trigram)
    engine.dispose()
    assert diff == [], f"models and migrations differ; run `make migration`: {diff}"
    # Free-text search is indexed on PostgreSQL; SQLite has no pg_trgm and goes without.
    expected = set(search_indexes.TRIGRAM_INDEXES) if url.startswith("postgresql") else set()
    assert trigram == expected


def test_upgrade_is_idempotent(tmp_path):
    from alembic import command

    url = f"sqlite:///{tmp_path / 'twice.sqlite3'}"
    command.upgrade(setup.alembic_config(url), "head")
    command.upgrade(setup.alembic_config(url), "head")
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = {
            r[0] for r in conn.execute(text("select name from sqlite_master where type='table'"))
        }
    assert "cases" in tables and "alembic_version" in tables
