"""Receivers that keep the work calendar snapshot in step with the table.

Connected in ``WorkCalendarConfig.ready``. Bulk writes send no model signals, so
the loader invalidates the snapshot itself.
"""

from typing import Any

from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save

from portal.workcalendar.calendar import forget_snapshot, invalidate_work_calendar
from portal.workcalendar.models import CalendarYear, WorkDay


def work_day_changed(sender: type[WorkDay], instance: WorkDay, **kwargs: Any) -> None:
    invalidate_work_calendar(years=[instance.date.year])


def calendar_year_changed(sender: type[CalendarYear], instance: CalendarYear, **kwargs: Any) -> None:
    invalidate_work_calendar(years=[instance.year])


def time_zone_changed(setting: str, **kwargs: Any) -> None:
    # The snapshot holds the zone its deadlines end in (tests override it).
    if setting == "TIME_ZONE":
        forget_snapshot()


def connect() -> None:
    # Module-level receivers: connecting twice is a no-op, so no dispatch_uid is needed.
    for signal in (post_save, post_delete):
        signal.connect(work_day_changed, sender=WorkDay)
        signal.connect(calendar_year_changed, sender=CalendarYear)
    setting_changed.connect(time_zone_changed)
