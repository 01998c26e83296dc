"""The gathering page: tasks per source, uploads by staff, the subject's MIS records."""

from __future__ import annotations

import flask
from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import select

from sar_service.db import session
from sar_service.models import Case, User
from sar_service.models.inventory import DataSource, GatheredDocument, GatheringTask
from sar_service.records import bp, documents, gathering, inventory, mailimport, subject
from sar_service.records.filecheck import MAX_BYTES, FileProblem
from sar_service.records.web import READERS, actor, case_for
from sar_service.staff.access import active_staff, can_act, case_or_404, me, reads_documents
from sar_service.web.downloads import document_attachment

MAX_TEXT = 2000
#: A mailbox export (an mbox of thousands of messages) may be far larger than one document.
MAX_MAILBOX = 1024 * 1024 * 1024


def _url(case: Case, anchor: str | None = None) -> str:
    return url_for(
        "records.gathering_page", school=case.school.slug, reference=case.reference,
        _anchor=anchor,
    )  # fmt: skip


def gathered(case: Case) -> list[tuple[object, GatheredDocument]]:
    """Documents gathered one by one (messages from a mailbox are summed up per import)."""
    from sar_service.models import Document
    from sar_service.models.mailbox import MailItem

    return list(
        session().execute(
            select(Document, GatheredDocument)
            .join(GatheredDocument, GatheredDocument.document_id == Document.id)
            .outerjoin(MailItem, MailItem.document_id == Document.id)
            .where(Document.case_id == case.id, MailItem.document_id.is_(None))
            .order_by(Document.id)
        )
    )


def render(case: Case, role: str, status: int = 200, errors=None, **extra):
    db = session()
    tasks = gathering.tasks(db, case)
    return render_template(
        "records/gathering.html",
        c=case,
        role=role,
        can_act=can_act(role),
        tasks=tasks,
        progress=gathering.progress_of(tasks),
        sources=inventory.sources(db, case.school, active_only=True),
        staff=active_staff(case.school_id),
        documents=gathered(case),
        imports=mailimport.imports(db, case),
        max_mailbox_mb=MAX_MAILBOX // 2**20,
        pupil=subject.subject_people(db, case),
        relevant=gathering.relevant(case),
        max_mb=MAX_BYTES // 2**20,
        errors=errors or {},
        **extra,
    ), status


@bp.get("/cases/<school>/<reference>/gathering")
def gathering_page(school: str, reference: str):
    case, role = case_for(school, reference, READERS)
    return render(case, role)


@bp.post("/cases/<school>/<reference>/gathering/start")
def gathering_start(school: str, reference: str):
    case, role = case_for(school, reference)
    db = session()
    try:
        made = gathering.start(db, case, actor())
    except gathering.GatheringError as exc:
        db.rollback()
        return render(case, role, 422, {"start": str(exc)})
    db.commit()
    message = f"Gathering started: {len(made)} tasks." if made else "Gathering had already started."
    flask.flash(message, "success")
    return redirect(_url(case, "tasks"))


def _task_or_404(case: Case, task_id: int) -> GatheringTask:
    task = session().get(GatheringTask, task_id)
    if task is None or task.case_id != case.id:
        abort(404)
    return task


def _school_user(case: Case, user_id: str | None) -> User | None:
    if not user_id:
        return None
    try:
        user = session().get(User, int(user_id))
    except ValueError:
        return None
    return user if user is not None and user.role_in(case.school_id) else None


@bp.post("/cases/<school>/<reference>/gathering/tasks")
def gathering_add_task(school: str, reference: str):
    case, role = case_for(school, reference)
    db = session()
    source = None
    if request.form.get("source"):
        raw = request.form["source"]
        source = db.get(DataSource, int(raw)) if raw.isdigit() else None
        if source is None or source.school_id != case.school_id:
            return render(case, role, 422, {"task-source": "Choose a source from the list."})
    assignee = _school_user(case, request.form.get("assignee"))
    if request.form.get("assignee") and assignee is None:
        return render(case, role, 422, {"task-assignee": "Choose someone from the list."})
    name = (request.form.get("name") or "")[:120]
    try:
        gathering.add_task(db, case, name, assignee, actor(), source)
    except gathering.GatheringError as exc:
        db.rollback()
        return render(case, role, 422, {"task-name": str(exc)})
    db.commit()
    flask.flash("Task added.", "success")
    return redirect(_url(case, "tasks"))


@bp.post("/cases/<school>/<reference>/gathering/tasks/<int:task_id>/drop")
def gathering_drop_task(school: str, reference: str, task_id: int):
    case, role = case_for(school, reference)
    task = _task_or_404(case, task_id)
    reason = (request.form.get("reason") or "")[:MAX_TEXT]
    try:
        gathering.drop_task(session(), task, reason, actor())
    except gathering.GatheringError as exc:
        session().rollback()
        return render(case, role, 422, {f"drop-{task.id}": str(exc)})
    session().commit()
    flask.flash(f"Task dropped: {task.source_name}.", "success")
    return redirect(_url(case, "tasks"))


@bp.post("/cases/<school>/<reference>/gathering/upload")
def gathering_upload(school: str, reference: str):
    """Staff add a file they hold themselves (optionally against a task)."""
    case, role = case_for(school, reference)
    raw_task = request.form.get("task") or ""
    task = _task_or_404(case, int(raw_task)) if raw_task.isdigit() else None
    file = request.files.get("file")
    if file is None or not file.filename:
        return render(case, role, 422, {"upload-file": "Choose a file to upload."})
    db = session()
    source = task.source_name if task else f"Added by {me().name}"
    data = file.read(MAX_BYTES + 1)
    if len(data) <= MAX_BYTES and mailimport.is_archive(data, file.filename):
        row = mailimport.create(
            db, case, data, file.filename, source_name=source, created_by=actor(), task=task
        )
        if task is not None:
            gathering.uploaded(task, actor())
        db.commit()
        flask.flash(f"{row.filename} is being imported. This page shows its progress.", "success")
        return redirect(_url(case, "mailboxes"))
    try:
        doc = documents.add_gathered(
            db, case, data, file.filename,
            source_name=source, created_by=actor(), task=task,
        )  # fmt: skip
    except FileProblem as exc:
        db.rollback()
        return render(case, role, 422, {"upload-file": str(exc)})
    if task is not None:
        gathering.uploaded(task, actor())
    db.commit()
    flask.flash(f"Uploaded {doc.filename}.", "success")
    return redirect(_url(case, "documents"))


@bp.post("/cases/<school>/<reference>/gathering/mis")
def gathering_mis(school: str, reference: str):
    case, role = case_for(school, reference)
    db = session()
    if not subject.subject_people(db, case):
        msg = "The pupil is not on the imported roll (same name and date of birth)."
        return render(case, role, 422, {"mis": msg})
    made = subject.record_documents(db, case, actor())
    db.commit()
    message = f"{len(made)} new MIS documents added." if made else "No new MIS records."
    flask.flash(message, "success")
    return redirect(_url(case, "documents"))


@bp.get("/cases/<school>/<reference>/documents/<int:doc_id>")
def document_download(school: str, reference: str, doc_id: int):
    """Any document on the case to the roles that see requesters (DPO, caseworker); a record
    owner only what they uploaded. Viewers see the lists, not the contents."""
    case = case_or_404(school, reference)
    user = me()
    role = user.role_in(case.school_id)
    if not (reads_documents(role) or role == "owner"):
        abort(403)
    doc = documents.case_document(session(), case, doc_id)
    if doc is None:
        abort(404)
    if not reads_documents(role) and f"({user.email})" not in (doc.created_by or ""):
        abort(403)
    return document_attachment(doc)


@bp.post("/cases/<school>/<reference>/gathering/mailbox")
def gathering_mailbox(school: str, reference: str):
    """A mailbox export (mbox, .eml, .msg or a zip of them): imported in the background."""
    request.max_content_length = MAX_MAILBOX
    case, role = case_for(school, reference)
    file = request.files.get("file")
    if file is None or not file.filename:
        return render(case, role, 422, {"mailbox-file": "Choose a mailbox file to upload."})
    raw_task = request.form.get("task") or ""
    task = _task_or_404(case, int(raw_task)) if raw_task.isdigit() else None
    head = file.stream.read(8)
    file.stream.seek(0)
    if not head or not mailimport.is_mailbox(head, file.filename):
        msg = (
            "Choose an mbox (.mbox), saved emails (.eml), Outlook messages (.msg) or a zip of them."
        )
        return render(case, role, 422, {"mailbox-file": msg})
    import tempfile
    from pathlib import Path

    db = session()
    source = task.source_name if task else f"Mailbox added by {me().name}"
    with tempfile.TemporaryDirectory(prefix="sar-upload-") as tmp:
        path = Path(tmp) / "upload"
        file.save(path)
        row = mailimport.create(
            db, case, path, file.filename, source_name=source, created_by=actor(), task=task
        )
    if task is not None:
        gathering.uploaded(task, actor())
    db.commit()
    flask.flash(f"{row.filename} is being imported. This page shows its progress.", "success")
    return redirect(_url(case, "mailboxes"))


@bp.get("/cases/<school>/<reference>/gathering/mailbox/<int:import_id>.json")
def gathering_mailbox_status(school: str, reference: str, import_id: int):
    """Progress for the bar (records.js): "ready" when finished, as for bundles."""
    from sar_service.models.mailbox import MailImport

    case, _ = case_for(school, reference, READERS)
    row = session().get(MailImport, import_id)
    if row is None or row.case_id != case.id:
        abort(404)
    status = {"done": "ready"}.get(row.status, row.status)
    return flask.jsonify(
        status=status, progress=row.percent, done=row.done, total=row.total,
        messages=row.messages, error=row.error or None,
    )  # fmt: skip
