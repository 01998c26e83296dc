"""A letter read online (the portal's letter page, the letter email's body) is a web page:
the .docx footer's "Page n of m" is Word's field, whose stored value is always "1", so a
two-page letter said "Page 1 of 1" online. The reference stays; the page count goes."""

from __future__ import annotations

from sar_service.clock import today
from sar_service.letters.reading import read, stored_bytes, to_html
from sar_service.letters.service import create_letter


def test_a_letter_online_keeps_its_reference_but_no_page_numbers(db, factory):
    school = factory.school("oakfield", dpo_email="dpo@oakfield.example")
    case = factory.case(school, today())
    document, errors = create_letter(db, case, "identity_request", {}, actor_label="DPO")
    db.commit()  # the caller commits (one commit rule)
    assert errors == {}, errors
    letter = read(stored_bytes(document))
    assert any("Page" in p.text for p in letter.footer)  # the .docx keeps Word's fields
    html = str(to_html(letter))
    assert f"Reference {case.reference}" in html
    assert "Page 1 of 1" not in html and "| Page" not in html
