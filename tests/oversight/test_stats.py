"""The figures: dashboard page, stats API, scoped to the user's schools."""

from __future__ import annotations

import re

from tests.oversight.conftest import TODAY
from tests.staff.conftest import sign_in_as

PERIOD = "from=2026-01-01&to=2026-06-15"


def test_stats_api_gives_the_terms_figures(client, team, term):
    body = client.get(f"/api/v1/stats?{PERIOD}", headers=team.dpo.headers).get_json()
    assert body["received"]["total"] == 6  # the other school's case is not counted
    assert body["received"]["by_language"] == {"en": 5, "pl": 1}
    assert body["received"]["by_channel"] == {"email": 5, "letter": 1}
    assert body["received"]["by_type"] == {"access": 6}
    assert (body["received"]["extended"], body["received"]["paused"]) == (1, 1)
    responded = body["responded"]
    assert (responded["total"], responded["on_time"], responded["late"]) == (4, 3, 1)
    assert responded["on_time_rate"] == 0.75
    # days from receipt: 23, 30, 49, 19 -> median 26.5, 90th percentile (nearest rank) 49
    assert responded["median_days_to_respond"] == 26.5
    assert responded["p90_days_to_respond"] == 49
    assert [(m["month"], m["responded"], m["on_time"]) for m in responded["by_month"]] == [
        ("2026-02", 1, 1), ("2026-03", 1, 0), ("2026-04", 2, 2),
    ]  # fmt: skip
    assert body["open"]["total"] == 2 and body["open"]["overdue"] == 1
    assert body["open"]["by_days_left"]["overdue"] == 1
    assert body["open"]["by_days_left"]["21+"] == 1


def test_stats_api_scope_and_bad_input(client, team, term):
    other = client.get("/api/v1/stats?school=beech-academy", headers=team.dpo.headers)
    assert other.status_code == 404
    mine = client.get("/api/v1/stats?school=beech-academy", headers=team.other_dpo.headers)
    assert mine.get_json()["received"]["total"] == 1
    bad = client.get("/api/v1/stats?from=yesterday", headers=team.dpo.headers)
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.get_json()["detail"]
    assert client.get("/api/v1/stats").status_code == 401


def test_stats_are_in_the_openapi_description(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/stats" in paths and "/register.csv" in paths


def test_dashboard_shows_charts_with_tables_and_the_overdue_case(web, team, term):
    sign_in_as(web, team, "dpo")
    page = web.get(f"/staff/dashboard?{PERIOD}")
    assert page.status_code == 200
    html = page.text
    assert html.count('role="img"') >= 6  # every chart is an image with a text alternative
    assert html.count("<table") >= html.count('role="img"')  # ... and a data table
    assert "<script" not in html
    assert re.search(r"Answered on time</dt><dd>75%", html)
    assert term.overdue.reference in html  # the DPO sees which case is late
    assert "Polish" in html


def test_owner_and_viewer_see_figures_without_cases(web, team, term):
    for role in ("owner", "viewer"):
        sign_in_as(web, team, role)
        html = web.get(f"/staff/dashboard?{PERIOD}").text
        assert "Answered on time" in html
        assert term.overdue.reference not in html
        assert "Sarah Hart" not in html and "Amelia Hart" not in html
    sign_in_as(web, team, "caseworker")
    assert web.get("/staff/dashboard").status_code == 403


def test_dashboard_costs_the_same_statements_whatever_the_number_of_cases(web, team, term, factory):
    from datetime import date

    sign_in_as(web, team, "dpo")
    _, before = web.count_queries(f"/staff/dashboard?{PERIOD}")
    for day in range(1, 15):
        factory.case(team.school, date(2026, 5, day), channel="phone")
    _, after = web.count_queries(f"/staff/dashboard?{PERIOD}")
    assert before == after


def test_default_period_is_the_last_twelve_months(web, team, term):
    sign_in_as(web, team, "dpo")
    html = web.get("/staff/dashboard").text
    assert f"to {TODAY:%-d %B %Y}" in html


def test_another_schools_figures_are_not_found(web, team, term):
    for role in ("dpo", "owner"):
        sign_in_as(web, team, role)
        assert web.get("/staff/dashboard?school=beech-academy").status_code == 404
        assert web.get("/staff/reports?school=beech-academy").status_code == 404
        assert web.get("/staff/register.csv?school=beech-academy").status_code == 404


def test_one_schools_row_matches_its_totals(client, team, term):
    body = client.get(f"/api/v1/stats?school=oakfield&{PERIOD}", headers=team.dpo.headers)
    body = body.get_json()
    (row,) = body["schools"]
    assert (row["open"], row["overdue"], row["received"]) == (2, 1, 6)
    assert (row["responded"], row["on_time"], row["on_time_rate"]) == (4, 3, 0.75)


def test_register_page_costs_the_same_statements_whatever_its_size(web, team, term, factory):
    from datetime import date

    sign_in_as(web, team, "dpo")
    _, before = web.count_queries("/staff/register")
    for day in range(1, 12):
        factory.case(team.school, date(2026, 5, day))
    _, after = web.count_queries("/staff/register")
    assert before == after


def test_a_dpo_of_two_schools_sees_each_and_the_total(client, team, term, db):
    from sar_service import setup

    setup.create_user(db, team.dpo.user.email, "Dpo", "dpo", "beech-academy")
    db.commit()
    body = client.get(f"/api/v1/stats?{PERIOD}", headers=team.dpo.headers).get_json()
    rows = {r["slug"]: r for r in body["schools"]}
    assert (rows["oakfield"]["received"], rows["beech-academy"]["received"]) == (6, 1)
    assert (rows["oakfield"]["overdue"], rows["oakfield"]["on_time"]) == (1, 3)
    assert body["received"]["total"] == 7
