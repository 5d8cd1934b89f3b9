"""Working-day arithmetic (工作日计算), free of the database.

Every function takes the calendar as a plain ``is_working_day`` callable, so the
rules can be tested against any calendar and reused by ``WorkCalendar``.

The counting rule is SPEC §3 (行政许可法 art. 82): the day of the event is not
counted; a limit of N working days ends at the end (24:00 local) of the Nth
working day after the event's date.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

IsWorkingDay = Callable[[date], bool]

# A real calendar never goes a year without a working day; a longer gap means
# corrupt data (e.g. every row marked as a holiday) and would otherwise loop forever.
MAX_DAYS_WITHOUT_WORK = 366

_ONE_DAY = timedelta(days=1)
_ONE_MICROSECOND = timedelta(microseconds=1)


class CalendarGapError(ValueError):
    """The calendar has no working day for longer than a year."""


def add_working_days(start: date, n: int, is_working_day: IsWorkingDay) -> date:
    """Return the Nth working day after ``start`` (``start`` itself is not counted).

    ``n == 0`` returns ``start`` unchanged (a limit of zero ends on the event's own
    day). Raises ``ValueError`` for a negative ``n`` and ``CalendarGapError`` when
    the calendar has no working day for more than a year.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    day = start
    gap = 0
    while n:
        day += _ONE_DAY
        if is_working_day(day):
            n -= 1
            gap = 0
        else:
            gap += 1
            if gap > MAX_DAYS_WITHOUT_WORK:
                raise CalendarGapError(f"no working day between {day - timedelta(days=gap)} and {day}")
    return day


def working_days_between(start: date, end: date, is_working_day: IsWorkingDay) -> int:
    """Count the working days ``d`` with ``start < d <= end``; 0 when ``end <= start``.

    This is the number of days of a limit used up from ``start`` through the end
    of ``end`` (SPEC §3, suspension: "days already used").
    """
    count = 0
    day = start + _ONE_DAY
    while day <= end:
        if is_working_day(day):
            count += 1
        day += _ONE_DAY
    return count


def end_of_day(d: date, tz: tzinfo) -> datetime:
    """Return the last representable instant (…23:59:59.999999) of ``d`` in ``tz``.

    A deadline on ``d`` has passed when ``now > end_of_day(d, tz)``, i.e. at 24:00.
    Computed as one microsecond before the next local midnight, through UTC, so it
    stays the true last instant even in a zone whose clocks change around midnight.
    """
    next_midnight = datetime.combine(d + _ONE_DAY, time.min, tzinfo=tz)
    return (next_midnight.astimezone(UTC) - _ONE_MICROSECOND).astimezone(tz)


def local_date(dt: datetime, tz: tzinfo) -> date:
    """Return the calendar date of the aware instant ``dt`` in ``tz``.

    Naive datetimes are refused: their meaning depends on the server's clock
    settings, and business time is always aware (USE_TZ).
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt!r}: pass an aware datetime")
    return dt.astimezone(tz).date()


def yellow_reserve(limit: int) -> int:
    """Working days left when the yellow alert fires (电子监察 黄牌, SPEC §2).

    Yellow when 20% or less of the limit remains, and at the latest one working
    day before the deadline: ``max(1, floor(limit * 20%))``, in integer
    arithmetic so that 5 * 20% is exactly 1.
    """
    if limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    return max(1, limit // 5)
