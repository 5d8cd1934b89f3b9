"""WorkCalendar on in-memory snapshots: semantics and agreement with the pure arithmetic."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.workcalendar import arithmetic, sources
from portal.workcalendar.calendar import Deadline, WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def official_calendar(*years: int, official: bool = True) -> WorkCalendar:
    """A snapshot of the announced schedule of ``years``, as if loaded from the table."""
    days = {}
    for year in years:
        day = date(year, 1, 1)
        while day.year == year:
            days[day] = sources.official_day(day).is_working_day
            day += timedelta(days=1)
    return WorkCalendar(days, years if official else (), SHANGHAI)


CALENDAR_2026 = official_calendar(2026)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_a_limit_ends_at_the_end_of_the_nth_working_day_after_acceptance():
    assert CALENDAR_2026.due_at(date(2026, 9, 28), 5) == Deadline(
        due_at=arithmetic.end_of_day(date(2026, 10, 10), SHANGHAI), due_date=date(2026, 10, 10), provisional=False
    )


def test_a_limit_of_zero_days_ends_at_the_end_of_the_event_day():
    assert CALENDAR_2026.due_at(date(2026, 10, 1), 0) == Deadline(
        due_at=arithmetic.end_of_day(date(2026, 10, 1), SHANGHAI), due_date=date(2026, 10, 1), provisional=False
    )


def test_a_negative_limit_is_refused():
    with pytest.raises(ValueError):
        CALENDAR_2026.add_working_days(date(2026, 1, 5), -1)


def test_dates_outside_the_table_fall_back_to_statutory_holidays_and_are_provisional():
    assert not CALENDAR_2026.is_working_day(date(2035, 10, 1))  # National Day, a Monday
    assert CALENDAR_2026.is_working_day(date(2035, 10, 9))
    assert not CALENDAR_2026.is_working_day(date(2035, 10, 13))  # Saturday
    assert CALENDAR_2026.is_provisional(date(2035, 10, 9))
    assert not CALENDAR_2026.is_provisional(date(2026, 10, 9))


def test_a_deadline_reaching_past_the_table_is_provisional():
    deadline = CALENDAR_2026.due_at(date(2026, 12, 28), 5)
    assert deadline.due_date == date(2027, 1, 5)  # 1 January 2027 is a statutory holiday
    assert deadline.provisional


def test_a_deadline_inside_an_official_year_is_final():
    deadline = CALENDAR_2026.due_at(date(2026, 12, 21), 5)
    assert deadline.due_date == date(2026, 12, 28)
    assert not deadline.provisional


def test_every_day_of_a_year_not_marked_official_is_provisional():
    provisional = official_calendar(2026, official=False)
    assert provisional.is_provisional(date(2026, 6, 1))
    assert provisional.due_at(date(2026, 6, 1), 1).provisional


def test_an_empty_table_still_answers_from_the_statutory_holidays():
    empty = WorkCalendar({}, (), SHANGHAI)
    # National Day 2027 is a Friday; the library moves the weekend holidays to Monday and Tuesday.
    assert empty.add_working_days(date(2027, 9, 30), 1) == date(2027, 10, 6)
    assert empty.due_at(date(2027, 9, 30), 1).provisional


class TestRemainingWorkingDays:
    """remaining = working days d with today < d <= due date; 0 once overdue."""

    due_at = arithmetic.end_of_day(date(2026, 10, 10), SHANGHAI)

    def test_on_the_acceptance_day_the_whole_limit_remains(self):
        assert CALENDAR_2026.remaining_working_days(at(2026, 9, 28, 10, 0), self.due_at) == 5

    def test_holidays_do_not_count(self):
        assert CALENDAR_2026.remaining_working_days(at(2026, 9, 30, 10, 0), self.due_at) == 3

    def test_on_the_due_date_no_whole_day_remains(self):
        assert CALENDAR_2026.remaining_working_days(at(2026, 10, 10, 9, 0), self.due_at) == 0

    def test_overdue_leaves_nothing(self):
        assert CALENDAR_2026.remaining_working_days(at(2026, 10, 11, 0, 0), self.due_at) == 0

    def test_today_is_the_local_date_of_now(self):
        assert CALENDAR_2026.remaining_working_days(datetime(2026, 9, 28, 17, 0, tzinfo=UTC), self.due_at) == 4

    def test_a_deadline_written_as_the_next_midnight_means_the_same_due_date(self):
        assert CALENDAR_2026.remaining_working_days(at(2026, 9, 28, 10, 0), at(2026, 10, 11, 0, 0)) == 5


class TestWarnAt:
    """Yellow alert at the end of the (n - max(1, n // 5))th working day after the start."""

    def test_a_five_day_limit_turns_yellow_when_one_working_day_is_left(self):
        assert CALENDAR_2026.warn_at(date(2026, 9, 28), 5) == arithmetic.end_of_day(date(2026, 10, 9), SHANGHAI)

    def test_a_ten_day_limit_turns_yellow_when_two_working_days_are_left(self):
        due = CALENDAR_2026.due_at(date(2026, 9, 28), 10).due_date
        warn_at = CALENDAR_2026.warn_at(date(2026, 9, 28), 10)
        warn_date = arithmetic.local_date(warn_at, SHANGHAI)
        assert CALENDAR_2026.working_days_between(warn_date, due) == 2

    def test_a_one_day_limit_is_yellow_from_the_end_of_the_acceptance_day(self):
        assert CALENDAR_2026.warn_at(date(2026, 4, 30), 1) == arithmetic.end_of_day(date(2026, 4, 30), SHANGHAI)

    def test_a_resumed_clock_keeps_the_reserve_of_its_full_limit(self):
        # 10-day limit, resumed on 2026-11-02 with 6 days left: yellow with 2 days left.
        warn_at = CALENDAR_2026.warn_at(date(2026, 11, 2), 6, limit=10)
        assert warn_at == arithmetic.end_of_day(date(2026, 11, 6), SHANGHAI)

    @given(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 11, 30)), st.integers(1, 20))
    def test_the_warning_never_comes_after_the_deadline_nor_before_the_start_day_ends(self, start, n):
        warn_at = CALENDAR_2026.warn_at(start, n)
        assert arithmetic.end_of_day(start, SHANGHAI) <= warn_at < CALENDAR_2026.due_at(start, n).due_at


@st.composite
def snapshots(draw):
    """A random table over part of 2025 to 2027 with a random set of official years."""
    first = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)))
    flags = draw(st.lists(st.booleans(), min_size=1, max_size=400))
    days = {first + timedelta(days=i): flag for i, flag in enumerate(flags)}
    official = draw(st.sets(st.sampled_from([2025, 2026, 2027, 2028])))
    return WorkCalendar(days, official, SHANGHAI)


dates = st.dates(min_value=date(2024, 6, 1), max_value=date(2029, 6, 30))


@given(snapshots(), dates, st.integers(min_value=0, max_value=40))
def test_the_snapshot_adds_like_the_arithmetic_on_its_own_days(calendar, start, n):
    assert calendar.add_working_days(start, n) == arithmetic.add_working_days(start, n, calendar.is_working_day)


@given(snapshots(), dates, dates)
def test_the_snapshot_counts_like_the_arithmetic_on_its_own_days(calendar, start, end):
    assert calendar.working_days_between(start, end) == arithmetic.working_days_between(
        start, end, calendar.is_working_day
    )


@given(snapshots(), dates, st.integers(min_value=0, max_value=40))
def test_a_deadline_is_provisional_exactly_when_a_counted_day_is(calendar, start, n):
    deadline = calendar.due_at(start, n)
    counted = (start + timedelta(days=i) for i in range(1, (deadline.due_date - start).days + 1))
    assert deadline.provisional == any(calendar.is_provisional(d) for d in counted)
