"""Staff see the parent's language on the case and manage languages and wording in settings."""

from __future__ import annotations

from datetime import date

import pytest

from tests.intake.web import csrf


@pytest.fixture
def signed_in_dpo(app, client, factory, db):
    from tests.staff.conftest import Web, enrol

    school = factory.school("oakfield")
    dpo = factory.staff(school, role="dpo")
    Web(app, client).sign_in(dpo, enrol(db, dpo.user))
    return school


def test_case_page_shows_the_parents_language_in_english(client, factory, db, signed_in_dpo):
    case = factory.case(signed_in_dpo, date.today())
    case.language = "ur"
    db.commit()
    page = client.get(f"/staff/cases/oakfield/{case.reference}", headers={"Accept-Language": "ur"})
    assert page.status_code == 200, page.status_code
    assert 'data-language="ur"' in page.text and "Urdu" in page.text
    assert 'lang="en-GB"' in page.text


def test_dpo_switches_languages_off_and_corrects_wording(client, factory, db, signed_in_dpo):
    settings = client.get("/staff/settings/oakfield")
    assert "Parents' languages" in settings.text
    token = csrf(settings.text)
    client.post(
        "/staff/settings/oakfield/languages",
        data={"csrf_token": token, "form": "languages", "languages": ["pl", "ar"]},
    )
    parent = client.get("/s/oakfield/", headers={"Accept-Language": "es"})
    assert 'lang="en-GB"' in parent.text and "Español" not in parent.text
    r = client.post(
        "/staff/settings/oakfield/wording",
        data={"csrf_token": token, "language": "pl", "msgid": "Start now", "text": "Zaczynamy"},
    )
    assert r.status_code in (302, 303)
    assert "Zaczynamy" in client.get("/s/oakfield/?lang=pl").text
    bad = client.post(
        "/staff/settings/oakfield/wording",
        data={"csrf_token": token, "language": "pl", "msgid": "Not a real string", "text": "x"},
    )
    assert bad.status_code == 422 and "Paste the English wording exactly" in bad.text


def test_the_csv_export_counts_requests_by_language(client, factory, db, signed_in_dpo):
    import csv
    import io
    from collections import Counter

    for language in ("pl", "pl", "ar", "en"):
        case = factory.case(signed_in_dpo, date.today())
        case.language = language
    db.commit()
    export = client.get("/staff/queue.csv")
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert Counter(r["language"] for r in rows) == {"pl": 2, "ar": 1, "en": 1}
