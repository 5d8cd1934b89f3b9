"""电子监察 figures checked against the hand-computed month in conftest.py."""

import pytest

from supervision.rollup import rollup_step
from tests.supervision.conftest import PERIOD, at

pytestmark = pytest.mark.django_db

MARKET = {
    "department": "MARKET", "name": "市场监督管理局",
    "decided": 5, "on_time": 3, "on_time_rate": 0.6, "onsite": 1, "onsite_rate": 0.2, "overdue_open": 1,
    "deemed_approvals": 1, "average_working_days": 5.2, "average_committed_days": 8.2,
    "evaluations": 3, "satisfaction_rate": 0.6667, "complaints_substantiated": 1, "commitment_breaches": 0, "cases_opened": 0,
    "sanctions": 0,
    "assessment_score": 100,
    "alerts": {"yellow": 2, "red": 1},
    "targets": {"onsite_rate": 0.9, "on_time_rate": 1.0, "satisfaction_rate": 0.95},
    "below_target": ["onsite_rate", "on_time_rate", "satisfaction_rate"],
}


def by_code(body):
    return {row["department"]: row for row in body["results"]}


def test_department_figures_match_the_hand_computed_month(world, api, november, travel):
    travel(2026, 11, 20, 10)
    body = api(world.supervisor).get("/api/stats/departments/", PERIOD).json()
    assert (body["from"], body["to"]) == ("2026-11-01", "2026-11-20")
    rows = by_code(body)
    assert rows["MARKET"] == MARKET
    assert rows["HOUSING"]["decided"] == 1 and rows["HOUSING"]["on_time_rate"] == 1.0
    assert rows["HOUSING"]["average_working_days"] == 1.0
    assert rows["ENV"]["decided"] == 0 and rows["ENV"]["on_time_rate"] is None
    assert rows["ENV"]["satisfaction_rate"] is None and rows["ENV"]["complaints_substantiated"] == 0
    assert set(rows) == {"MARKET", "HOUSING", "ENV", "FIRE"}


def test_the_rollup_gives_the_same_figures_as_the_live_tables(world, api, november, travel):
    travel(2026, 11, 20, 10)
    assert rollup_step(at(11, 20), batch=500) > 0
    rows = by_code(api(world.supervisor).get("/api/stats/departments/", PERIOD).json())
    assert rows["MARKET"] == MARKET


def test_days_after_the_rollup_are_added_live(world, api, november, build, travel):
    travel(2026, 11, 20, 10)
    rollup_step(at(11, 20), batch=500)
    build.stage(started=at(11, 19, 9), due=at(11, 20, 23), status="approved", decided=at(11, 20, 9),
                assignee=world.reviewer_market, days=1)
    market = by_code(api(world.supervisor).get("/api/stats/departments/", PERIOD).json())["MARKET"]
    assert (market["decided"], market["on_time"], market["average_working_days"]) == (6, 4, 4.5)  # 27 / 6
    assert market["average_committed_days"] == 7.0  # 42 / 6


def test_a_shorter_period_counts_only_its_days(world, api, november, travel):
    travel(2026, 11, 20, 10)
    market = by_code(api(world.supervisor).get(
        "/api/stats/departments/", {"from": "2026-11-01", "to": "2026-11-10"}).json())["MARKET"]
    assert (market["decided"], market["on_time"], market["onsite"], market["deemed_approvals"]) == (2, 2, 1, 0)
    assert market["alerts"] == {"yellow": 0, "red": 0}
    assert market["evaluations"] == 1 and market["satisfaction_rate"] == 1.0
    assert market["complaints_substantiated"] == 0
    assert market["overdue_open"] == 1  # open past the limit now, whatever the period


def test_october_has_its_own_figures(world, api, november, travel):
    travel(2026, 11, 20, 10)
    market = by_code(api(world.supervisor).get(
        "/api/stats/departments/", {"from": "2026-10-01", "to": "2026-10-31"}).json())["MARKET"]
    assert (market["decided"], market["on_time_rate"], market["complaints_substantiated"]) == (1, 1.0, 1)
    assert market["alerts"] == {"yellow": 1, "red": 0}


def test_official_figures(world, api, november, travel):
    travel(2026, 11, 20, 10)
    body = api(world.supervisor).get("/api/stats/officials/", PERIOD).json()
    rows = {r["official"]: r for r in body["results"]}
    reviewer = rows["reviewer_market"]
    assert reviewer["badge"] == "M0201" and reviewer["department"] == "MARKET"
    assert (reviewer["decided"], reviewer["on_time"], reviewer["on_time_rate"]) == (3, 2, 0.6667)
    assert reviewer["overdue_open"] == 1 and reviewer["complaints_substantiated"] == 1
    assert reviewer["alerts"] == {"yellow": 2, "red": 1}
    assert reviewer["average_working_days"] == 5.0  # (3 + 10 + 2) / 3
    assert reviewer["satisfaction_rate"] is None  # ratings belong to the unit
    window = rows["window"]
    assert (window["decided"], window["onsite_rate"], window["average_working_days"]) == (1, 1.0, 0.0)
    assert "supervisor" not in rows


def test_one_official_with_the_trend(world, api, november, travel):
    travel(2026, 11, 20, 10)
    body = api(world.supervisor).get("/api/stats/officials/reviewer_market/", PERIOD).json()
    assert body["decided"] == 3 and body["bucket"] == "day"
    decided_by_day = {t["start"]: t["decided"] for t in body["trend"] if t["decided"]}
    assert decided_by_day == {"2026-11-05": 1, "2026-11-12": 1, "2026-11-18": 1}
    assert len(body["trend"]) == 20


def test_one_department_with_its_trend_and_officials(world, api, november, travel):
    travel(2026, 11, 20, 10)
    body = api(world.supervisor).get("/api/stats/departments/MARKET/", PERIOD).json()
    assert body["on_time_rate"] == 0.6 and body["deemed_approvals"] == 1
    assert {o["official"] for o in body["officials"]} == {"reviewer_market", "window"}
    deemed = [t["start"] for t in body["trend"] if t["deemed_approvals"]]
    assert deemed == ["2026-11-17"]
    assert api(world.supervisor).get("/api/stats/departments/NOPE/").status_code == 404


def test_trend_buckets_are_weeks_for_a_quarter_and_months_for_a_year(world, api, november, travel):
    travel(2026, 11, 20, 10)
    supervisor = api(world.supervisor)
    quarter = supervisor.get("/api/stats/departments/MARKET/", {"from": "2026-09-01", "to": "2026-11-20"}).json()
    assert quarter["bucket"] == "week" and quarter["trend"][0]["start"] == "2026-08-31"
    year = supervisor.get("/api/stats/departments/MARKET/", {"from": "2025-12-01", "to": "2026-11-20"}).json()
    assert year["bucket"] == "month" and [t["start"] for t in year["trend"]][-2:] == ["2026-10-01", "2026-11-01"]
    assert year["trend"][-1]["decided"] == 5 and year["trend"][-2]["decided"] == 1


def test_default_period_is_the_last_thirty_days(world, api, travel):
    travel(2026, 11, 20, 10)
    body = api(world.supervisor).get("/api/stats/departments/").json()
    assert (body["from"], body["to"]) == ("2026-10-22", "2026-11-20")


@pytest.mark.parametrize("params, field", [
    ({"from": "2026-13-01"}, "from"), ({"to": "yesterday"}, "to"),
    ({"from": "2026-11-20", "to": "2026-11-01"}, "from"), ({"from": "2020-01-01", "to": "2026-11-01"}, "from"),
])
def test_a_bad_period_is_a_field_error(world, api, travel, params, field):
    travel(2026, 11, 20, 10)
    response = api(world.supervisor).get("/api/stats/departments/", params)
    assert response.status_code == 400 and field in response.json()["fields"]


def test_who_reads_the_figures(world, api, november, travel):
    travel(2026, 11, 20, 10)
    for user in (world.supervisor, world.discipline, world.admin):
        assert api(user).get("/api/stats/departments/").status_code == 200, user.username
    for user in (world.citizen, world.reviewer_market, world.window):
        assert api(user).get("/api/stats/departments/").status_code == 403, user.username
        assert api(user).get("/api/stats/officials/").status_code == 403, user.username
    assert api().get("/api/stats/departments/").status_code == 401


def test_a_department_head_reads_his_own_department_only(world, api, november, travel):
    travel(2026, 11, 20, 10)
    head = api(world.head_market)
    body = head.get("/api/stats/departments/", PERIOD).json()
    assert [r["department"] for r in body["results"]] == ["MARKET"]
    assert body["results"][0] == MARKET
    assert head.get("/api/stats/departments/HOUSING/").status_code == 404
    assert head.get("/api/stats/officials/reviewer_housing/").status_code == 404
    assert {r["official"] for r in head.get("/api/stats/officials/", PERIOD).json()["results"]} == {
        "reviewer_market", "window"}
