"""Every email the service sends has a plain-text and an HTML part, from paired templates."""

from __future__ import annotations

import pytest

from sar_service import mail
from sar_service.resources import EMAIL_TEMPLATES_DIR

EMAILS = EMAIL_TEMPLATES_DIR
LAYOUTS = {"_layout"}  # extended by the others, never sent alone


def test_every_email_template_comes_as_a_text_and_html_pair():
    text = {p.stem for p in EMAILS.glob("*.txt")}
    html = {p.stem for p in EMAILS.glob("*.html")} - LAYOUTS
    assert text == html, f"unpaired: {sorted(text ^ html)}"


def test_a_templated_message_has_both_parts_and_escapes_html(app, settings):
    context = {"user": type("U", (), {"name": "Ann <b>Bold</b>"})(), "intro": "", "link": "L"}
    with app.test_request_context():
        msg = mail.templated("password_link", context, to="a@example.com", subject="S")
    email = mail.compose(settings, msg)
    assert email.get_body(("plain",)).get_content().startswith("Hello Ann <b>Bold</b>,")
    assert "Hello Ann &lt;b&gt;Bold&lt;/b&gt;," in email.get_body(("html",)).get_content()


def test_absolute_links_come_from_the_url_map_and_a_wrong_one_raises(app, settings):
    from werkzeug.routing import BuildError

    with app.app_context():
        url = mail.absolute_url(settings, "staff.case_page", school="oak", reference="SAR-1")
        assert url == "http://127.0.0.1:5000/staff/cases/oak/SAR-1"
        with pytest.raises(BuildError):
            mail.absolute_url(settings, "staff.case_page", reference="SAR-1")  # no school


def test_link_emails_use_the_shared_layout_without_the_staff_small_print(app):
    from flask import render_template

    school = type("S", (), {"name": "Oak School"})()
    case = type("C", (), {"requester_name": "Sarah Hart", "reference": "SAR-1"})()
    user = type("U", (), {"name": "Ann"})()
    context = {"school": school, "case": case, "user": user, "intro": "", "link": "L"}
    with app.test_request_context():
        for name in ("portal_link", "draft_resume", "password_link"):
            html = render_template(f"email/{name}.html", expires=14, **context)
            assert html.startswith("<!doctype html>") and "<title>" in html, name
            assert "font-family: Arial" in html, name
            assert "through the SAR Service" not in html and "#505a5f" not in html, name
