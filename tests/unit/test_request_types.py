"""Every RequestType reaches every consumer: validation, intake, staff form, clocks,
letters, gathering, reminders and the privacy-notice reader.

The tables those consumers use are derived from ``workflows.request_types`` when
they are imported. Each check below takes one RequestType and asserts what a user
would notice if that consumer missed it (no question for a required detail, no
button, no clock, no outcome letter, ...). ``test_a_type_a_consumer_misses_is_caught``
proves the checks can fail: a type added after the consumers built their tables is
reported by every check.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from sar_service.cases import clocks, validation
from sar_service.intake import flow, rights, steps, understand
from sar_service.letters import build, kinds, render, samples
from sar_service.letters.context import REQUEST_TYPE_LABELS
from sar_service.models import Case, School
from sar_service.models.case import CaseType
from sar_service.notices import answers, mining
from sar_service.notify import reminders
from sar_service.records import bundle, gathering
from sar_service.resources import TEMPLATES_DIR
from sar_service.staff import forms
from workflows import request_types
from workflows.request_types import CLOCKS, REQUEST_TYPES, Detail, NoticeRight, RequestType

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 3, 2)
TYPES = list(REQUEST_TYPES.values())


def _payload(t: RequestType, details: dict | None = None) -> dict:
    return {
        "types": [t.name],
        "requester": {"name": "Sam Hart", "email": "sam@example.com", "relationship": "mother"},
        "subject": {"name": "Amelia Hart", "date_of_birth": "2014-03-27"},
        "details": {t.name: details if details is not None else {}},
    }


def check_validation(t: RequestType) -> None:
    """The API and the intake accept the type, and ask for each required detail."""
    assert validation.REQUIRED_DETAILS[t.name] == {d.key: d.missing for d in t.required_details}
    empty = validation.validate_request(_payload(t), school_kind="maintained", today=TODAY)
    for d in t.required_details:
        assert empty.errors.get(f"details.{t.name}.{d.key}") == d.missing
    full = {d.key: "x" * d.max_length for d in t.details}
    ok = validation.validate_request(_payload(t, full), school_kind="maintained", today=TODAY)
    assert ok.ok, ok.errors
    too_long = {d.key: "x" * (d.max_length + 1) for d in t.details}
    bad = validation.validate_request(_payload(t, too_long), school_kind="maintained", today=TODAY)
    assert set(bad.errors) == {f"details.{t.name}.{d.key}" for d in t.details}
    academy = validation.validate_request(_payload(t, full), school_kind="academy", today=TODAY)
    assert ("types" in academy.errors) == t.maintained_only


def check_intake(t: RequestType) -> None:
    """A parent sees a button with the type's words, and one page asking its details."""
    assert rights.RIGHTS[t.name] == (t.parent_label, t.parent_hint) and t.parent_label
    assert rights.LIMITS.get(t.name, "") == t.limit_note
    assert (t.name, t.parent_label, t.parent_hint) in flow.type_options(True)
    assert any(o[0] == t.name for o in flow.type_options(False)) != t.maintained_only
    pages = [s for s in flow.STEPS if s.types == frozenset({t.name})]
    if not t.details:
        assert pages == []
        return
    (page,) = pages
    assert page.title == t.details_title and page.summary == t.parent_label
    asked = {f.name: f for f in page.fields}
    assert set(asked) == {f"details.{t.name}.{d.key}" for d in t.details}
    for d in t.details:
        field = asked[f"details.{t.name}.{d.key}"]
        assert (field.optional, field.max_length) == (not d.required, d.max_length)
    answers_ = {"types": [t.name]}
    assert page in flow.steps_for(answers_)
    story = steps.PREFILL_FROM_STORY.get(t.name)
    assert story == (f"details.{t.name}.{t.story_detail}" if t.story_detail else None)
    assert story is None or story in asked


def check_understanding(t: RequestType) -> None:
    """The intake recognises the type from the parent's own words."""
    assert understand.PATTERNS[t.name] == t.keywords and t.keywords
    for other in t.supersedes:
        assert other in REQUEST_TYPES


def check_staff_form(t: RequestType) -> None:
    """Staff logging a request by hand are asked the same details as a parent."""
    questions = forms.detail_questions().get(t.name, {})
    assert set(questions) == {d.key for d in t.details}


def check_clocks(t: RequestType) -> None:
    """A case with only this type gets its own clock, and no other."""
    assert t.clock in CLOCKS
    school = School(name="Oak", slug="oak", kind="maintained")
    case = Case(received_on=TODAY, school=school)
    case.type_rows = [CaseType(type=t.name)]
    case.clock_events = []
    computed = clocks.compute(case, as_of=TODAY)
    got = {
        "one_month": computed.statutory,
        "school_days": computed.school_days,
        "complaint": computed.complaint,
    }
    assert {k for k, v in got.items() if v is not None} == {t.clock}
    assert (t.name in reminders.ONE_MONTH_TYPES) == (t.clock == "one_month")
    assert not t.pausable or t.clock == "one_month"
    assert not t.extendable or t.clock == "one_month"


def check_letters(t: RequestType) -> None:
    """Letters name the request in words, and the type has its own outcome letter."""
    assert REQUEST_TYPE_LABELS[t.name] == t.letter_words and t.letter_words
    kind = t.outcome_letter
    assert kind in kinds.KINDS
    assert (render.template_dir() / f"{kind}.txt").is_file()
    assert samples.sample_context(kind).request_types == [t.name]
    assert build.KIND_FOR_TYPE[kind] == t.name
    assert (kind in build.OUTCOME_KINDS) == t.staff_decides
    assert t.complaints_route in {"ico", "school_and_dfe"}
    if t.staff_decides:
        art19 = {c.key for c in kinds.KINDS[kind].checks} & {"recipients_notified"}
        assert bool(art19) == t.tells_recipients


def check_acknowledgement(t: RequestType) -> None:
    """The acknowledgement (a real .docx) names the request and promises what its clock allows."""
    ctx = replace(samples.sample_context("acknowledgement"), request_types=[t.name])
    text = render.letter_text(render.render_letter(ctx))
    plain = kinds.normalise(text)
    assert kinds.normalise(t.letter_words) in plain
    assert ("two further months" in plain) == t.extendable
    assert ("15 school days" in plain) == (t.clock == "school_days")
    assert kinds.missing_content(ctx, text) == []


def check_identity_letter(t: RequestType) -> None:
    """The identity letter never says a right that does not wait for ID is on hold."""
    ctx = replace(samples.sample_context("identity_request"), request_types=[t.name])
    text = render.letter_text(render.render_letter(ctx))
    plain = kinds.normalise(text)
    assert ("cannot take any further action" in plain) == (not t.without_identity)
    assert not t.without_identity or kinds.normalise(t.without_identity) in plain
    assert kinds.missing_content(ctx, text) == []


def check_gathering(t: RequestType) -> None:
    """Records are searched for exactly the types that gather them."""
    assert (t.name in gathering.GATHERING_TYPES) == t.gathers_records
    assert (t.outcome_letter in bundle.LETTER_KINDS) == t.gathers_records


def check_notices(t: RequestType) -> None:
    """A privacy notice listing this right is read, and explained back in the type's words."""
    keys = {key: name for key, name, _ in mining._RIGHTS}
    if t.notice is None:
        assert t.name not in keys and t.name not in answers._RIGHT_PHRASES
        return
    assert keys.get(t.name) == t.notice.name
    assert answers._RIGHT_PHRASES.get(t.name) == t.notice.words


CHECKS = [
    check_validation,
    check_intake,
    check_understanding,
    check_staff_form,
    check_clocks,
    check_letters,
    check_acknowledgement,
    check_identity_letter,
    check_gathering,
    check_notices,
]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("type_", TYPES, ids=lambda t: t.name)
def test_every_consumer_knows_every_type(type_, check):
    check(type_)


def test_no_letter_template_lists_types_by_name():
    """Templates ask the context (``extension_possible`` ...), never spell a list of types."""
    names = "|".join(REQUEST_TYPES)
    quoted = re.compile(rf"""["']({names})["']""")
    for path in sorted(TEMPLATES_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".txt", ".html"}:
            assert not quoted.search(path.read_text(encoding="utf-8")), path


def test_withdrawal_of_consent_is_not_promised_an_extension():
    """LEGAL.md: consent withdrawal takes effect when given; Art 12(3) extension is for
    access, rectification, erasure, restriction and objection only (the tables disagreed)."""
    assert {t.name for t in TYPES if t.extendable} == {
        "access",
        "rectification",
        "erasure",
        "restriction",
        "objection",
    }
    assert {t.name for t in TYPES if t.pausable} == {"access"}


FAKE = RequestType(
    "portability",
    "Data portability",
    "UK GDPR Art 20",
    "weekly",
    extendable=True,
    parent_label="Get the information in a form you can reuse",
    parent_hint="For example to move it to another school.",
    limit_note="Only for information you gave us.",
    letter_words="a portable copy of the personal data",
    details=(Detail("format", "Which format?", missing="Tell us which format."),),
    details_title="Which format do you want?",
    story_detail="format",
    keywords=(r"\bportab",),
    outcome_letter="portability_response",
    staff_decides=True,
    tells_recipients=True,
    gathers_records=True,
    notice=NoticeRight("Data portability", r"portab", "ask for a portable copy"),
)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_a_type_a_consumer_misses_is_caught(check, monkeypatch):
    """Declared after every consumer built its tables, the fake type is missed by each one,
    and each check says so: the walk above cannot pass by accident."""
    if check is check_staff_form:
        # The staff form reads the types live; give it a table of its own, as before.
        monkeypatch.setattr(forms, "REQUEST_TYPES", dict(REQUEST_TYPES))
    monkeypatch.setitem(REQUEST_TYPES, FAKE.name, FAKE)
    assert request_types.REQUEST_TYPES[FAKE.name] is FAKE
    with pytest.raises((AssertionError, KeyError, ValueError)):
        check(FAKE)
