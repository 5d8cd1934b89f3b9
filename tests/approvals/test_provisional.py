"""SPEC §3: a deadline over a year without the official schedule is provisional and is
recomputed when that year's calendar changes (loaded or edited)."""

from datetime import date

import pytest

from approvals.models import Application
from portal.workcalendar import calendar as work_calendar
from portal.workcalendar.services import calendar_year_set_official, workday_set_manual
from tests.approvals.helpers import accepted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_snapshot():
    work_calendar.forget_snapshot()
    yield
    work_calendar.forget_snapshot()


def test_deadline_in_a_provisional_year_moves_when_a_holiday_is_announced(world, api, travel,
                                                                          django_capture_on_commit_callbacks):
    travel(2027, 11, 1, 10)  # Monday; 2027 has no official schedule in the library
    app = accepted(world, api)
    assert app["due_provisional"] is True
    # 10 working days after 2027-11-01 (no statutory holiday in November): 2027-11-15.
    assert app["due_at"] == "2027-11-15T23:59:59+08:00"
    with django_capture_on_commit_callbacks(execute=True):
        workday_set_manual(day=date(2027, 11, 5), is_working_day=False, note="announced holiday")
    moved = Application.objects.get(pk=app["id"])
    assert moved.due_at.isoformat().startswith("2027-11-16T")
    body = api(world.citizen).get(f"/api/applications/{app['id']}/").json()
    assert body["due_at"] == "2027-11-16T23:59:59+08:00"
    assert body["stages"][0]["due_at"] == "2027-11-16T23:59:59+08:00"
    assert body["events"][-1]["action"] == "deadline_recomputed"
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_set_official(year=2027, official=True)
    assert Application.objects.get(pk=app["id"]).due_provisional is False


def test_official_year_deadline_is_not_provisional(world, api, travel):
    travel(2026, 9, 28, 10)
    assert accepted(world, api)["due_provisional"] is False
