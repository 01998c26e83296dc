"""The queue: order by days left, RAG and overdue flags, filters, search, counts, CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
import time_machine

from tests.staff.conftest import sign_in_as

TODAY = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def _refs(html: str) -> list[str]:
    return re.findall(r'<td><a href="/staff/cases/[^"]+">([A-Z]+-\d{4}-\d{4})</a></td>', html)


@pytest.fixture
def cases(frozen, factory, team):
    """Four open cases with different amounts of time left, and one closed."""
    made = {
        "green": factory.case(team.school, date(2026, 3, 10)),
        "overdue": factory.case(team.school, date(2026, 2, 13)),
        "amber": factory.case(team.school, date(2026, 2, 20), channel="letter"),
        "red": factory.case(
            team.school,
            date(2026, 2, 17),
            requester={"name": "Zed Quill", "email": "zed@example.com", "relationship": "father"},
            subject={"name": "Olive Quill", "date_of_birth": "2012-01-02"},
        ),
        "other_school": factory.case(
            team.other,
            date(2026, 2, 10),
            subject={"name": "Hidden Elsewhere", "date_of_birth": "2014-01-01"},
        ),
    }
    return made


def test_open_cases_by_days_left_with_rag_and_overdue(web, team, cases):
    sign_in_as(web, team, "caseworker")
    html = web.get("/staff/").text
    order = ["overdue", "red", "amber", "green"]
    assert _refs(html) == [cases[k].reference for k in order]
    assert "Hidden Elsewhere" not in html, "another school's case never shows"
    rows = html.split("<tr>")[2:]
    for row, tag in zip(rows, ("Overdue", "Red", "Amber", "Green"), strict=True):
        assert f">{tag}</strong>" in row
    assert "1 day overdue" in rows[0] or "days overdue" in rows[0]
    assert "4 cases" in html


def test_filters_search_and_counts(web, team, cases):
    sign_in_as(web, team, "caseworker")
    letter = web.get("/staff/queue?channel=letter").text
    assert _refs(letter) == [cases["amber"].reference]
    overdue = web.get("/staff/queue?overdue=yes").text
    assert _refs(overdue) == [cases["overdue"].reference]
    by_child = web.get("/staff/queue?q=olive").text
    assert _refs(by_child) == [cases["red"].reference]
    by_requester = web.get("/staff/queue?q=zed%20quill").text
    assert _refs(by_requester) == [cases["red"].reference]
    by_ref = web.get(f"/staff/queue?q={cases['green'].reference.lower()}").text
    assert _refs(by_ref) == [cases["green"].reference]
    assert "Received: <strong>1</strong>" in by_ref, "counts follow the other filters"
    assert "Received: <strong>4</strong>" in web.get("/staff/queue").text
    for wildcard in ("%25", "_"):  # searched for literally, so they match nothing here
        nothing = web.get(f"/staff/queue?q={wildcard}").text
        assert _refs(nothing) == [] and "No cases match" in nothing
    bad = web.get("/staff/queue?status=bogus&sort=nope")
    assert bad.status_code == 200 and "Ignored an unknown status" in bad.text


def test_requester_is_hidden_from_viewers_and_not_searchable_by_them(web, team, cases):
    sign_in_as(web, team, "viewer")
    html = web.get("/staff/queue").text
    assert "Olive Quill" in html
    assert "Zed Quill" not in html and "Sarah Hart" not in html
    assert _refs(web.get("/staff/queue?q=zed").text) == []


def test_assignee_filter_and_finished_cases(web, team, cases, db):
    from sar_service.models import Case, User

    case = db.get(Case, cases["green"].id)
    case.assignee = db.get(User, team.caseworker.user.id)
    case.status = "closed"
    db.commit()
    sign_in_as(web, team, "caseworker")
    email = team.caseworker.user.email
    assert _refs(web.get(f"/staff/queue?assignee={email}").text) == []
    everything = web.get(f"/staff/queue?assignee={email}&show=all").text
    assert _refs(everything) == [cases["green"].reference]
    assert _refs(web.get("/staff/queue?status=closed").text) == [cases["green"].reference]


def test_educational_record_shows_both_clocks(web, team, frozen, factory):
    case = factory.case(team.school, date(2026, 3, 2), types=("access", "educational_record"))
    sign_in_as(web, team, "caseworker")
    html = web.get("/staff/queue").text
    assert f"Statutory: {_long(case.due_date)}" in html
    assert f"Educational record: {_long(case.school_days_due_date)}" in html


def _long(d: date) -> str:
    from workflows.calendars import long_date

    return long_date(d)


def test_pagination(web, team, frozen, factory):
    for day in range(1, 13):
        factory.case(team.school, date(2026, 3, day))
    sign_in_as(web, team, "caseworker")
    first = web.get("/staff/queue?per_page=10").text
    second = web.get("/staff/queue?per_page=10&page=2").text
    assert len(_refs(first)) == 10 and len(_refs(second)) == 2
    assert "page 2 of 2" in second and not set(_refs(first)) & set(_refs(second))
    assert "Next page" in first and "Previous page" in second


def test_a_dpo_of_several_schools_sees_them_all_and_can_filter(web, team, cases, factory, db):
    from sar_service import setup

    setup.create_user(db, team.dpo.user.email, "x", "dpo", team.other.slug)
    db.commit()
    sign_in_as(web, team, "dpo")
    html = web.get("/staff/queue").text
    assert "Hidden Elsewhere" in html and len(_refs(html)) == 5
    only = web.get(f"/staff/queue?school={team.other.slug}").text
    assert _refs(only) == [cases["other_school"].reference] and "Hidden Elsewhere" in only


def test_csv_export_of_the_filtered_view(web, team, cases):
    sign_in_as(web, team, "caseworker")
    response = web.get("/staff/queue.csv?overdue=no")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["reference"] for r in rows] == [cases[k].reference for k in ("red", "amber", "green")]
    assert rows[0]["requester"] == "Zed Quill" and rows[0]["rag"] == "red"
    web.post("/staff/sign-out")
    sign_in_as(web, team, "viewer")
    hidden = list(csv.DictReader(io.StringIO(web.get("/staff/queue.csv").text)))
    assert len(hidden) == 4 and all(r["requester"] == "" for r in hidden)


def test_csv_cells_cannot_run_as_formulas(web, team, frozen, factory):
    factory.case(
        team.school,
        date(2026, 3, 2),
        subject={"name": "=HYPERLINK(1)", "date_of_birth": "2015-01-01"},
    )
    sign_in_as(web, team, "caseworker")
    rows = list(csv.DictReader(io.StringIO(web.get("/staff/queue.csv").text)))
    assert rows[0]["child"] == "'=HYPERLINK(1)"


def test_the_number_of_queries_does_not_grow_with_the_page_size(web, team, frozen, factory):
    for day in range(1, 16):
        factory.case(team.school, date(2026, 3, day), types=("access", "educational_record"))
    for day in range(1, 16):
        factory.case(team.other, date(2026, 3, day))
    sign_in_as(web, team, "caseworker")
    small, n_small = web.count_queries("/staff/queue?per_page=10")
    large, n_large = web.count_queries("/staff/queue?per_page=100")
    assert len(_refs(small.text)) == 10 and len(_refs(large.text)) == 15
    assert n_small == n_large, web.statements
    assert n_large <= 10, web.statements
    csv_all, n_csv = web.count_queries("/staff/queue.csv")
    assert csv_all.text.count("\n") == 16  # the header and all 15 cases, whatever the page size
    for day in range(16, 31):
        factory.case(team.school, date(2026, 3, day))
    csv_more, n_csv_more = web.count_queries("/staff/queue.csv")
    assert csv_more.text.count("\n") == 31 and n_csv_more == n_csv, web.statements
