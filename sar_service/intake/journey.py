"""What happens when a parent answers a question: save, check, decide where next.

Shared by the no-JavaScript pages and the chat's JSON endpoint, so both
behave identically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import request, url_for
from sqlalchemy.orm import Session

from sar_service import ratelimit
from sar_service.clock import today
from sar_service.i18n import selection
from sar_service.intake import drafts, flow, knowledge, multilingual, rights, steps, topics
from sar_service.models import Draft, School

AGE_OF_UNDERSTANDING = 12


@dataclass
class Outcome:
    redirect: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    answered: dict[str, Any] | None = None


def step_url(school: School, step: flow.Step | None, change: bool = False) -> str:
    if step is None:
        return url_for("intake.check", slug=school.slug)
    return url_for("intake.step", slug=school.slug, step=step.slug, **_change_args(change))


def _change_args(change: bool) -> dict[str, Any]:
    """``?change=1``: the step was reached from the check-your-answers page."""
    return {"change": 1} if change else {}


def post(s: Session, school: School, draft: Draft, step: flow.Step, change: bool) -> Outcome:
    """Handle one answered question. Answers are saved whatever happens next."""
    ip = ratelimit.client_ip(request)
    result = steps.read(step, request.form, request.files, school, draft.answers or {}, ip)
    result.updates["language"] = selection.current().code  # for emails about this draft
    if step.slug == "what":
        result.updates["offer_language"] = language_offer(request.form.get("story", ""), school)
    if result.question:
        answered = _answer(s, school, result.question)
        updates = result.updates | {"story": ""}
        if not answered["found"]:
            asked = (draft.answers or {}).get("questions", [])
            updates["questions"] = [*asked, result.question][: drafts.MAX_QUESTIONS]
        drafts.save(draft, updates, step.slug)
        return Outcome(answered=answered)
    drafts.save(draft, result.updates, step.slug)
    if request.form.get("action") == "save":
        emailed = drafts.email_resume_link(s, draft)
        return Outcome(redirect=url_for("intake.saved", slug=school.slug, emailed=int(emailed)))
    errors = dict(result.errors)
    for key, message in steps.errors_for(step, draft.answers, school, today()).items():
        errors.setdefault(key, message)
    if errors:
        return Outcome(errors=errors)
    if change:
        return Outcome(
            redirect=step_url(
                school, steps.first_incomplete(draft.answers, school, today()), change=True
            )
        )
    return Outcome(redirect=step_url(school, flow.next_step(draft.answers, step.slug)))


def _answer(s: Session, school: School, question: str) -> dict[str, Any]:
    """Answer from the (English) privacy notice. A question in another language is
    searched for by its topic's English question, and the parent is told, in their
    language, what the passage is about."""
    got = multilingual.understand_for_page(question, school.offers_educational_record)
    topic = got.topic if got.language != "en" else None
    query = topics.TOPICS[topic][0] if topic in topics.TOPICS else question
    answered = knowledge.answer(s, school, query)
    answered["question"] = question
    answered["about"] = topic or ""
    return answered


def language_offer(text: str, school: School) -> str:
    """The language to offer if the parent typed in another one we support, else ""."""
    from sar_service.i18n import detect

    code = detect.detect(text)
    current = selection.current().code
    return code if code and code != current and code in selection.enabled_codes(school) else ""


def _offer(school: School, step: flow.Step, answers: dict[str, Any]) -> dict[str, str] | None:
    """The switch offer, written in the language we think the parent typed."""
    from flask_babel import force_locale

    from sar_service.i18n import offers
    from sar_service.i18n.text import gettext

    code = answers.get("offer_language")
    if not code or code == selection.current().code or code not in selection.enabled_codes(school):
        return None
    from sar_service.i18n.languages import get as language_of

    with force_locale(code):
        text, accept = gettext(offers.OFFER), gettext(offers.ACCEPT)
    return {
        "code": code,
        "dir": language_of(code).direction,
        "text": text,
        "accept": accept,
        "url": step_url(school, step) + f"?lang={code}",
    }


def page_context(
    school: School, draft: Draft, step: flow.Step, outcome: Outcome | None, change: bool
) -> dict[str, Any]:
    """Everything the step template needs (also rendered as the chat's fragment)."""
    answers = draft.answers or {}
    outcome = outcome or Outcome()
    prev = flow.previous_step(answers, step.slug)
    return {
        "school": school,
        "step": step,
        "fields": _fields(step, school),
        "values": answers,
        "errors": outcome.errors,
        "answered": outcome.answered,
        "change": change,
        "back_url": url_for("intake.check", slug=school.slug)
        if change
        else (step_url(school, prev) if prev else url_for("intake.start", slug=school.slug)),
        "action_url": step_url(school, step, change),
        "chat_url": url_for(
            "intake.chat", slug=school.slug, step=step.slug, **_change_args(change)
        ),
        "notes": _notes(step, answers),
        "offer": _offer(school, step, answers),
        "about": str(topics.TOPICS[a][1])
        if (a := (outcome.answered or {}).get("about")) in topics.TOPICS
        else "",
        "age_note": _age_note(step, answers),
        "limits": [rights.LIMITS[t] for t in sorted(step.types or ()) if t in rights.LIMITS],
        "explain": [rights.RIGHTS[t][1] for t in sorted(step.types or ())],
    }


def _fields(step: flow.Step, school: School) -> list[flow.Field]:
    if step.slug != "types":
        return list(step.fields)
    from dataclasses import replace

    return [replace(step.fields[0], options=flow.type_options(school.offers_educational_record))]


def _notes(step: flow.Step, answers: dict[str, Any]) -> dict[str, Any]:
    if step.slug != "types" or not answers.get("story"):
        return {}
    understood = [t for t in answers.get("understood", []) if t in rights.RIGHTS]
    return {
        "understood": [rights.label(t) for t in understood],
        "notes": [n for n in answers.get("understood_notes", []) if isinstance(n, str)],
        "nothing": not understood,
    }


def age_of(answers: dict[str, Any]) -> int | None:
    return flow.child_age(answers, today())


def child_should_be_asked(answers: dict[str, Any]) -> bool:
    """A parent asking about a child of 12 or more: the information is the child's (ICO)."""
    age = age_of(answers)
    return age is not None and age >= AGE_OF_UNDERSTANDING and not flow.is_pupil(answers)


def _age_note(step: flow.Step, answers: dict[str, Any]) -> bool:
    after_dob = flow.next_step(answers, "dob")
    return bool(child_should_be_asked(answers) and after_dob and after_dob.slug == step.slug)
