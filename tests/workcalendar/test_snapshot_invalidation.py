"""Every process sees a calendar edit: at once in the editing process, after commit in the others."""

from datetime import UTC, date, datetime

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.urls import path, reverse

from portal.workcalendar import calendar
from portal.workcalendar.calendar import get_work_calendar
from portal.workcalendar.loader import calendar_load
from portal.workcalendar.models import CalendarYear, Source, WorkDay
from portal.workcalendar.services import workday_set_manual

urlpatterns = [path("admin/", admin.site.urls)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def loaded_2026():
    calendar_load(years=[2026])


def test_the_snapshot_is_reused_until_something_changes(loaded_2026):
    assert get_work_calendar() is get_work_calendar()


def test_a_day_edited_in_the_admin_moves_the_next_deadline(loaded_2026, admin_client):
    assert get_work_calendar().due_at(date(2026, 9, 28), 5).due_date == date(2026, 10, 10)

    response = admin_client.post(
        reverse("admin:workcalendar_workday_change", args=["2026-10-10"]),
        {"note": "调休取消", "_save": "save"},
    )

    assert response.status_code == 302
    day = WorkDay.objects.get(date=date(2026, 10, 10))
    assert (day.is_working_day, day.source, day.note) == (False, Source.MANUAL, "调休取消")
    assert get_work_calendar().due_at(date(2026, 9, 28), 5).due_date == date(2026, 10, 12)


def test_a_day_added_in_the_admin_is_manual(admin_client):
    response = admin_client.post(
        reverse("admin:workcalendar_workday_add"),
        {"date": "2041-05-06", "is_working_day": "on", "note": "", "_save": "save"},
    )

    assert response.status_code == 302
    assert WorkDay.objects.get(date=date(2041, 5, 6)).source == Source.MANUAL
    assert get_work_calendar().is_working_day(date(2041, 5, 6))


def test_a_year_confirmed_in_the_admin_is_no_longer_provisional(admin_client):
    calendar_load(years=[2027])
    assert get_work_calendar().is_provisional(date(2027, 6, 1))

    response = admin_client.post(
        reverse("admin:workcalendar_calendaryear_change", args=[2027]), {"official": "on", "_save": "save"}
    )

    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert (year.official, year.source) == (True, Source.MANUAL)
    assert not get_work_calendar().is_provisional(date(2027, 6, 1))


def test_a_deleted_day_falls_back_to_the_statutory_holidays_and_is_provisional(loaded_2026):
    assert get_work_calendar().is_working_day(date(2026, 10, 10))
    WorkDay.objects.get(date=date(2026, 10, 10)).delete()
    assert get_work_calendar().is_provisional(date(2026, 10, 10))


def test_an_edit_publishes_a_new_token_for_other_processes_after_commit(
    loaded_2026, django_capture_on_commit_callbacks
):
    before = cache.get(calendar.CACHE_TOKEN_KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workday_set_manual(day=date(2026, 10, 9), is_working_day=False)
    assert cache.get(calendar.CACHE_TOKEN_KEY) == before
    for callback in callbacks:
        callback()
    assert cache.get(calendar.CACHE_TOKEN_KEY) != before


def test_a_process_rebuilds_when_another_process_has_published_a_change(loaded_2026, monkeypatch):
    snapshot = get_work_calendar()
    # Another process edits the table and, after its commit, publishes a new token;
    # this process gets no model signal and keeps its snapshot until its next check.
    WorkDay.objects.filter(date=date(2026, 10, 9)).update(is_working_day=False, source=Source.MANUAL)
    cache.set(calendar.CACHE_TOKEN_KEY, "published-by-another-process")
    assert get_work_calendar() is snapshot

    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 0.0)
    rebuilt = get_work_calendar()
    assert rebuilt is not snapshot
    assert not rebuilt.is_working_day(date(2026, 10, 9))
    assert get_work_calendar() is rebuilt  # same token: no second rebuild


def test_the_snapshot_follows_the_time_zone_setting(loaded_2026, settings):
    settings.TIME_ZONE = "UTC"
    due_at = get_work_calendar().due_at(date(2026, 9, 28), 5).due_at
    assert due_at == datetime(2026, 10, 10, 23, 59, 59, 999999, tzinfo=UTC)
