"""Issue 12, lists that scale: the attendance board (考勤情况) on the attendance page pages by badge,
50 a page (it listed every official within reach at once), searches by badge or name and filters
by day, department and state — present, late, on leave, absent without leave, not checked in yet,
rest day — worked out in the query (GET form, its fields named board-…; htmx gets the board
alone); a head reads only his department's board, a township's supervisor only his township's,
an official without one none."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from attendance.models import AttendanceRecord, LeaveRequest
from portal.organisation.models import StaffProfile
from portal.workcalendar.calendar import get_work_calendar
from tests.list_pages import HTMX, at, walk

pytestmark = pytest.mark.django_db
URL = "/attendance/"
ROW = r'data-username="([\w.-]+)" data-state="(\w+)"'
FRIDAY, SUNDAY = date(2026, 11, 20), date(2026, 11, 22)


def board(client, **params) -> dict[str, str]:
    return dict(re.findall(ROW, client.get(URL, {f"board-{k}": v for k, v in params.items()}).content.decode()))


@pytest.fixture
def day(world, travel):
    travel(2026, 11, 20, 10)
    AttendanceRecord.objects.create(user=world.window, day=FRIDAY, checked_in_at=at(11, 20, 9) + timedelta(
        minutes=20), late=True)
    AttendanceRecord.objects.create(user=world.reviewer_market, day=FRIDAY, checked_in_at=at(11, 20, 8))
    LeaveRequest.objects.create(user=world.reviewer_housing, reason="事假", first_day=FRIDAY, last_day=FRIDAY,
                                status="approved", requested_at=timezone.now())
    return FRIDAY


def in_reach(**lookups) -> set[str]:
    return set(StaffProfile.objects.filter(**lookups).values_list("user__username", flat=True))


def test_the_board_searches_by_badge_or_name(world, client, day):
    client.force_login(world.supervisor)
    assert set(board(client)) == in_reach()
    assert board(client, q=world.reviewer_housing.staff_profile.badge) == {"reviewer_housing": "on_leave"}
    assert "reviewer_market" in board(client, q=world.reviewer_market.first_name)
    assert board(client, q="无此人") == {}


def test_each_state_department_and_day_filter(world, client, day):
    client.force_login(world.supervisor)
    assert board(client, state="late") == {"window": "late"}
    assert board(client, state="present") == {"reviewer_market": "present"}
    assert board(client, state="on_leave") == {"reviewer_housing": "on_leave"}
    absent = board(client, state="absent_unexcused")
    assert absent and set(absent) == in_reach() - {"window", "reviewer_market", "reviewer_housing"}
    assert set(board(client, department="HOUSING")) == in_reach(department__code="HOUSING")
    assert not get_work_calendar().is_working_day(SUNDAY)
    assert set(board(client, day="2026-11-22").values()) == {"rest_day"}
    assert board(client, day="2026-11-22", state="late") == {}
    part = client.get(URL, {"board-state": "late"}, HTTP_HX_TARGET="board-results", **HTMX).content.decode()
    assert "<html" not in part and part.lstrip().startswith('<div id="board-results"')
    assert dict(re.findall(ROW, part)) == {"window": "late"}


def test_each_reads_only_the_board_within_his_reach(world, client, day):
    client.force_login(world.head_market)
    assert set(board(client)) == in_reach(department__code="MARKET")
    assert board(client, q=world.reviewer_housing.staff_profile.badge) == {}
    town = User.objects.get(username="supervisor_town")
    client.force_login(town)
    assert set(board(client)) == in_reach(department__center=town.staff_profile.department.center)
    assert "window" not in board(client, q=world.window.staff_profile.badge)
    client.force_login(world.reviewer_market)
    page = client.get(URL, {"board-state": "late"}).content.decode()
    assert re.findall(ROW, page) == [] and 'id="board-filters"' not in page
    client.force_login(world.citizen)
    assert client.get(URL).status_code == 403


def test_the_board_pages_by_badge(world, client, day):
    client.force_login(world.supervisor)
    everyone = list(StaffProfile.objects.order_by("badge", "id").values_list("user__username", flat=True))
    seen, pages = walk(client, URL + "?limit=3", lambda page: [u for u, _ in re.findall(ROW, page)],
                       param="board_cursor")
    assert seen == everyone and pages == -(-len(everyone) // 3)
