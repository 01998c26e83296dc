"""Every email the service sends has a plain-text and an HTML part, from paired templates."""

from __future__ import annotations

from pathlib import Path

from sar_service import mail

EMAILS = Path(__file__).resolve().parents[2] / "templates" / "email"
LAYOUTS = {"reminder_base"}  # extended by the others, never sent alone


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
