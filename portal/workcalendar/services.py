"""Hand edits of the work calendar, e.g. the State Council's November announcement
of next year's holidays and make-up working days (调休) before the library has it."""

from datetime import date

from django.db import transaction

from portal.locking import for_update
from portal.workcalendar.models import CalendarYear, Source, WorkDay


def workday_set_manual(*, day: date, is_working_day: bool, note: str = "") -> WorkDay:
    """Set whether ``day`` is a working day (工作日), by hand.

    The row becomes ``manual``, which the loader never overwrites. Saving sends
    the model signal that rebuilds every process's calendar.
    """
    with transaction.atomic():
        # The same lock calendar_load takes, so a load cannot overwrite this edit
        # with what it read before it.
        for_update(CalendarYear.objects.all()).filter(year=day.year).first()
        workday, _ = WorkDay.objects.update_or_create(
            date=day, defaults={"is_working_day": is_working_day, "source": Source.MANUAL, "note": note}
        )
    return workday


def calendar_year_set_official(*, year: int, official: bool) -> CalendarYear:
    """Confirm (or withdraw) by hand that ``year``'s schedule is the announced one.

    Deadlines counting days of an official year are no longer provisional. The
    loader keeps a hand-confirmed flag until the library itself knows the year.
    """
    with transaction.atomic():
        calendar_year = for_update(CalendarYear.objects.all()).get(year=year)
        calendar_year.official = official
        calendar_year.source = Source.MANUAL
        calendar_year.save(update_fields=["official", "source"])
    return calendar_year
