"""Properties of the pure working-day arithmetic, over random calendars."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.workcalendar.arithmetic import (
    CalendarGapError,
    add_working_days,
    end_of_day,
    local_date,
    working_days_between,
    yellow_reserve,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_MICROSECOND = timedelta(microseconds=1)

dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
limits = st.integers(min_value=0, max_value=60)


@st.composite
def calendars(draw):
    """A weekly-ish repeating pattern with at least one working day, plus random exceptions."""
    pattern = draw(st.lists(st.booleans(), min_size=1, max_size=21).filter(any))
    exceptions = draw(st.dictionaries(dates, st.booleans(), max_size=60))

    def is_working_day(d: date) -> bool:
        exception = exceptions.get(d)
        return pattern[d.toordinal() % len(pattern)] if exception is None else exception

    return is_working_day


@given(calendars(), dates, st.integers(min_value=1, max_value=60))
def test_the_result_is_a_working_day(is_working_day, start, n):
    assert is_working_day(add_working_days(start, n, is_working_day))


@given(calendars(), dates, limits)
def test_exactly_n_working_days_lie_after_the_start_up_to_the_result(is_working_day, start, n):
    result = add_working_days(start, n, is_working_day)
    assert result >= start
    assert working_days_between(start, result, is_working_day) == n


@given(calendars(), dates)
def test_zero_working_days_ends_on_the_start_date(is_working_day, start):
    assert add_working_days(start, 0, is_working_day) == start


@given(calendars(), dates, limits)
def test_one_more_working_day_ends_strictly_later(is_working_day, start, n):
    assert add_working_days(start, n, is_working_day) < add_working_days(start, n + 1, is_working_day)


@given(calendars(), dates, dates, limits)
def test_a_later_start_never_ends_earlier(is_working_day, one, other, n):
    earlier, later = sorted((one, other))
    assert add_working_days(earlier, n, is_working_day) <= add_working_days(later, n, is_working_day)


@given(calendars(), dates, dates)
def test_adding_the_count_between_two_dates_reaches_the_last_working_day_up_to_the_end(is_working_day, one, other):
    start, end = sorted((one, other))
    count = working_days_between(start, end, is_working_day)
    reached = add_working_days(start, count, is_working_day)
    assert reached <= end
    assert add_working_days(start, count + 1, is_working_day) > end
    if end > start and is_working_day(end):
        assert reached == end


@given(calendars(), dates, dates, dates)
def test_counts_over_adjacent_periods_add_up(is_working_day, a, b, c):
    first, middle, last = sorted((a, b, c))
    assert working_days_between(first, middle, is_working_day) + working_days_between(
        middle, last, is_working_day
    ) == working_days_between(first, last, is_working_day)


@given(calendars(), dates, dates)
def test_no_working_days_are_counted_backwards(is_working_day, one, other):
    start, end = sorted((one, other), reverse=True)
    assert working_days_between(start, end, is_working_day) == 0


def test_a_negative_limit_is_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1, lambda d: True)


def test_a_calendar_without_working_days_is_reported_instead_of_looping_forever():
    with pytest.raises(CalendarGapError):
        add_working_days(date(2026, 1, 5), 1, lambda d: False)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_end_of_day_is_the_last_instant_of_the_date_in_shanghai(d):
    last = end_of_day(d, SHANGHAI)
    assert last.tzinfo is SHANGHAI
    assert local_date(last, SHANGHAI) == d
    assert last.time() == time.max
    assert local_date(last.astimezone(UTC) + ONE_MICROSECOND, SHANGHAI) == d + timedelta(days=1)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
def test_end_of_day_is_the_last_instant_even_where_clocks_change_at_midnight(d):
    # São Paulo's daylight saving time began and ended at midnight until 2019.
    try:
        zone = ZoneInfo("America/Sao_Paulo")
    except ZoneInfoNotFoundError:
        pytest.skip("no time zone database")
    last = end_of_day(d, zone)
    assert local_date(last, zone) == d
    assert local_date(last.astimezone(UTC) + ONE_MICROSECOND, zone) == d + timedelta(days=1)


def test_a_deadline_ending_on_a_date_passes_at_the_next_local_midnight():
    due_at = end_of_day(date(2026, 10, 10), SHANGHAI)
    assert datetime(2026, 10, 10, 23, 59, 59, tzinfo=SHANGHAI) <= due_at
    assert datetime(2026, 10, 11, 0, 0, tzinfo=SHANGHAI) > due_at
    assert due_at == datetime(2026, 10, 10, 15, 59, 59, 999999, tzinfo=UTC)


def test_the_local_date_of_an_instant_depends_on_the_zone():
    instant = datetime(2026, 9, 28, 17, 0, tzinfo=UTC)
    assert local_date(instant, SHANGHAI) == date(2026, 9, 29)
    assert local_date(instant, UTC) == date(2026, 9, 28)


def test_a_naive_datetime_has_no_local_date():
    with pytest.raises(ValueError):
        local_date(datetime(2026, 9, 28, 12, 0), SHANGHAI)


@pytest.mark.parametrize(
    ("limit", "reserve"), [(0, 1), (1, 1), (4, 1), (5, 1), (9, 1), (10, 2), (15, 3), (20, 4), (45, 9)]
)
def test_the_yellow_reserve_is_a_fifth_of_the_limit_but_at_least_one_working_day(limit, reserve):
    assert yellow_reserve(limit) == reserve
