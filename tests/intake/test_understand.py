"""Free text -> the rights we think the parent means."""

import pytest

from sar_service.intake.understand import understand


@pytest.mark.parametrize(
    ("text", "types"),
    [
        ("I want to see what you've got on my son", ["access"]),
        ("I want a copy of all the information you hold on my daughter", ["access"]),
        ("his date of birth is wrong", ["rectification"]),
        ("Her surname is spelt wrong on reports", ["rectification"]),
        ("take his photo off the website", ["erasure", "withdraw_consent"]),
        ("delete everything", ["erasure"]),
        ("I don't want you using Google Classroom for her", ["objection"]),
        ("Please stop sending marketing emails", ["objection"]),
        ("I want to complain", ["complaint"]),
        ("I want to complain about how you shared my address", ["complaint"]),
        ("Can I see her school report and exercise books?", ["educational_record"]),
        ("I withdraw my consent for the class WhatsApp", ["withdraw_consent"]),
        ("Please restrict use of his medical notes until you check them", ["restriction"]),
    ],
)
def test_phrases_map_to_rights(text, types):
    assert understand(text).types == types


def test_questions_are_recognised_not_guessed_as_requests():
    got = understand("Who do you share data with?")
    assert got.types == [] and got.is_question
    assert understand("how long do you keep records").is_question


def test_photos_on_a_website_offer_consent_and_erasure_with_a_note():
    got = understand("Please remove my daughter's pictures from your Facebook page")
    assert got.types == ["erasure", "withdraw_consent"]
    assert "consent" in got.notes[0]


def test_educational_record_becomes_access_where_the_school_need_not_offer_it():
    got = understand("I want his school report", offers_educational_record=False)
    assert got.types == ["access"]
    assert "does not have to give access to the educational record" in got.notes[0]


def test_nonsense_is_not_understood():
    got = understand("banana")
    assert got.types == [] and not got.is_question
