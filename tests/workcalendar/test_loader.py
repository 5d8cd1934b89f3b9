"""calendar_load: idempotent, keeps hand edits, flags provisional years."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from portal.workcalendar import sources
from portal.workcalendar.calendar import calendar_changed, get_work_calendar
from portal.workcalendar.loader import calendar_load
from portal.workcalendar.models import CalendarYear, Source, WorkDay
from portal.workcalendar.services import calendar_year_set_official, workday_set_manual

pytestmark = pytest.mark.django_db


def table() -> list[tuple]:
    return list(WorkDay.objects.order_by("date").values_list("date", "is_working_day", "source", "note"))


@pytest.fixture
def library_without_2026(monkeypatch):
    """chinese_calendar as it was before the 2026 schedule was announced."""
    known = sources.official_years()
    monkeypatch.setattr(sources, "official_years", lambda: range(known.start, 2026))


def test_every_date_of_a_year_is_written_once():
    counts = calendar_load(years=[2024, 2040])
    assert (counts[2024]["official"], counts[2024]["statutory"], counts[2024]["manual"]) == (366, 0, 0)
    assert (counts[2040]["official"], counts[2040]["statutory"], counts[2040]["manual"]) == (0, 366, 0)
    assert WorkDay.objects.filter(date__year__in=[2024, 2040]).count() == 366 + 366


def test_loading_again_writes_nothing_and_leaves_the_same_table():
    calendar_load(years=[2025, 2026, 2027])
    before = table()
    counts = calendar_load(years=[2025, 2026, 2027])
    assert [year_counts["updated"] for year_counts in counts.values()] == [0, 0, 0]
    assert table() == before


@time_machine.travel(date(2026, 11, 22))
def test_by_default_every_official_year_and_the_two_following_years_are_loaded():
    counts = calendar_load()
    official = sources.official_years()
    assert list(counts) == [*official, official.stop, official.stop + 1]
    assert {year for year, year_counts in counts.items() if year_counts["statutory"]} == {
        official.stop,
        official.stop + 1,
    }


@time_machine.travel(date(2031, 3, 1))
def test_with_a_stale_library_the_provisional_years_run_from_the_current_year():
    counts = calendar_load(provisional_years_ahead=1)
    assert max(counts) == 2032
    assert counts[2031]["statutory"] == 365


def test_a_year_without_an_announced_schedule_is_statutory_and_provisional():
    calendar_load(years=[2026, 2027])
    year = CalendarYear.objects.get(year=2027)
    assert (year.official, year.source) == (False, Source.STATUTORY)
    national_day = WorkDay.objects.get(date=date(2027, 10, 1))
    assert (national_day.is_working_day, national_day.source) == (False, Source.STATUTORY)
    work_calendar = get_work_calendar()
    assert work_calendar.is_provisional(date(2027, 3, 1))
    assert not work_calendar.is_provisional(date(2026, 3, 1))


def test_a_deadline_over_a_provisional_year_is_provisional():
    calendar_load(years=[2026, 2027])
    work_calendar = get_work_calendar()
    assert work_calendar.due_at(date(2026, 12, 28), 5).provisional
    assert not work_calendar.due_at(date(2026, 12, 21), 5).provisional


def test_a_day_edited_by_hand_survives_a_reload():
    calendar_load(years=[2026])
    workday_set_manual(day=date(2026, 10, 9), is_working_day=False, note="台风停工")
    counts = calendar_load(years=[2026])
    assert counts[2026] == {"official": 364, "statutory": 0, "manual": 1, "updated": 0}
    day = WorkDay.objects.get(date=date(2026, 10, 9))
    assert (day.is_working_day, day.source, day.note) == (False, Source.MANUAL, "台风停工")


def test_a_provisional_year_is_replaced_by_the_official_schedule_once_the_library_knows_it(
    monkeypatch, library_without_2026
):
    calendar_load(years=[2026])
    workday_set_manual(day=date(2026, 12, 31), is_working_day=False, note="")
    assert WorkDay.objects.get(date=date(2026, 9, 20)).source == Source.STATUTORY
    assert get_work_calendar().due_at(date(2026, 9, 28), 5).provisional

    monkeypatch.undo()
    counts = calendar_load(years=[2026])

    assert counts[2026] == {"official": 364, "statutory": 0, "manual": 1, "updated": 364}
    assert not WorkDay.objects.filter(date__year=2026, source=Source.STATUTORY).exists()
    year = CalendarYear.objects.get(year=2026)
    assert (year.official, year.source) == (True, Source.OFFICIAL)
    deadline = get_work_calendar().due_at(date(2026, 9, 28), 5)
    assert (deadline.due_date, deadline.provisional) == (date(2026, 10, 10), False)


def test_a_year_confirmed_by_hand_stays_official_when_reloaded():
    calendar_load(years=[2027])
    calendar_year_set_official(year=2027, official=True)
    calendar_load(years=[2027])
    year = CalendarYear.objects.get(year=2027)
    assert (year.official, year.source) == (True, Source.MANUAL)
    assert not get_work_calendar().is_provisional(date(2027, 3, 1))


def test_only_the_years_that_changed_are_announced_after_commit(
    django_capture_on_commit_callbacks, monkeypatch, library_without_2026
):
    calendar_load(years=[2025, 2026])  # 2026 provisional, whatever the table held before
    monkeypatch.undo()
    announced = []

    def receiver(sender, years, **kwargs):
        announced.append(years)

    calendar_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            calendar_load(years=[2025, 2026])
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            calendar_load(years=[2025, 2026])
    finally:
        calendar_changed.disconnect(receiver)
    assert announced == [frozenset({2026})]
    assert callbacks == []


def test_a_negative_number_of_provisional_years_is_refused():
    with pytest.raises(ValueError):
        calendar_load(provisional_years_ahead=-1)


def test_the_command_prints_a_line_per_year_and_a_summary():
    out = StringIO()
    call_command("load_calendar", "--year", "2026", "--year", "2027", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("2026: official 365; ")
    assert lines[1].startswith("2027: statutory 365; ")
    assert lines[2] == "2 years loaded; official 2026-2026; provisional 2027"
