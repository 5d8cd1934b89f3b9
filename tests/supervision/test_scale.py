"""The dashboard's queries do not grow with the data: the same number of queries for a
few applications and for many, rolled up or not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision.rollup import rollup_step
from tests.supervision.conftest import PERIOD, at, end_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def steady_work_calendar(db, monkeypatch):
    """Counting queries: build the calendar snapshot first and keep it for the test, so a
    periodic recheck or another test's calendar edit cannot add its reload to one count."""
    from portal.workcalendar import calendar

    calendar.forget_snapshot()
    calendar.get_work_calendar()
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 10**9)
    yield
    calendar.forget_snapshot()

# Token auth, user groups, the reader's center and its level (三级: a township reads its own), rollup mark, live stages, live alerts, live ratings,
# complaints, accountability cases (绩效考评), overdue, departments or officials; once days are rolled up, one sum over
# the rollup per grouping shown (a department's page: totals, trend and officials); the
# centers' targets (考核目标) once.
MAX_QUERIES = 16
# An official's detail adds his twelve-month record (绩效考评): the rollup mark and live
# days of the year, cases opened, sanctions, complaints, ratings, and his cases and
# complaints listed.
RECORD_QUERIES = 9
OFFICIAL = "/api/stats/officials/reviewer_market/"

URLS = ["/api/stats/departments/", "/api/stats/departments/MARKET/", "/api/stats/officials/",
        "/api/stats/officials/reviewer_market/"]


def grow(build, world, n):
    for i in range(n):
        day = 2 + i % 18
        build.stage(started=at(11, day, 9), due=end_of(11, min(day + 5, 30)), status="approved",
                    decided=at(11, min(day + 1 + i % 4, 20)), assignee=world.reviewer_market)
        build.alert(build.stage(started=at(11, day, 9), due=end_of(11, day), status="claimed",
                                assignee=world.reviewer_env, department="ENV"), "red", at(11, min(day + 1, 20)))


def counts(api, world):
    client = api(world.supervisor)
    result = {}
    for url in URLS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, PERIOD).status_code == 200
        result[url] = len(queries)
    return result


def test_query_count_is_independent_of_the_number_of_applications(world, api, build, travel,
                                                                   django_assert_max_num_queries):
    travel(2026, 11, 20, 10)
    grow(build, world, 3)
    counts(api, world)  # first use creates the rollup mark; the question is growth with data
    small = counts(api, world)
    grow(build, world, 120)
    with django_assert_max_num_queries(MAX_QUERIES):
        api(world.supervisor).get("/api/stats/departments/", PERIOD)
    assert counts(api, world) == small
    rollup_step(at(11, 20), batch=500)
    rolled = counts(api, world)
    grow(build, world, 120)
    rollup_step(at(11, 20, 10, 5), batch=500)
    assert counts(api, world) == rolled
    assert max(n for url, n in rolled.items() if url != OFFICIAL) <= MAX_QUERIES
    assert rolled[OFFICIAL] <= MAX_QUERIES + RECORD_QUERIES


def test_dashboard_page_query_count_is_independent_of_the_data(world, client, build, travel):
    travel(2026, 11, 20, 10)
    client.force_login(world.supervisor)
    grow(build, world, 3)
    rollup_step(at(11, 20), batch=500)
    client.get("/supervision/", PERIOD)  # the first reads the departments and targets kept with the catalogue
    with CaptureQueriesContext(connection) as small:
        client.get("/supervision/", PERIOD)
    grow(build, world, 150)
    rollup_step(at(11, 20, 10, 5), batch=500)
    with CaptureQueriesContext(connection) as large:
        client.get("/supervision/", PERIOD)
    assert len(large) == len(small)
