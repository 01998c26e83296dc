"""Review: decide each redaction suggestion, replace or withhold PDFs and images, build, release."""

from __future__ import annotations

import flask
from flask import abort, jsonify, redirect, render_template, request, url_for

from sar_service.cases import visibility
from sar_service.clock import today
from sar_service.db import session
from sar_service.models import Case, Document
from sar_service.models.inventory import GatheredDocument
from sar_service.models.mailbox import COLLAPSE_REASONS
from sar_service.models.release import DELIVERY_VIAS
from sar_service.models.review import EXEMPTIONS, MAY_SAY_NOTHING, Bundle
from sar_service.records import bp, bundle, delivery, documents, release, review
from sar_service.records.extract import needs_manual_redaction
from sar_service.records.filecheck import MAX_BYTES, FileProblem, check
from sar_service.records.web import READERS, actor, case_for
from sar_service.staff.access import can_act
from workflows.calendars import long_date

MAX_REASON = 2000


def _url(case: Case, endpoint: str = "records.review_page", **kw) -> str:
    return url_for(endpoint, school=case.school.slug, reference=case.reference, **kw)


def render(case: Case, role: str, status: int = 200, errors=None, **extra):
    db = session()
    state = review.case_review(db, case)
    return render_template(
        "records/review.html",
        c=case,
        role=role,
        can_act=can_act(role),
        review=state,
        has_roll=review.has_roll(db, case.school_id),
        collapse_reasons=COLLAPSE_REASONS,
        plan=bundle.plan(state),
        letter=bundle.latest_letter(db, case),
        latest=bundle.latest(db, case),
        exemptions=EXEMPTIONS,
        releasable=case.status in release.RELEASABLE,
        release_days=release.RELEASE_DAYS,
        opened=release.opened_items(db, case),
        deliveries=delivery.deliveries(db, case),
        delivery_vias=DELIVERY_VIAS,
        long_date=long_date,
        today_iso=today().isoformat(),
        errors=errors or {},
        **extra,
    ), status


@bp.get("/cases/<school>/<reference>/review")
def review_page(school: str, reference: str):
    case, role = case_for(school, reference, READERS)
    return render(case, role)


def _doc_or_404(case: Case, doc_id: int) -> tuple[Document, GatheredDocument]:
    db = session()
    doc = documents.case_document(db, case, doc_id)
    info = review._gathered(db, doc) if doc else None
    if doc is None or info is None:
        abort(404)
    return doc, info


def render_doc(case: Case, role: str, doc_id: int, status: int = 200, errors=None):
    db = session()
    doc, info = _doc_or_404(case, doc_id)
    manual = needs_manual_redaction(info.file_kind)
    rows, text = review.decisions(db, doc), ""
    sees_text = visibility.sees_document_text(role)
    if not manual and sees_text:
        text = review.text_of(doc, info)
    kinds = sorted({r.kind for r in rows if r.decision == "pending"})
    return render_template(
        "records/review_document.html",
        c=case,
        role=role,
        can_act=can_act(role),
        doc=doc,
        info=info,
        manual=manual,
        rows=[(r, review.context_of(text, r) if sees_text else None) for r in rows],
        sees_text=sees_text,
        pending_kinds=kinds,
        redacted=review.latest_redacted(db, doc),
        item=review.mail_item(db, doc),
        signoff=review.signoff_of(db, doc),
        check_reason=review.open_check(db, doc),
        collapse_reasons=COLLAPSE_REASONS,
        exemptions=EXEMPTIONS,
        errors=errors or {},
    ), status


@bp.get("/cases/<school>/<reference>/review/<int:doc_id>")
def review_document(school: str, reference: str, doc_id: int):
    case, role = case_for(school, reference, READERS)
    return render_doc(case, role, doc_id)


def _after_decisions(case: Case, doc: Document, changed: int):
    db = session()
    review.refresh_redacted_copy(db, case, doc)
    db.commit()
    flask.flash(f"{changed} decision{'s' if changed != 1 else ''} saved.", "success")
    return redirect(_url(case, "records.review_document", doc_id=doc.id))


@bp.post("/cases/<school>/<reference>/review/<int:doc_id>")
def review_decide(school: str, reference: str, doc_id: int):
    case, _ = case_for(school, reference)
    doc, _ = _doc_or_404(case, doc_id)
    choices = {k[2:]: v for k, v in request.form.items() if k.startswith("d-")}
    grounds = {k[2:]: v for k, v in request.form.items() if k.startswith("e-")}
    changed = review.decide(session(), doc, choices, actor(), grounds)
    return _after_decisions(case, doc, changed)


@bp.post("/cases/<school>/<reference>/review/<int:doc_id>/include")
def review_include(school: str, reference: str, doc_id: int):
    """Bring a collapsed or set-aside message back to be read (or leave it out again)."""
    case, role = case_for(school, reference)
    doc, _ = _doc_or_404(case, doc_id)
    include = request.form.get("include") == "yes"
    try:
        pending = review.set_included(session(), case, doc, include, actor())
    except ValueError as exc:
        session().rollback()
        return render_doc(case, role, doc_id, 409, {"include": str(exc)})
    session().commit()
    if include:
        flask.flash(f"Included for review: {pending} suggestions to decide.", "success")
    else:
        flask.flash("Left out of the bundle; it stays listed with the reason.", "success")
    return redirect(_url(case, "records.review_document", doc_id=doc.id))


@bp.post("/cases/<school>/<reference>/review/<int:doc_id>/settle")
def review_settle(school: str, reference: str, doc_id: int):
    """A reviewer has checked that the document really is about this pupil."""
    case, _ = case_for(school, reference)
    doc, _ = _doc_or_404(case, doc_id)
    review.settle_check(session(), doc, actor())
    session().commit()
    flask.flash("Recorded: the document is about this pupil.", "success")
    return redirect(_url(case, "records.review_document", doc_id=doc.id))


@bp.post("/cases/<school>/<reference>/review/<int:doc_id>/bulk")
def review_bulk(school: str, reference: str, doc_id: int):
    case, _ = case_for(school, reference)
    doc, _ = _doc_or_404(case, doc_id)
    changed = review.bulk_accept(session(), doc, (request.form.get("kind") or "")[:20], actor())
    return _after_decisions(case, doc, changed)


@bp.post("/cases/<school>/<reference>/review/<int:doc_id>/recheck")
def review_recheck(school: str, reference: str, doc_id: int):
    """Look again, e.g. after a new roll import: new suggestions arrive as pending."""
    case, _ = case_for(school, reference)
    doc, _ = _doc_or_404(case, doc_id)
    pending = review.analyse(session(), case, doc)
    session().commit()
    flask.flash(f"Checked again: {pending} suggestions to decide.", "success")
    return redirect(_url(case, "records.review_document", doc_id=doc.id))


@bp.post("/cases/<school>/<reference>/review/<int:doc_id>/redacted")
def review_upload_redacted(school: str, reference: str, doc_id: int):
    """A PDF or image redacted by hand replaces the original in the bundle (which is kept)."""
    case, role = case_for(school, reference)
    doc, _ = _doc_or_404(case, doc_id)
    file = request.files.get("file")
    if file is None or not file.filename:
        return render_doc(case, role, doc_id, 422, {"redacted-file": "Choose the redacted file."})
    data = file.read(MAX_BYTES + 1)
    try:
        checked = check(data, file.filename)
    except FileProblem as exc:
        return render_doc(case, role, doc_id, 422, {"redacted-file": str(exc)})
    db = session()
    documents.store_document(
        db, case, data, file.filename, checked, kind="redacted", created_by=actor(),
        note=review.MANUAL_REDACTED, source_id=doc.id,
    )  # fmt: skip
    db.commit()
    flask.flash("Redacted copy uploaded. The original is kept and not disclosed.", "success")
    return redirect(_url(case))


@bp.post("/cases/<school>/<reference>/withholdings")
def review_withhold(school: str, reference: str):
    case, role = case_for(school, reference)
    form = request.form
    doc_id = int(form["document"]) if (form.get("document") or "").isdigit() else None
    if doc_id is not None:
        _doc_or_404(case, doc_id)
    exemption, reason = form.get("exemption") or "", (form.get("reason") or "").strip()
    errors = {}
    if exemption not in EXEMPTIONS:
        errors["withhold-exemption"] = "Choose the exemption you are relying on."
    say_nothing = form.get("say_nothing") == "1"
    if say_nothing and exemption in EXEMPTIONS and exemption not in MAY_SAY_NOTHING:
        errors["withhold-say_nothing"] = review.SAY_NOTHING_ONLY
    if not reason:
        errors["withhold-reason"] = "Say why the exemption applies."
    elif len(reason) > MAX_REASON:
        errors["withhold-reason"] = f"Keep the reason to {MAX_REASON} characters or fewer."
    if errors:
        if doc_id is not None and form.get("from") == "document":
            return render_doc(case, role, doc_id, 422, errors)
        return render(case, role, 422, errors, given=form)
    review.withhold(session(), case, exemption, reason, actor(), doc_id, say_nothing)
    session().commit()
    silent = " The letter will say nothing about it." if say_nothing else ""
    flask.flash(f"Withholding recorded: {EXEMPTIONS[exemption]}.{silent}", "success")
    return redirect(_url(case, _anchor="withheld"))


@bp.post("/cases/<school>/<reference>/bundle")
def bundle_request(school: str, reference: str):
    case, role = case_for(school, reference)
    db = session()
    try:
        bundle.request(db, case, actor())
    except bundle.ReviewIncomplete as exc:
        db.rollback()
        errors = {"bundle": "Finish the review first."}
        return render(case, role, 409, errors, blockers=exc.blockers)
    db.commit()
    flask.flash("The bundle is being built. This page shows its progress.", "success")
    return redirect(_url(case, _anchor="bundle"))


def _bundle_or_404(case: Case, bundle_id: int) -> Bundle:
    row = session().get(Bundle, bundle_id)
    if row is None or row.case_id != case.id:
        abort(404)
    return row


@bp.get("/cases/<school>/<reference>/bundle/<int:bundle_id>.json")
def bundle_status(school: str, reference: str, bundle_id: int):
    case, _ = case_for(school, reference, READERS)
    row = _bundle_or_404(case, bundle_id)
    return jsonify(status=row.status, progress=row.progress, error=row.error or None)


@bp.post("/cases/<school>/<reference>/bundle/<int:bundle_id>/release")
def bundle_release(school: str, reference: str, bundle_id: int):
    case, role = case_for(school, reference)
    if role != "dpo":
        abort(403)
    row = _bundle_or_404(case, bundle_id)
    db = session()
    try:
        doc = release.release(db, case, row, actor())
    except release.ReleaseError as exc:
        db.rollback()
        return render(case, role, 409, {"release": str(exc)})
    db.commit()
    from sar_service.staff.helpers import london

    told = (
        " The parent is emailed a link."
        if case.requester_email
        else " The requester gave no email address: tell them another way."
    )
    flask.flash(
        f"Released to the parent portal until {london(doc.release_expires_at)}.{told}", "success"
    )
    return redirect(_url(case, _anchor="bundle"))


@bp.post("/cases/<school>/<reference>/delivery")
def delivery_record(school: str, reference: str):
    """The DPO records that the documents went by post, in person or by secure email: the
    state machine's ``record_delivery`` action, from the release area of this page."""
    from sar_service.cases import machine
    from sar_service.staff.access import me

    case, role = case_for(school, reference)
    if role != "dpo":
        abort(403)
    form = request.form
    db = session()
    on = delivery_date(form.get("on"))
    if on is None:
        return render(case, role, 422, {"delivery-on": "Give the day as a date."}, given=form)
    data = {"delivered_via": form.get("via") or "", "delivery_note": form.get("note") or ""}
    try:
        machine.apply(
            db, case, machine.Request("record_delivery", on=on, data=data),
            machine.Actor.staff(me(), case),
        )  # fmt: skip
    except machine.TransitionError as exc:
        db.rollback()
        fields = {"delivered_via": "delivery-via", "delivery_note": "delivery-note"}
        field = fields.get(exc.field or "", "delivery-on" if exc.field == "on" else "delivery-via")
        return render(case, role, exc.status, {field: exc.detail}, given=form)
    db.commit()
    flask.flash("Delivery recorded.", "success")
    return redirect(_url(case, _anchor="delivery"))


def delivery_date(value: str | None):
    from datetime import date

    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@bp.get("/cases/<school>/<reference>/schedule.csv")
def disclosure_schedule(school: str, reference: str):
    """The internal disclosure schedule for the case file (never sent to the requester)."""
    from flask import Response

    from sar_service.records import schedule
    from sar_service.staff.access import reads_documents

    case, role = case_for(school, reference, READERS)
    if not reads_documents(role):
        abort(403)
    data = schedule.to_csv(schedule.build(session(), case))
    name = f"{case.reference} disclosure schedule (internal).csv"
    return Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/cases/<school>/<reference>/review/<int:doc_id>/safeguarding")
def review_tag_safeguarding(school: str, reference: str, doc_id: int):
    """Tag a document as safeguarding: the DSL must sign it off before the bundle is built."""
    case, _ = case_for(school, reference)
    doc, _ = _doc_or_404(case, doc_id)
    review.tag_safeguarding(session(), case, doc, actor())
    session().commit()
    flask.flash("Tagged as safeguarding: the DSL must sign it off.", "success")
    return redirect(_url(case, "records.review_document", doc_id=doc.id))


@bp.post("/cases/<school>/<reference>/review/<int:doc_id>/dsl-signoff")
def review_dsl_signoff(school: str, reference: str, doc_id: int):
    """Only the designated safeguarding lead signs off a safeguarding document."""
    case, role = case_for(school, reference, frozenset({"dsl"}))
    doc, _ = _doc_or_404(case, doc_id)
    try:
        review.dsl_sign_off(session(), case, doc, actor())
    except ValueError as exc:
        session().rollback()
        return render_doc(case, role, doc_id, 409, {"signoff": str(exc)})
    session().commit()
    flask.flash("Signed off by the designated safeguarding lead.", "success")
    return redirect(_url(case, "records.review_document", doc_id=doc.id))
