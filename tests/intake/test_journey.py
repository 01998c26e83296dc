"""The no-JavaScript journey through Flask's test client: questions, errors, drafts, the case."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes
from email.policy import default

import time_machine
from sqlalchemy import select

from sar_service.intake import steps
from sar_service.intake.drafts import MAX_RESUME_EMAILS
from sar_service.models import Case, Draft, Notification
from sar_service.processes import run_worker
from tests.intake.web import DOB, Journey, answer_common, csrf, errors, text


def _finish_access(j: Journey):
    assert (
        j.answer(
            "access",
            {
                "details.access.which": "Behaviour notes",
                "details.access.period": "since September 2025",
            },
        ).status_code
        == 302
    )
    assert j.answer("identity", {"identity.method": "in_person"}).location.endswith("/check")
    return j.submit()


@time_machine.travel("2026-03-02 10:00:00+00:00", tick=False)
def test_access_journey_creates_the_case_with_details_and_due_date(client, factory, db):
    factory.school("oakfield")
    j = Journey(client)
    answer_common(j, "I want to see what you've got on my daughter", ["access"])
    assert _finish_access(j).location.endswith("/s/oakfield/done")

    case = db.scalar(select(Case))
    assert case.types == ["access"]
    assert case.due_date == date(2026, 4, 2)
    assert case.details["access"] == {"which": "Behaviour notes", "period": "since September 2025"}
    assert case.details["identity"] == {"method": "in_person"}
    assert case.subject_dob == date(2015, 5, 4) and case.relationship_to_subject == "mother"
    assert case.events[0].actor_label == "Online request form"

    page = j.get("done")
    words = text(page.text)
    assert case.reference in words
    assert "We will reply by 2 April 2026" in words
    assert "/portal/" in page.text


def test_understood_types_are_confirmed_on_the_choice_page(client, factory):
    factory.school("oakfield")
    j = Journey(client)
    j.start()
    assert j.answer("what", {"story": "take his photo off the website"}).status_code == 302
    page = j.get("q/types")
    words = text(page.text)
    assert "We think you want to: Delete information Take back consent you gave" in words
    assert "usually used with your consent" in words
    checked = [
        v
        for v in ("erasure", "withdraw_consent", "access")
        if f'value="{v}"\n          checked' in page.text
    ]
    assert checked == ["erasure", "withdraw_consent"]
    # The parent's words are carried into the details question, ready to edit.
    j.answer("types", {"types": ["erasure"]})
    j.answer("relationship", {"requester.relationship": "father"})
    j.answer("child", {"subject.name": "Tom"})
    j.answer("dob", DOB)
    j.answer("your-name", {"requester.name": "Ian"})
    j.answer("contact", {"requester.phone": "07700 900982"})
    assert "take his photo off the website" in j.get("q/erasure").text


def test_nothing_understood_falls_back_to_the_buttons(client, factory):
    factory.school("oakfield")
    j = Journey(client)
    j.start()
    j.answer("what", {"story": "banana"})
    assert "We could not tell what you want" in text(j.get("q/types").text)


def test_a_question_is_answered_or_passed_on_and_the_page_stays(client, factory, db):
    factory.school("oakfield")
    j = Journey(client)
    j.start()
    r = j.answer("what", {"story": "Who do you share data with?"})
    assert r.status_code == 200
    assert "You asked:" in text(r.text)
    assert "I can't answer that from the privacy notice." in text(r.text)  # no notice here
    assert "Send your question to the school" in text(r.text)  # offered, not claimed
    draft = db.scalar(select(Draft))
    db.refresh(draft)
    assert draft.answers["questions"] == ["Who do you share data with?"]


def test_errors_show_beside_the_field_and_the_draft_keeps_what_was_typed(client, factory, db):
    factory.school("oakfield")
    j = Journey(client)
    answer_common(j, "his date of birth is wrong", ["rectification"])
    r = j.answer(
        "rectification",
        {"details.rectification.current": "DOB is 5 May", "details.rectification.correction": ""},
    )
    assert r.status_code == 400
    assert errors(r.text) == ["Tell us what it should say."]
    assert 'href="#details-rectification-correction"' in r.text  # error summary links the field
    assert "DOB is 5 May" in j.get("q/rectification").text  # not lost
    long = "x" * 201
    r = j.answer("your-name", {"requester.name": long})
    assert errors(r.text) == ["Your full name must be 200 characters or fewer."]
    assert long in j.get("q/your-name").text


def test_date_of_birth_must_be_real(client, factory):
    factory.school("oakfield")
    j = Journey(client)
    j.start()
    bad = {
        "subject.date_of_birth-day": "31",
        "subject.date_of_birth-month": "2",
        "subject.date_of_birth-year": "2015",
    }
    j.answer("types", {"types": ["access"]})
    assert errors(j.answer("dob", bad).text) == [
        "Date of birth must be a real date, like 27 3 2014."
    ]
    future = bad | {"subject.date_of_birth-day": "1", "subject.date_of_birth-year": "2099"}
    assert errors(j.answer("dob", future).text) == ["The date of birth must be in the past."]


@time_machine.travel("2026-03-02 10:00:00+00:00", tick=False)
def test_child_of_twelve_or_more_is_explained(client, factory):
    factory.school("oakfield")
    j = Journey(client)
    j.start()
    j.answer("types", {"types": ["access"]})
    j.answer("relationship", {"requester.relationship": "mother"})
    old = {
        "subject.date_of_birth-day": "1",
        "subject.date_of_birth-month": "3",
        "subject.date_of_birth-year": "2014",
    }
    j.answer("dob", old)
    assert "Your child is 12 or over" in j.get("q/your-name").text
    j.answer("dob", DOB)
    assert "12 or over" not in j.get("q/your-name").text


@time_machine.travel("2026-03-02 10:00:00+00:00", tick=False)
def test_check_page_explains_the_childs_view_from_their_twelfth_birthday(client, factory):
    factory.school("oakfield")
    j = Journey(client)
    answer_common(j, "", ["access"])
    j.answer("access", {})
    j.answer("identity", {"identity.method": "in_person"})
    for day, shown in (("2", True), ("3", False)):  # 12 today; 12 tomorrow
        born = {**DOB, "subject.date_of_birth-day": day, "subject.date_of_birth-month": "3"}
        j.answer("dob", born | {"subject.date_of_birth-year": "2014"})
        page = j.get("check")
        assert page.status_code == 200
        assert ("data-age-note" in page.text) is shown, day


def test_change_link_returns_to_check_answers(client, factory):
    factory.school("oakfield")
    j = Journey(client)
    answer_common(j, "", ["access"])
    _ = j.answer("access", {})
    j.answer("identity", {"identity.method": "in_person"})
    check = j.get("check")
    assert "/q/child?change=1" in check.text
    r = j.answer("child?change=1", {"subject.name": "Amelia Rose Hart"})
    assert r.location.endswith("/check")
    assert "Amelia Rose Hart" in j.get("check").text
    # Adding a right in change mode asks its new question before going back.
    r = j.answer("types?change=1", {"types": ["access", "complaint"]})
    assert r.location.endswith("/q/complaint?change=1")


def test_no_email_is_told_how_we_will_reply(client, factory):
    factory.school("oakfield")
    j = Journey(client)
    answer_common(j, "", ["access"], email="")
    j.answer("access", {})
    j.answer("identity", {"identity.method": "in_person"})
    j.submit()
    words = text(j.get("done").text)
    assert "You did not give an email address, so we will phone you on 07700 900982" in words


def test_pupil_is_not_asked_their_name_twice(client, factory, db):
    factory.school("oakfield")
    j = Journey(client)
    j.start()
    j.answer("what", {"story": ""})
    j.answer("types", {"types": ["complaint"]})
    r = j.answer("relationship", {"requester.relationship": "pupil"})
    j.answer("child", {"subject.name": "Amelia Hart"})
    r = j.answer("dob", DOB)
    assert r.location.endswith("/q/contact")
    j.answer("contact", {"requester.email": "amelia@example.com"})
    j.answer("complaint", {"details.complaint.summary": "You shared my address"})
    j.answer("identity", {"identity.method": "in_person"})
    j.submit()
    case = db.scalar(select(Case))
    assert case.requester_name == "Amelia Hart" and case.types == ["complaint"]


def test_educational_record_is_offered_only_by_maintained_schools(client, factory):
    factory.school("oakfield", kind="maintained")
    factory.school("elm-academy", kind="academy")
    j = Journey(client)
    j.start()
    assert 'value="educational_record"' in j.get("q/types").text
    a = Journey(client, "elm-academy")
    a.start()
    assert 'value="educational_record"' not in a.get("q/types").text
    a.answer("what", {"story": "I want her school report"})
    page = text(a.get("q/types").text)
    assert "does not have to give access to the educational record" in page
    assert "See the information the school holds" in page


@time_machine.travel("2026-03-02 10:00:00+00:00", tick=False)
def test_educational_record_confirmation_shows_both_dates(client, factory, db):
    factory.school("oakfield")
    j = Journey(client)
    answer_common(j, "Can I see his exercise books?", ["educational_record"])
    j.answer("identity", {"identity.method": "in_person"})
    j.submit()
    words = text(j.get("done").text)
    case = db.scalar(select(Case))
    assert case.school_days_due_date is not None
    assert f"by {case.school_days_due_date.day} {case.school_days_due_date:%B %Y}" in words


def test_forms_need_a_csrf_token(client, factory):
    factory.school("oakfield")
    r = client.post("/s/oakfield/start", data={})
    assert r.status_code == 400


def test_save_and_resume_in_another_browser(app, client, factory, db):
    factory.school("oakfield")
    j = Journey(client)
    answer_common(j, "", ["access"])
    outbox = app.config["SAR_SETTINGS"].outbox_dir
    before = set(outbox.glob("*.eml"))
    r = j.answer("access", {"details.access.which": "Reports"}, action="save")
    assert "/saved" in r.location
    saved = client.get(r.location)
    assert "We have also emailed this link to sarah@example.com" in text(saved.text)
    link = saved.text.split("data-resume-link")[0].rsplit('value="', 1)[1].split('"')[0]
    other = app.test_client()
    r = other.get(link.replace("http://localhost", ""))
    assert r.status_code == 302 and r.location.endswith("/q/identity")
    assert "Reports" in other.get("/s/oakfield/q/access").text
    assert other.get("/s/oakfield/resume/forged-token").status_code == 404
    draft = db.scalar(select(Draft))
    [email] = db.scalars(select(Notification).where(Notification.kind == "draft_resume"))
    assert email.data == {"draft_id": draft.id, "language": "en"}, "ids only: signed when sent"
    assert set(outbox.glob("*.eml")) == before, "the page only queues the email"
    assert run_worker(app, burst=True)
    (new,) = set(outbox.glob("*.eml")) - before
    message = message_from_bytes(new.read_bytes(), policy=default)
    assert message["To"] == "sarah@example.com"
    plain = message.get_body(("plain",)).get_content()
    emailed = next(w for w in plain.split() if "/resume/" in w)
    assert emailed.startswith("http://127.0.0.1:5000/s/oakfield/resume/"), "BASE_URL, no request"
    third = app.test_client()
    assert third.get(emailed.replace("http://127.0.0.1:5000", "")).location.endswith("/q/identity")


def test_resume_emails_are_capped_when_asked_for(app, client, factory, db):
    factory.school("oakfield")
    j = Journey(client)
    answer_common(j, "", ["access"])
    for _ in range(MAX_RESUME_EMAILS):
        r = j.answer("access", {"details.access.which": "Reports"}, action="save")
        assert r.location.endswith("emailed=1")
    r = j.answer("access", {"details.access.which": "Reports"}, action="save")
    assert r.location.endswith("emailed=0")
    assert "We have also emailed" not in text(client.get(r.location).text)
    assert db.scalar(select(Draft)).resume_emails == MAX_RESUME_EMAILS
    jobs = db.scalars(select(Notification).where(Notification.kind == "draft_resume")).all()
    assert len(jobs) == MAX_RESUME_EMAILS, "one row per click, up to the cap"


def test_check_page_sends_unfinished_drafts_back_to_the_missing_question(client, factory):
    factory.school("oakfield")
    j = Journey(client)
    j.start()
    j.answer("types", {"types": ["access"]})
    r = j.get("check")
    assert r.status_code == 302 and r.location.endswith("/q/relationship")


def test_check_page_runs_the_shared_rules_once(client, factory, monkeypatch):
    factory.school("oakfield")
    j = Journey(client)
    answer_common(j, "", ["access", "erasure"])
    j.answer("access", {})
    j.answer("erasure", {"details.erasure.what": "Old photos"})
    assert j.answer("identity", {"identity.method": "in_person"}).location.endswith("/check")
    calls = []
    real = steps.validate_request

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(steps, "validate_request", counted)
    assert j.get("check").status_code == 200
    assert len(calls) == 1, "one check of the whole request, shared out to its pages"


def test_unknown_school_is_404(client, app):
    assert client.get("/s/nowhere/").status_code == 404


def test_home_lists_schools_or_redirects_to_the_only_one(client, factory):
    factory.school("oakfield")
    assert client.get("/").location.endswith("/s/oakfield/")
    factory.school("elm-academy", kind="academy")
    assert "Elm Academy School" in client.get("/").text


def test_start_page_offers_to_continue_a_draft(client, factory):
    factory.school("oakfield")
    j = Journey(client)
    j.start()
    j.answer("what", {"story": "delete everything"})
    assert "Continue your request" in j.get("").text
    assert csrf(j.get("").text)


def test_the_confirmation_page_does_not_keep_the_link_on_a_shared_computer(client, factory):
    """Quoted finding: after "done", the next person at the same computer could open the
    confirmation page and follow the portal link. It is shown once, then forgotten."""
    factory.school("oakfield")
    j = Journey(client)
    answer_common(j, "I want to see what you've got on my daughter", ["access"])
    _finish_access(j)
    assert "/portal/" in j.get("done").text
    later = j.get("done")
    assert "/portal/" not in later.text
