"""SPEC §3 examples on the 2026 schedule announced by the State Council, through the table."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from portal.workcalendar.calendar import get_work_calendar
from portal.workcalendar.loader import calendar_load

SHANGHAI = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db


@pytest.fixture
def work_calendar():
    calendar_load(years=[2026])
    return get_work_calendar()


def last_instant(*args: int) -> datetime:
    return datetime(*args, 23, 59, 59, 999999, tzinfo=SHANGHAI)


def test_five_working_days_from_28_september_end_on_the_make_up_saturday_10_october(work_calendar):
    deadline = work_calendar.due_at(date(2026, 9, 28), 5)
    assert deadline.due_date == date(2026, 10, 10)
    assert deadline.due_at == last_instant(2026, 10, 10)
    assert not deadline.provisional


def test_one_working_day_from_30_april_ends_after_the_labour_day_holiday_on_6_may(work_calendar):
    deadline = work_calendar.due_at(date(2026, 4, 30), 1)
    assert deadline.due_at == last_instant(2026, 5, 6)


def test_sunday_20_september_is_a_make_up_working_day(work_calendar):
    assert work_calendar.is_working_day(date(2026, 9, 20))


@pytest.mark.parametrize("day", range(1, 8))
def test_national_day_1_to_7_october_are_not_working_days(work_calendar, day):
    assert not work_calendar.is_working_day(date(2026, 10, day))


def test_one_working_day_from_friday_13_february_ends_on_the_make_up_saturday_before_spring_festival(work_calendar):
    assert work_calendar.due_at(date(2026, 2, 13), 1).due_at == last_instant(2026, 2, 14)


def test_spring_festival_15_to_23_february_is_skipped(work_calendar):
    assert work_calendar.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert work_calendar.working_days_between(date(2026, 2, 14), date(2026, 2, 23)) == 0


def test_saturday_28_february_is_a_make_up_working_day(work_calendar):
    assert work_calendar.is_working_day(date(2026, 2, 28))
    assert not work_calendar.is_working_day(date(2026, 3, 7))
