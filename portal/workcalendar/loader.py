"""Fill the work calendar table from the libraries (SPEC §3, ``manage.py load_calendar``)."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from portal.locking import for_update
from portal.workcalendar import sources
from portal.workcalendar.calendar import invalidate_work_calendar
from portal.workcalendar.models import CalendarYear, Source, WorkDay


def calendar_load(*, years: Iterable[int] | None = None, provisional_years_ahead: int = 2) -> dict[int, dict[str, int]]:
    """Load working days (工作日) into the table; safe to run any number of times.

    A year ``chinese_calendar`` knows is written from the announced schedule,
    holidays and make-up working days (调休) included, as ``official``. Any other
    year is computed from the statutory holidays (法定节假日) of ``holidays`` as
    ``statutory`` and its ``CalendarYear`` is not official, so deadlines counting
    its days are provisional. A year loaded as statutory is replaced by the
    official schedule once the library knows it. Rows edited by hand (``manual``)
    are never overwritten, and a year confirmed by hand stays confirmed.

    ``years``: the years to load; by default every official year, then the
    ``provisional_years_ahead`` years after the later of the last official year
    and the current year (so a stale library still covers the coming years).

    Returns, per year, the number of its rows by source after the load, and
    ``updated``: how many rows this run wrote. Years whose days or status changed
    are announced through ``calendar_changed`` after commit.
    """
    if provisional_years_ahead < 0:
        raise ValueError(f"provisional_years_ahead must be >= 0, got {provisional_years_ahead}")
    official = sources.official_years()
    if years is None:
        last = max(official.stop - 1, timezone.localdate().year) + provisional_years_ahead
        targets = list(range(official.start, last + 1))
    else:
        targets = sorted(set(years))
    if not targets:
        return {}
    now = timezone.now()
    with transaction.atomic():
        # The year rows are the lock a hand edit takes too (services.workday_set_manual),
        # so a day cannot turn manual between our read and our write.
        previous = {row.year: row for row in for_update(CalendarYear.objects.all()).filter(year__in=targets)}
        stored = _stored_rows(date(targets[0], 1, 1), date(targets[-1], 12, 31))
        result: dict[int, dict[str, int]] = {}
        changed: set[int] = set()
        writes: list[WorkDay] = []
        year_rows: list[CalendarYear] = []
        for year in targets:
            is_official = year in official
            year_writes, counts = _year_rows(year, is_official, stored)
            writes.extend(year_writes)
            result[year] = counts
            year_row = _year_status(year, is_official, previous.get(year), now)
            year_rows.append(year_row)
            old = previous.get(year)
            if year_writes or old is None or (old.official, old.source) != (year_row.official, year_row.source):
                changed.add(year)
        # Upserts rather than delete + insert: bulk writes send no per-row signals,
        # and an unchanged row is not touched at all.
        WorkDay.objects.bulk_create(
            writes,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["date"],
            update_fields=["is_working_day", "source", "note"],
        )
        CalendarYear.objects.bulk_create(
            year_rows,
            update_conflicts=True,
            unique_fields=["year"],
            update_fields=["official", "source", "loaded_at"],
        )
        if changed:
            invalidate_work_calendar(years=changed)
    return result


def _stored_rows(first: date, last: date) -> dict[date, tuple[bool, str, str]]:
    rows = WorkDay.objects.filter(date__range=(first, last)).values_list("date", "is_working_day", "source", "note")
    return {day: (is_working, source, note) for day, is_working, source, note in rows}


def _year_rows(
    year: int, is_official: bool, stored: dict[date, tuple[bool, str, str]]
) -> tuple[list[WorkDay], dict[str, int]]:
    """The rows of ``year`` that differ from the table, and the year's counts by source."""
    source = Source.OFFICIAL if is_official else Source.STATUTORY
    day_of = sources.official_day if is_official else sources.statutory_day
    writes: list[WorkDay] = []
    manual = 0
    day, last = date(year, 1, 1), date(year, 12, 31)
    while day <= last:
        current = stored.get(day)
        if current is not None and current[1] == Source.MANUAL:
            manual += 1
        else:
            computed = day_of(day)
            if current != (computed.is_working_day, source, computed.note):
                writes.append(
                    WorkDay(date=day, is_working_day=computed.is_working_day, source=source, note=computed.note)
                )
        day += timedelta(days=1)
    total = (last - date(year, 1, 1)).days + 1
    counts = {Source.OFFICIAL.value: 0, Source.STATUTORY.value: 0, Source.MANUAL.value: manual}
    counts[source.value] = total - manual
    counts["updated"] = len(writes)
    return writes, counts


def _year_status(year: int, is_official: bool, previous: CalendarYear | None, now: datetime) -> CalendarYear:
    if is_official:
        return CalendarYear(year=year, official=True, source=Source.OFFICIAL, loaded_at=now)
    if previous is not None and previous.source == Source.MANUAL:
        # Confirmed by hand after the announcement, before the library knew it.
        return CalendarYear(year=year, official=previous.official, source=Source.MANUAL, loaded_at=now)
    return CalendarYear(year=year, official=False, source=Source.STATUTORY, loaded_at=now)
