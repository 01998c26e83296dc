"""The ``sar`` command: set-up, data loading, and the service's processes."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click
from sqlalchemy import select

from sar_service import setup
from sar_service.config import DEFAULT_PORT, Settings
from sar_service.models.school import SCHOOL_KINDS


def _app():
    """The app given by a caller (tests), or one built from the environment."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.find_root().obj and ctx.find_root().obj.get("app"):
        return ctx.find_root().obj["app"]
    from sar_service.app import create_app

    # Workers, cron and commands may run statements longer than a web request's limit.
    return create_app(settings=settings_or_fail().for_background())


def settings_or_fail() -> Settings:
    """The settings from the environment, or a plain message naming the bad variable."""
    try:
        return Settings.from_env()
    except ValueError as exc:
        fail(str(exc))
        raise  # unreachable: fail exits


@click.group(help="SAR Service: data-protection requests for schools.")
@click.pass_context
def main(ctx: click.Context) -> None:
    ctx.obj = ctx.obj or {}


def app_command(name: str, **kwargs):
    """A command that runs inside an app context and receives the session first."""

    def decorator(func):
        def wrapper(*args, **kw):
            with _app().app_context():
                from sar_service.db import session

                return func(session(), *args, **kw)

        wrapper.__click_params__ = getattr(func, "__click_params__", [])
        wrapper.__doc__ = func.__doc__
        wrapper.__name__ = func.__name__
        return main.command(name, **kwargs)(wrapper)

    return decorator


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


@main.command("init")
def init_cmd() -> None:
    """Create or upgrade the database schema (idempotent)."""
    app = _app()
    setup.migrate(app)
    click.echo("Database is up to date.")


@app_command("create-school")
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice(list(SCHOOL_KINDS)), default="maintained")
def create_school(s, slug: str, name: str, kind: str) -> None:
    """Add a school (a tenant)."""
    try:
        school = setup.create_school(s, slug, name, kind)
    except ValueError as exc:
        fail(str(exc))
    s.commit()
    click.echo(f"Created school {school.slug} ({school.name}, {school.kind}).")


@app_command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role", type=click.Choice(["dpo", "caseworker", "owner", "viewer", "dsl"]), required=True
)
@click.option("--school", "school_slug", required=True)
@click.option("--password", default=None, help="Generated and printed if omitted.")
def create_user(
    s, email: str, name: str, role: str, school_slug: str, password: str | None
) -> None:
    """Add a staff user with a role at a school (or add a role to an existing user)."""
    try:
        user, password = setup.create_user(s, email, name, role, school_slug, password)
    except ValueError as exc:
        fail(str(exc))
    s.commit()
    click.echo(f"User {user.email} is {role} at {school_slug}.")
    if password:
        click.echo(f"Password: {password}")


@app_command("create-token")
@click.option("--email", required=True)
def create_token(s, email: str) -> None:
    """Print a new API token for a user (shown once)."""
    from sar_service.auth import tokens
    from sar_service.models import User

    user = s.scalar(select(User).where(User.email == email.lower()))
    if user is None:
        fail(f"no user {email}")
    token = tokens.issue(s, user, name="cli")
    s.commit()
    click.echo(token)


@app_command("calendar")
@click.option("--school", "school_slug", required=True)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def calendar(s, school_slug: str, file: Path) -> None:
    """Load term dates and closure days from CSV (start,end,label)."""
    try:
        terms, closures = setup.load_calendar(s, school_slug, file.read_text(encoding="utf-8-sig"))
    except ValueError as exc:
        fail(str(exc))
    s.commit()
    click.echo(f"Loaded {terms} terms and {closures} closure days for {school_slug}.")


@app_command("import-notice")
@click.option("--school", "school_slug", required=True)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_notice_cmd(s, school_slug: str, file: Path) -> None:
    """Parse a privacy notice (.pdf, .docx, .html, .txt, .md), store it, print JSON."""
    from sar_service.notices import store
    from sar_service.notices.reader import NoticeFormatError

    try:
        school = setup.school_by_slug(s, school_slug)
        notice = store.import_notice(s, school, file.read_bytes(), file.name, "sar import-notice")
    except (ValueError, NoticeFormatError) as exc:
        fail(str(exc))
    s.commit()
    click.echo(json.dumps(store.summary(notice.data), indent=2, ensure_ascii=False))


@app_command("gather")
@click.option("--school", "school_slug", required=True)
@click.option("--case", "reference", required=True)
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def gather_cmd(s, school_slug: str, reference: str, files: tuple[Path, ...]) -> None:
    """Add files (mbox, eml, msg, zip, pdf, docx, txt, csv) to a case and print JSON."""
    from sar_service.records import gather_report

    try:
        case = gather_report.find_case(s, school_slug, reference)
    except gather_report.GatherError as exc:
        fail(str(exc))
    result = gather_report.gather(s, case, list(files))
    click.echo(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    if result["errors"] and not result["documents"]:
        sys.exit(1)


@app_command("sweep")
@click.option("--as-of", "as_of", default=None, help="ISO date-time to run as if it were then.")
@click.option("--dry-run", is_flag=True, help="List what would happen without doing it.")
def sweep_cmd(s, as_of: str | None, dry_run: bool) -> None:
    """Run the deadline and reminder sweep once."""
    from sar_service.background import sweep
    from sar_service.clock import now

    at = now()
    if as_of:
        try:
            at = datetime.fromisoformat(as_of)
        except ValueError:
            fail("--as-of must be an ISO date-time, like 2026-03-02T09:00")
        if at.tzinfo is None:
            from sar_service.clock import LONDON

            at = at.replace(tzinfo=LONDON)
    report = sweep.run(s, at=at, dry_run=dry_run)
    click.echo(json.dumps(report.as_dict(), indent=2, default=str))


@app_command("purge")
@click.option("--as-of", "as_of", default=None, help="ISO date to apply the rules as if on it.")
@click.option("--dry-run", is_flag=True, help="List what would be deleted without deleting.")
def purge_cmd(s, as_of: str | None, dry_run: bool) -> None:
    """Apply the retention rules now: delete expired case files and proof of identity."""
    from sar_service.clock import today
    from sar_service.oversight import retention
    from sar_service.storage import storage

    day = today()
    if as_of:
        try:
            day = datetime.fromisoformat(as_of).date()
        except ValueError:
            fail("--as-of must be an ISO date, like 2032-09-01")
    todo = retention.plan(s, day)
    if not dry_run:
        retention.apply(s, todo, storage().delete, actor_label="sar purge")
    for line in todo.lines(dry_run):
        click.echo(line)


@app_command("retention")
@click.option("--school", "school_slug", required=True)
@click.option(
    "--years",
    type=click.IntRange(1, 100),
    default=None,
    help="Keep closed case files this many years after closure.",
)
@click.option(
    "--id-days",
    type=click.IntRange(0, 365),
    default=None,
    help="Keep proof of identity this many days after it is verified.",
)
@click.option(
    "--question-days",
    type=click.IntRange(0, 3650),
    default=None,
    help="Keep parents' answered or closed questions this many days.",
)
@click.option(
    "--target-days",
    type=click.IntRange(0, 20),
    default=None,
    help="Internal target: working days before the due date (calendar).",
)
def retention_cmd(s, school_slug: str, years, id_days, question_days, target_days) -> None:
    """Show or change a school's retention periods and internal target (audited)."""
    from sar_service.models import School
    from sar_service.oversight import audit, calendar, retention

    school = s.scalar(select(School).where(School.slug == school_slug))
    if school is None:
        fail(f"no school {school_slug}")
    settings = dict(school.settings or {})
    changes = []
    if years is not None:
        school.retention_years = years
        changes.append(f"case files {years} years")
    if id_days is not None:
        settings["id_evidence_days"] = id_days
        changes.append(f"proof of identity {id_days} days")
    if question_days is not None:
        settings["question_days"] = question_days
        changes.append(f"parents' questions {question_days} days")
    if target_days is not None:
        settings["internal_target_days"] = target_days
        changes.append(f"internal target {target_days} working days")
    if changes:
        school.settings = settings
        audit.record(
            s, "settings", "retention_changed", actor_label="sar retention",
            school_id=school.id, summary="Retention: " + ", ".join(changes),
        )  # fmt: skip
        s.commit()
    target = settings.get("internal_target_days", calendar.DEFAULT_TARGET_DAYS)
    click.echo(
        f"{school.slug}: case files kept {school.retention_years} years after closure; "
        f"proof of identity {retention.id_evidence_days(school)} days after verification; "
        f"parents' questions {retention.question_days(school)} days after they are dealt with; "
        f"internal target {target} working days before the due date."
    )


@app_command("legal-hold")
@click.option("--school", "school_slug", required=True)
@click.option("--case", "reference", required=True)
@click.option("--off", is_flag=True, help="Lift the hold (retention applies again).")
@click.option("--reason", required=True, help="Why (recorded in the audit log).")
def legal_hold_cmd(s, school_slug: str, reference: str, off: bool, reason: str) -> None:
    """Keep a case from retention purges (litigation, an ICO investigation), or lift that."""
    from sar_service.models import Case, School
    from sar_service.oversight import audit

    case = s.scalar(
        select(Case).join(School).where(School.slug == school_slug, Case.reference == reference)
    )
    if case is None:
        fail(f"no case {reference} at {school_slug}")
    case.legal_hold = not off
    audit.record(
        s, "case", "legal_hold_lifted" if off else "legal_hold_set", actor_label="sar legal-hold",
        school_id=case.school_id, case_reference=case.reference,
        summary=("Legal hold lifted: " if off else "Legal hold set: ") + reason[:200],
    )  # fmt: skip
    s.commit()
    click.echo(f"{reference} at {school_slug}: legal hold {'off' if off else 'on'}.")


@app_command("demo")
def demo(s) -> None:
    """Seed a demo school, a DPO login and a few cases (idempotent)."""
    from sar_service import demo

    login = demo.seed_demo(s)
    s.commit()
    if login:
        click.echo(f"Demo DPO login: {login[0]} / {login[1]}")
    else:
        click.echo("Demo data already present.")


@main.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def worker_cmd(burst: bool) -> None:
    """Run an RQ worker on every queue (production: run one or more)."""
    from sar_service import processes

    processes.run_worker(_app(), burst=burst)


@main.command("cron")
def cron_cmd() -> None:
    """Run the RQ cron scheduler (the periodic sweep)."""
    from sar_service import processes

    processes.run_cron(_app())


@main.command("serve")
@click.option("--port", envvar="PORT", default=DEFAULT_PORT, type=int)
@click.option("--host", default="127.0.0.1")
def serve(port: int, host: str) -> None:
    """Everything for local use: Redis, worker, cron scheduler and the web app."""
    from sar_service import processes

    settings_or_fail()
    processes.serve(host, port)


def register_commands(app) -> None:
    """Expose the same commands under ``flask --app wsgi sar …``."""
    app.cli.add_command(main, "sar")


if __name__ == "__main__":
    main()
