"""Record owners' tasks: "find what you hold about this pupil", then upload or say none."""

from __future__ import annotations

import flask
from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import select

from sar_service.db import session
from sar_service.models import Case, Document
from sar_service.models.inventory import GatheredDocument, GatheringTask
from sar_service.records import bp, documents, gathering, mailimport
from sar_service.records.filecheck import MAX_BYTES, FileProblem
from sar_service.records.web import actor
from sar_service.staff.access import can_act, me

MAX_NOTE = 2000
MAX_FILES = 20


@bp.get("/tasks")
def tasks_page():
    return render_template("records/tasks.html", items=gathering.open_tasks_for(session(), me()))


def _task_or_404(task_id: int) -> tuple[GatheringTask, Case]:
    """The assignee, or the school's DPO or caseworkers; anyone else is 'not found'."""
    db, user = session(), me()
    task = db.get(GatheringTask, task_id)
    case = db.get(Case, task.case_id) if task else None
    if task is None or case is None or case.school_id not in user.school_ids:
        abort(404)
    if task.assignee_id != user.id and not can_act(user.role_in(case.school_id)):
        abort(404)
    return task, case


def _uploads(task: GatheringTask) -> list[Document]:
    return list(
        session().scalars(
            select(Document)
            .join(GatheredDocument, GatheredDocument.document_id == Document.id)
            .where(GatheredDocument.task_id == task.id)
            .order_by(Document.id)
        )
    )


def _render(task: GatheringTask, case: Case, status: int = 200, errors=None, note: str = ""):
    return render_template(
        "records/task.html",
        task=task,
        c=case,
        uploads=_uploads(task),
        max_mb=MAX_BYTES // 2**20,
        errors=errors or {},
        note=note,
    ), status


@bp.get("/tasks/<int:task_id>")
def task_page(task_id: int):
    task, case = _task_or_404(task_id)
    return _render(task, case)


@bp.post("/tasks/<int:task_id>/upload")
def task_upload(task_id: int):
    task, case = _task_or_404(task_id)
    if task.status == "dropped":
        return _render(task, case, 409, {"files": "This task was dropped; nothing more is needed."})
    files = [f for f in request.files.getlist("files") if f and f.filename][:MAX_FILES]
    if not files:
        return _render(task, case, 422, {"files": "Choose at least one file."})
    db = session()
    names = []
    for file in files:
        data = file.read(MAX_BYTES + 1)
        filename = file.filename or ""
        if len(data) <= MAX_BYTES and mailimport.is_archive(data, filename):
            row = mailimport.create(
                db, case, data, filename, source_name=task.source_name,
                created_by=actor(), task=task,
            )  # fmt: skip
            names.append(f"{row.filename} (being imported)")
            continue
        try:
            doc = documents.add_gathered(
                db, case, data, file.filename or "",
                source_name=task.source_name, created_by=actor(), task=task,
            )  # fmt: skip
        except FileProblem as exc:
            db.rollback()
            return _render(task, case, 422, {"files": f"{file.filename}: {exc}"})
        names.append(doc.filename)
    gathering.uploaded(task, actor(), (request.form.get("note") or "")[:MAX_NOTE])
    db.commit()
    flask.flash(f"Uploaded {', '.join(names)}. Thank you.", "success")
    return redirect(url_for("records.task_page", task_id=task.id))


@bp.post("/tasks/<int:task_id>/nothing-held")
def task_nothing_held(task_id: int):
    task, case = _task_or_404(task_id)
    note = (request.form.get("note") or "")[:MAX_NOTE]
    try:
        gathering.nothing_held(session(), task, note, actor())
    except gathering.GatheringError as exc:
        session().rollback()
        return _render(task, case, 422, {"note": str(exc)}, note)
    session().commit()
    flask.flash("Recorded: nothing held. Thank you.", "success")
    return redirect(url_for("records.tasks_page"))
