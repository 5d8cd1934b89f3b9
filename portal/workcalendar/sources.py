"""Where working days come from: the two maintained libraries (SPEC §3).

* ``chinese_calendar`` ships the State Council's announced schedule (国务院办公厅
  部分节假日安排), including 调休: weekend days made working days to bridge a
  holiday. It stops at the last announced year.
* ``holidays`` computes the statutory holidays (法定节假日) for any year, and the
  make-up days only for years its maintainers have entered; a day taken from it
  for a year without an announced schedule is provisional.
"""

import functools
from dataclasses import dataclass
from datetime import date

import chinese_calendar
import holidays


@dataclass(frozen=True, slots=True)
class SourceDay:
    """One date as a library describes it."""

    date: date
    is_working_day: bool
    note: str


def official_years() -> range:
    """Years for which ``chinese_calendar`` has the announced schedule.

    The library validates dates against the years of its own holiday table, so
    that table's first and last year are its supported range.
    """
    known = chinese_calendar.holidays.keys()
    return range(min(known).year, max(known).year + 1)


def official_day(d: date) -> SourceDay:
    """The announced status of ``d``; only valid for a year in ``official_years()``.

    Same rule as ``chinese_calendar.is_workday``, read from its public tables
    directly: the library's own check rescans the whole table on every call,
    which is noticeable when loading two decades of days.
    """
    workdays, days_off, in_lieu = chinese_calendar.workdays, chinese_calendar.holidays, chinese_calendar.in_lieu_days
    if d in workdays:
        return SourceDay(d, True, f"{_festival(workdays[d])}调休上班")
    if d in days_off:
        name = _festival(days_off[d])
        return SourceDay(d, False, f"{name}（调休）" if d in in_lieu else name)
    return SourceDay(d, d.weekday() < 5, "")


def statutory_day(d: date) -> SourceDay:
    """The statutory status of ``d`` computed by ``holidays.China``.

    Weekends are rest days unless the library knows them as make-up working days;
    public holidays (not the half-day ones such as 妇女节) are rest days.
    """
    year = _statutory_year(d.year)
    return SourceDay(d, year.is_working_day(d), year.get(d, ""))


@functools.lru_cache(maxsize=64)
def _statutory_year(year: int) -> holidays.HolidayBase:
    # One instance per year: holiday objects compute a whole year at once, and a
    # year-bound instance never grows while another thread reads it.
    return holidays.China(years=year, language="zh_CN")


def _festival(english_name: str) -> str:
    return chinese_calendar.Holiday(english_name).chinese
