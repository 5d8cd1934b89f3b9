from django.contrib import admin
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.workcalendar.models import CalendarYear, WorkDay
from portal.workcalendar.services import calendar_year_set_official, workday_set_manual


@admin.register(WorkDay)
class WorkDayAdmin(admin.ModelAdmin):
    """Days are edited here when the schedule is announced before the library has it.

    Every save goes through ``workday_set_manual``: the row becomes ``manual`` and
    the loader keeps it.
    """

    list_display = ("date", "weekday", "is_working_day", "source", "note")
    list_filter = ("source", "is_working_day")
    date_hierarchy = "date"
    search_fields = ("note",)
    fields = ("date", "is_working_day", "note", "source")
    readonly_fields = ("source",)

    @admin.display(description=_("weekday"))
    def weekday(self, obj: WorkDay) -> str:
        return date_format(obj.date, "D")

    def get_readonly_fields(self, request: HttpRequest, obj: WorkDay | None = None) -> tuple[str, ...]:
        # The date is the primary key: changing it would add a second row, not move this one.
        return ("date", "source") if obj is not None else ("source",)

    def save_model(self, request: HttpRequest, obj: WorkDay, form, change: bool) -> None:
        saved = workday_set_manual(day=obj.date, is_working_day=obj.is_working_day, note=obj.note)
        obj.source = saved.source


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Years are written by ``load_calendar``; only the official flag is edited by hand."""

    list_display = ("year", "official", "source", "loaded_at")
    list_filter = ("official", "source")
    fields = ("year", "official", "source", "loaded_at")
    readonly_fields = ("year", "source", "loaded_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CalendarYear | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CalendarYear, form, change: bool) -> None:
        saved = calendar_year_set_official(year=obj.year, official=obj.official)
        obj.source = saved.source
