"""Deadlines in working days (限时办结制, SPEC §3) from the work calendar table.

``get_work_calendar()`` returns a per-process, in-memory snapshot of the table:
every answer is a lookup in arrays built once, never a query, so the deadline
sweep can compute a great many deadlines per second. The snapshot is rebuilt
after an edit (see ``invalidate_work_calendar``).
"""

import time
import uuid
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from portal.workcalendar import arithmetic, sources
from portal.workcalendar.models import CalendarYear, WorkDay

_ONE_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class Deadline:
    """The end of a limit: ``due_at`` is the last instant of ``due_date`` (24:00 local).

    ``provisional`` is true when a day counted lies in a year without the
    announced schedule: the deadline must be recomputed once that year is loaded.
    """

    due_at: datetime
    due_date: date
    provisional: bool


class WorkCalendar:
    """Working days (工作日) from a snapshot of the calendar table.

    Dates the table does not hold are computed from the statutory holidays
    (法定节假日) of the ``holidays`` library, without make-up days (调休) unless
    that library knows them, and are provisional, like every date of a year not
    marked official.
    """

    def __init__(self, days: Mapping[date, bool], official_years: Iterable[int], tz: tzinfo) -> None:
        self.tz = tz
        official = frozenset(official_years)
        # The index covers whole years from the first to the last date in the
        # table, so that lookups inside it are array reads and counts are
        # bisections; dates outside it fall back to day-by-day arithmetic.
        if days:
            self._first = date(min(days).year, 1, 1).toordinal()
            self._last = date(max(days).year, 12, 31).toordinal()
        else:
            self._first, self._last = 1, 0
        size = self._last - self._first + 1
        self._working_flags = bytearray(size)
        self._provisional_flags = bytearray(size)
        working: list[int] = []
        provisional: list[int] = []
        for ordinal in range(self._first, self._last + 1):
            day = date.fromordinal(ordinal)
            known = days.get(day)
            is_working = sources.statutory_day(day).is_working_day if known is None else known
            if known is None or day.year not in official:
                provisional.append(ordinal)
                self._provisional_flags[ordinal - self._first] = 1
            if is_working:
                working.append(ordinal)
                self._working_flags[ordinal - self._first] = 1
        self._working = working
        self._provisional = provisional

    @classmethod
    def from_database(cls) -> "WorkCalendar":
        """Build a snapshot of the whole table (a few thousand rows per decade)."""
        days = dict(WorkDay.objects.values_list("date", "is_working_day"))
        official = CalendarYear.objects.filter(official=True).values_list("year", flat=True)
        return cls(days, official, timezone.get_default_timezone())

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day (工作日)."""
        ordinal = d.toordinal()
        if self._first <= ordinal <= self._last:
            return bool(self._working_flags[ordinal - self._first])
        return sources.statutory_day(d).is_working_day

    def is_provisional(self, d: date) -> bool:
        """Whether ``d``'s status may still change: its year has no announced schedule, or it is not in the table."""
        ordinal = d.toordinal()
        if self._first <= ordinal <= self._last:
            return bool(self._provisional_flags[ordinal - self._first])
        return True

    def add_working_days(self, start_date: date, n: int) -> date:
        """The Nth working day after ``start_date`` (``start_date`` not counted); ``start_date`` when n == 0."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        if n == 0:
            return start_date
        after = start_date.toordinal()
        if self._first <= after + 1 and after <= self._last:
            index = bisect_right(self._working, after) + n - 1
            if index < len(self._working):
                return date.fromordinal(self._working[index])
        return arithmetic.add_working_days(start_date, n, self.is_working_day)

    def working_days_between(self, start: date, end: date) -> int:
        """Count the working days ``d`` with ``start < d <= end``; 0 when ``end <= start``."""
        if end <= start:
            return 0
        after, through = start.toordinal(), end.toordinal()
        if self._first <= after + 1 and through <= self._last:
            return bisect_right(self._working, through) - bisect_right(self._working, after)
        return arithmetic.working_days_between(start, end, self.is_working_day)

    def due_at(self, start: date, n: int) -> Deadline:
        """The deadline of a limit of ``n`` working days from an event on ``start``.

        It ends at 24:00 local of the Nth working day after ``start`` (SPEC §3: the
        day of the event is not counted). Provisional when any day in
        (start, due_date] is provisional, since any of them may become a working
        day or a holiday and move the result.
        """
        due_date = self.add_working_days(start, n)
        return Deadline(
            due_at=arithmetic.end_of_day(due_date, self.tz),
            due_date=due_date,
            provisional=self._any_provisional(start, due_date),
        )

    def remaining_working_days(self, now: datetime, due_at: datetime) -> int:
        """Whole working days left after today: working days ``d`` with today < d <= due date.

        This is what a suspension freezes (SPEC §3: the suspension date counts as
        used), and 0 on the due date itself and once overdue (``now > due_at``).
        The due date is the local date of the instant just before ``due_at``, so a
        deadline written as the next day's 00:00 means the same day as 23:59:59.
        """
        if now > due_at:
            return 0
        today = arithmetic.local_date(now, self.tz)
        due_date = arithmetic.local_date(due_at - _ONE_MICROSECOND, self.tz)
        return self.working_days_between(today, due_date)

    def warn_at(self, start: date, n: int, *, limit: int | None = None) -> datetime:
        """The instant of the yellow alert (电子监察 黄牌, SPEC §2) of a clock.

        Yellow when 20% or less of the limit remains, and at the latest one working
        day before the deadline: with ``reserve = max(1, floor(limit / 5))`` the
        alert fires at the end (24:00 local) of the ``(n - reserve)``th working day
        after ``start``, i.e. the moment exactly ``reserve`` whole working days are
        left. When ``n <= reserve`` that is the end of ``start`` itself: the clock
        is yellow as soon as it starts counting (a 1-day limit is yellow all
        through its due day). Like a deadline, it has fired when ``now > warn_at``.

        ``limit`` is the full limit the 20% refers to (default ``n``); pass it when
        ``start``/``n`` are a resumption date and the days left after a suspension.
        """
        reserve = arithmetic.yellow_reserve(n if limit is None else limit)
        warn_date = self.add_working_days(start, max(0, n - reserve))
        return arithmetic.end_of_day(warn_date, self.tz)

    def _any_provisional(self, start: date, end: date) -> bool:
        """Whether any date ``d`` with ``start < d <= end`` is provisional."""
        if end <= start:
            return False
        after, through = start.toordinal(), end.toordinal()
        if after + 1 < self._first or through > self._last:
            return True
        return bisect_right(self._provisional, through) > bisect_right(self._provisional, after)


# Sent once an edit of the calendar has been committed, with ``years``: the
# frozenset of years whose days may have changed. Apps holding deadlines connect
# to it to recompute those that were provisional (SPEC §3).
calendar_changed = Signal()

# Per-process snapshot. Other processes (web workers, Celery workers) learn of an
# edit through a token in the shared Django cache, checked at most every
# RECHECK_SECONDS, because a model signal only reaches the process that saved the row.
RECHECK_SECONDS = 30.0
CACHE_TOKEN_KEY = "workcalendar:version"
_snapshot: WorkCalendar | None = None
_snapshot_token: str | None = None
_checked_at = 0.0


def left_since(now: datetime, working_days: int) -> datetime:
    """The latest instant such that whatever happened at or before it has been left for
    ``working_days`` working days at ``now`` (the day it happened not counted, SPEC §3):
    a thing of day D is due at the end of the Nth working day after D, so the cut-off is
    the end of the latest such D."""
    calendar = get_work_calendar()
    day = timezone.localdate(now)
    # At most a few weeks back (a long holiday): the loop ends at the first day that is due.
    while arithmetic.end_of_day(calendar.add_working_days(day, working_days), calendar.tz) >= now:
        day -= timedelta(days=1)
    return arithmetic.end_of_day(day, calendar.tz)


def get_work_calendar() -> WorkCalendar:
    """The process's work calendar, rebuilt when the table has changed."""
    global _snapshot, _snapshot_token, _checked_at
    now = time.monotonic()
    if _snapshot is not None and now - _checked_at < RECHECK_SECONDS:
        return _snapshot
    # Token before rows: a change committed in between costs one more rebuild,
    # never new rows kept under an old token or old rows under a new one.
    token = cache.get(CACHE_TOKEN_KEY)
    if _snapshot is None or token != _snapshot_token:
        _snapshot = WorkCalendar.from_database()
        _snapshot_token = token
    _checked_at = now
    return _snapshot


def invalidate_work_calendar(*, years: Iterable[int]) -> None:
    """Forget this process's snapshot now, and every process's once the transaction commits.

    ``years`` are the years whose days changed, passed on to ``calendar_changed``.
    The shared token changes only after commit: a process rebuilding before
    that would read the old rows and keep them under the new token.
    """
    changed = frozenset(years)
    forget_snapshot()
    transaction.on_commit(lambda: _publish_change(changed))


def forget_snapshot() -> None:
    """Drop this process's snapshot (e.g. when the time zone setting changes)."""
    global _snapshot
    _snapshot = None


def _publish_change(years: frozenset[int]) -> None:
    forget_snapshot()
    cache.set(CACHE_TOKEN_KEY, uuid.uuid4().hex, timeout=None)
    calendar_changed.send(sender=WorkCalendar, years=years)
