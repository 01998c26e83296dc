"""Issue 11 item 15: an identity letter never says "we cannot take any further action"
when the case also holds a withdrawal of consent (effective at once) or a complaint (its
clock does not wait for ID). Real letters, opened back as .docx."""

from __future__ import annotations

import pytest

from sar_service.clock import today
from sar_service.letters.kinds import missing_content
from sar_service.letters.service import generate_letter
from tests.letters.conftest import open_letter


@pytest.mark.parametrize(
    ("types", "now"),
    [
        (("access", "withdraw_consent"), "Your withdrawal of consent took effect when you gave it"),
        (("rectification", "complaint"), "We are dealing with your complaint now"),
        (("withdraw_consent",), "Your withdrawal of consent took effect when you gave it"),
    ],
)
def test_rights_that_do_not_wait_for_id_are_not_put_on_hold(
    app, db, factory, letterhead_school, types, now
):
    case = factory.case(letterhead_school, today(), types=types)
    flat = open_letter(app, generate_letter(db, case, "identity_request", actor_label="DPO")).flat
    assert "cannot take any further action" not in flat
    assert now in flat
    waiting = [t for t in types if t in ("access", "rectification")]
    assert ("starts on the day we receive your proof of identity" in flat) == bool(waiting)


def test_an_access_request_alone_still_waits_for_id(app, db, factory, letterhead_school):
    case = factory.case(letterhead_school, today())
    letter = open_letter(app, generate_letter(db, case, "identity_request", actor_label="DPO"))
    assert "Until then, we cannot take any further action on your request." in letter.flat


def test_the_check_catches_a_school_wording_that_puts_everything_on_hold():
    from dataclasses import replace

    from sar_service.letters.render import letter_text, render_letter, sample_context

    ctx = replace(sample_context("identity_request"), request_types=["access", "complaint"])
    old = (
        "Dear Sarah Hart,\n\nWe need proof of identity. The time limit starts when we receive "
        "it. Until then, we cannot take any further action on your request."
    )
    text = letter_text(render_letter(ctx, old))
    assert any("do not wait" in item for item in missing_content(ctx, text))
