"""Parent pages in the parent's language: choice, browser, school settings, RTL; staff: English."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from sar_service.models import Case
from tests.intake.web import Journey, answer_common, text


def test_explicit_choice_wins_and_is_remembered(client, factory):
    factory.school("oakfield")
    page = client.get("/s/oakfield/?lang=pl", headers={"Accept-Language": "es"})
    assert 'lang="pl"' in page.text and 'dir="ltr"' in page.text
    assert "Zacznij teraz" in page.text
    again = client.get("/s/oakfield/", headers={"Accept-Language": "es"})
    assert "Zacznij teraz" in again.text, "the choice is kept in the session"


def test_browser_language_is_honoured_and_arabic_is_right_to_left(client, factory):
    factory.school("oakfield")
    page = client.get("/s/oakfield/", headers={"Accept-Language": "ar-SA,ar;q=0.9,en;q=0.5"})
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "ابدأ الآن" in page.text
    urdu = client.get("/s/oakfield/", headers={"Accept-Language": "ur-PK"})
    assert 'dir="rtl"' in urdu.text and 'lang="ur"' in urdu.text


def test_unsupported_browser_language_falls_back_to_english(client, factory):
    factory.school("oakfield")
    page = client.get("/s/oakfield/", headers={"Accept-Language": "xx-YY, zz"})
    assert '<html lang="en-GB" dir="ltr">' in page.text and "Start now" in page.text


def test_switcher_names_each_language_in_itself_on_every_parent_page(client, factory):
    factory.school("oakfield")
    for path in ("/s/oakfield/", "/portal/new-link", "/s/oakfield/resume/nonsense"):
        page = client.get(path)
        for name in ("Polski", "العربية", "اردو", "Română", "বাংলা", "ਪੰਜਾਬੀ", "Português"):
            assert name in page.text, (path, name)
        assert 'hreflang="pl"' in page.text


def test_staff_pages_stay_english(client, factory):
    school = factory.school("oakfield")
    factory.staff(school)
    page = client.get("/staff/sign-in", headers={"Accept-Language": "pl"})
    assert 'lang="en-GB"' in page.text and "data-language-switcher" not in page.text
    assert "Przejdź do treści" not in page.text


def test_a_school_can_switch_a_language_off(client, factory):
    factory.school("oakfield", settings={"languages": ["pl"]})
    page = client.get("/s/oakfield/", headers={"Accept-Language": "ar"})
    assert 'lang="en-GB"' in page.text, "Arabic is off, so the browser's wish is not met"
    assert "Polski" in page.text and "العربية" not in page.text
    chosen = client.get("/s/oakfield/?lang=ar")
    assert 'lang="en-GB"' in chosen.text, "nor can it be chosen"


def test_a_school_override_replaces_a_catalogue_string(client, factory):
    factory.school("oakfield", settings={"translations": {"pl": {"Start now": "Zaczynamy!"}}})
    page = client.get("/s/oakfield/?lang=pl")
    assert "Zaczynamy!" in page.text and "Zacznij teraz" not in page.text
    assert "Start now" in client.get("/s/oakfield/?lang=en").text


def test_a_whole_request_in_polish_has_polish_dates_and_is_stored_as_polish(client, factory, db):
    factory.school("oakfield")
    j = Journey(client)
    client.get("/s/oakfield/?lang=pl")
    answer_common(j, "chcę zobaczyć dane mojej córki", ["access"])
    j.answer("access", {})
    j.answer("identity", {"identity.method": "in_person"})
    check = j.get("check")
    assert "Sprawdź swoje odpowiedzi" in check.text
    assert "4 maja 2015" in text(check.text), "the child's date of birth in Polish"
    done = client.get(j.submit().location)
    assert "Wniosek wysłany" in done.text
    case = db.scalar(select(Case))
    assert case.language == "pl"
    due = case.due_date
    months = ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
              "sierpnia", "września", "października", "listopada", "grudnia"]  # fmt: skip
    assert f"{due.day} {months[due.month - 1]} {due.year}" in text(done.text)


def test_validation_messages_are_translated(client, factory):
    factory.school("oakfield")
    j = Journey(client)
    client.get("/s/oakfield/?lang=es")
    j.start()
    j.answer("what", {"story": ""})
    r = j.answer("types", {})
    assert r.status_code == 400
    assert "Elija al menos una cosa que quiere que haga el colegio." in r.text
    assert "Hay un problema" in r.text


def test_parent_error_pages_speak_the_parents_language(client, factory):
    factory.school("oakfield")
    page = client.get("/no-such-page", headers={"Accept-Language": "pt-PT"})
    assert page.status_code == 404
    assert "Página não encontrada" in page.text and 'lang="pt"' in page.text


def test_portal_uses_the_case_language(client, factory, db):
    from flask import Flask  # noqa: F401 - the app context comes from the db fixture

    from sar_service.portal.links import portal_url

    school = factory.school("oakfield")
    case = factory.case(school, date.today())
    case.language = "ro"
    db.commit()
    url = portal_url(case).split("://", 1)[1]
    page = client.get(url[url.index("/portal/") :])
    assert page.status_code == 200
    assert "Cererea dumneavoastră" in page.text and 'lang="ro"' in page.text


def test_stylesheet_uses_logical_sides_so_rtl_pages_mirror():
    """Physical left/right would stay put on an Arabic or Urdu page; logical sides flip."""
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "sar_service/static/app.css").read_text()
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)\b|text-align:\s*(?:left|right)"
        r"|[^-\w](?:left|right):|(?:left|right)-radius",
        css,
    )
    assert physical == []


def test_polish_typed_on_an_english_page_is_understood_and_a_switch_is_offered(client, factory):
    factory.school("oakfield")
    j = Journey(client)
    j.start()
    r = j.answer("what", {"story": "Chcę zobaczyć wszystkie dane mojej córki, proszę o kopię"})
    assert r.status_code == 302
    page = client.get(r.location)
    assert 'data-language-offer="pl"' in page.text
    assert "Czy chcesz korzystać z tej strony po polsku?" in page.text
    assert re.search(r'value="access"\s+checked', page.text), "understood from the Polish table"
    switched = client.get(r.location + "?lang=pl")
    assert 'lang="pl"' in switched.text and "data-language-offer" not in switched.text


def test_short_mixed_or_transliterated_text_keeps_the_page_language(client, factory):
    factory.school("oakfield")
    for story in ("ok", "chcę see my son data please", "mujhe apne bete ka data dekhna hai"):
        j = Journey(client)
        j.start()
        r = j.answer("what", {"story": story})
        assert r.status_code in (200, 302), story
        page = client.get(r.location) if r.status_code == 302 else r
        assert "data-language-offer" not in page.text, story
        assert 'lang="en-GB"' in page.text, story


def test_a_question_in_arabic_is_answered_from_the_english_notice_with_an_arabic_note(
    client, factory
):
    factory.school("oakfield")
    j = Journey(client)
    client.get("/s/oakfield/?lang=ar")
    j.start()
    r = j.answer("what", {"story": "مع من تشاركون البيانات؟"})
    assert r.status_code == 200
    assert "سألت" in r.text, "the parent's question is echoed in Arabic"
    assert "هذا الجزء من الإشعار يتحدث عن الجهات التي تشارك المدرسة المعلومات معها." in r.text


def test_a_school_override_cannot_inject_markup(client, factory):
    factory.school(
        "oakfield",
        settings={"translations": {"pl": {"Start now": "<script>alert(1)</script>Start"}}},
    )
    page = client.get("/s/oakfield/?lang=pl")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Start" in page.text
