"""考核目标 (现场办结率 ≥ 90 %, 按时办结率 100 %, 满意率 ≥ 95 %) beside the figures, and the monthly report."""

import csv
import io

import pytest

from supervision.demo import demo_targets_seed

pytestmark = pytest.mark.django_db


def test_a_department_below_ninety_percent_on_site_is_flagged_in_the_monthly_report(world, api, november, travel):
    travel(2026, 12, 2, 10)
    body = api(world.supervisor).get("/api/stats/monthly-report/", {"month": "2026-11"}).json()
    assert (body["month"], body["first"], body["last"]) == ("2026-11", "2026-11-01", "2026-11-30")
    rows = {r["department"]: r for r in body["departments"]}
    assert rows["MARKET"]["onsite_rate"] < 0.9
    assert "onsite_rate" in rows["MARKET"]["below_target"]
    assert "MARKET" in body["below_target"]
    assert "ENV" not in body["below_target"]  # nothing decided: no figure, no breach
    text = api(world.supervisor).get("/api/stats/monthly-report/csv/", {"month": "2026-11"}).content.decode()
    header, *lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header[:3] == ["月份", "部门代码", "部门"] and "目标：现场办结率" in header  # words, not codes
    market = dict(zip(header, next(line for line in lines if line[1] == "MARKET")))
    assert "现场办结率" in market["未达标"].split("、") and market["目标：现场办结率"] == "0.9"
    pdf = api(world.supervisor).get("/api/stats/monthly-report/pdf/", {"month": "2026-11"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_targets_are_configurable_per_center(world, api, november, travel):
    travel(2026, 12, 2, 10)
    demo_targets_seed()
    assert api(world.reviewer_market).put("/api/stats/targets/CITY/", {"onsite_rate": "0.1"},
                                          format="json").status_code == 403
    response = api(world.supervisor).put("/api/stats/targets/CITY/", {"onsite_rate": "0.150"}, format="json")
    assert response.status_code == 200 and response.json()["onsite_rate"] == 0.15
    assert api(world.supervisor).put("/api/stats/targets/CITY/", {"onsite_rate": "1.5"},
                                     format="json").status_code == 400
    targets = {t["center"]: t for t in api().get("/api/stats/targets/").json()}
    assert targets["CITY"]["on_time_rate"] == 1.0
    body = api(world.supervisor).get("/api/stats/monthly-report/", {"month": "2026-11"}).json()
    market = next(r for r in body["departments"] if r["department"] == "MARKET")
    assert "onsite_rate" not in market["below_target"] and "on_time_rate" in market["below_target"]


def test_the_dashboard_and_the_public_statistics_flag_breaches_in_colour_and_words(world, client, november, travel):
    travel(2026, 11, 20, 10)
    client.force_login(world.supervisor)
    dashboard = client.get("/supervision/", {"from": "2026-11-01", "to": "2026-11-20"}).content.decode()
    assert 'class="below-target" data-below="onsite_rate"' in dashboard
    assert "below target" in dashboard or "未达标" in dashboard
    client.logout()
    public = client.get("/statistics/", {"from": "2026-11-01", "to": "2026-11-20"}).content.decode()
    assert 'data-below="onsite_rate"' in public and "target-flag" in public
    page = client.get("/supervision/reports/monthly/", {"month": "2026-11"})
    assert page.status_code == 302  # staff only


def test_the_monthly_report_page_lists_the_departments_below_target(world, client, november, travel):
    travel(2026, 12, 2, 10)
    client.force_login(world.supervisor)
    page = client.get("/supervision/reports/monthly/", {"month": "2026-11"}).content.decode()
    assert 'id="below-target"' in page and 'data-department="MARKET"' in page
    download = client.get("/supervision/reports/monthly/", {"month": "2026-11", "download": "pdf"})
    assert download.content.startswith(b"%PDF")


def test_a_month_not_begun_is_refused(world, api, travel):
    travel(2026, 12, 2, 10)
    assert api(world.supervisor).get("/api/stats/monthly-report/", {"month": "2027-01"}).status_code == 400
    assert api(world.citizen).get("/api/stats/monthly-report/", {"month": "2026-11"}).status_code == 403


def test_the_monthly_report_page_shows_a_month_not_begun_next_to_its_field(world, client, travel):
    travel(2026, 12, 2, 10)
    client.force_login(world.supervisor)
    page = client.get("/supervision/reports/monthly/", {"month": "2027-01"}).content.decode()
    assert "errorlist" in page  # the month's own problem, beside the month field
    assert "2026-11" in page  # and the last full month instead
