"""The ``sar`` command as an operator uses it (docs/interfaces.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from sar_service.cli import main
from sar_service.models import CalendarEntry, Membership, School, User

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def run(app, *args: str):
    result = CliRunner().invoke(main, list(args), obj={"app": app}, catch_exceptions=False)
    return result


def test_schools_users_tokens(app, client, db):
    assert run(app, "create-school", "--slug", "oak", "--name", "Oak School").exit_code == 0
    again = run(app, "create-school", "--slug", "oak", "--name", "Oak School")
    assert again.exit_code == 2 and "already exists" in again.output
    bad = run(app, "create-school", "--slug", "Oak School!", "--name", "x")
    assert bad.exit_code == 2 and "slug" in bad.output

    made = run(
        app,
        "create-user",
        "--email",
        "Dana@Oak.example",
        "--name",
        "Dana",
        "--role",
        "dpo",
        "--school",
        "oak",
    )
    assert made.exit_code == 0 and "Password:" in made.output
    no_school = run(
        app, "create-user", "--email", "x@y.z", "--name", "X", "--role", "dpo", "--school", "elm"
    )
    assert no_school.exit_code == 2 and "no school 'elm'" in no_school.output

    token = run(app, "create-token", "--email", "dana@oak.example").output.strip()
    response = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    user = db.scalar(select(User).where(User.email == "dana@oak.example"))
    assert [
        m.role for m in db.scalars(select(Membership).where(Membership.user_id == user.id))
    ] == ["dpo"]


def test_calendar_csv(app, db, tmp_path):
    run(app, "create-school", "--slug", "oak", "--name", "Oak School")
    csv = tmp_path / "terms.csv"
    csv.write_text(
        "start,end,label\n2026-09-03,2026-12-18,Autumn\n2026-10-23,2026-10-23,closed: INSET day\n"
    )
    result = run(app, "calendar", "--school", "oak", str(csv))
    assert result.exit_code == 0 and "1 terms and 1 closure days" in result.output
    school = db.scalar(select(School).where(School.slug == "oak"))
    kinds = sorted(
        e.kind
        for e in db.scalars(select(CalendarEntry).where(CalendarEntry.school_id == school.id))
    )
    assert kinds == ["closure", "term"]
    csv.write_text("start,end\n2026-13-01,2026-12-01\n")
    bad = run(app, "calendar", "--school", "oak", str(csv))
    assert bad.exit_code == 2 and "line 2" in bad.output


def test_sweep_dry_run_and_as_of(app):
    result = run(app, "sweep", "--as-of", "2026-03-02T09:00", "--dry-run")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["dry_run"] is True and report["at"].startswith("2026-03-02T09:00")
    bad = run(app, "sweep", "--as-of", "soon")
    assert bad.exit_code == 2 and "ISO" in bad.output


def test_demo_is_idempotent(app, db):
    first = run(app, "demo")
    assert first.exit_code == 0 and "Demo DPO login:" in first.output
    second = run(app, "demo")
    assert "already present" in second.output
    assert db.scalar(select(School).where(School.slug == "oakfield-primary")) is not None


def test_init_in_a_fresh_instance_folder(tmp_path):
    """``sar init`` on an empty folder creates the SQLite schema, twice without harm."""
    env = dict(os.environ, SAR_INSTANCE_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:1/0")
    env.pop("DATABASE_URL", None)
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "sar_service.cli", "init"],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert "up to date" in done.stdout
    assert (tmp_path / "sar.sqlite3").exists()
    assert (tmp_path / "secret_key").exists()


def test_a_bad_setting_is_a_plain_message_not_a_traceback(tmp_path):
    env = dict(os.environ, SAR_INSTANCE_DIR=str(tmp_path), DATABASE_STATEMENT_TIMEOUT="soon")
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "sar_service.cli", "init"],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "DATABASE_STATEMENT_TIMEOUT must be a number of seconds" in result.stderr
    assert "Traceback" not in result.stderr
