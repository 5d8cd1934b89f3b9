"""The work calendar table (工作日历, SPEC §3): which dates are working days.

Limits are counted in working days (工作日, 行政许可法 art. 82), which exclude
weekends and statutory holidays (法定节假日) but include the weekend days the
State Council turns into working days to bridge a holiday (调休).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Who decided a day's (or a year's) status."""

    # chinese_calendar: the State Council's announced schedule, including 调休.
    OFFICIAL = "official", _("official schedule")
    # holidays: statutory holidays computed for a year not yet announced; provisional.
    STATUTORY = "statutory", _("statutory (provisional)")
    # Edited in the admin, e.g. when the schedule is announced in November before
    # the library is updated. The loader never overwrites it.
    MANUAL = "manual", _("edited by hand")


class WorkDay(models.Model):
    """One date and whether it is a working day (工作日).

    A rest day is a weekend or a statutory holiday (法定节假日); a weekend can be
    a working day when it is a make-up day (调休上班).
    """

    date = models.DateField(_("date"), primary_key=True)
    is_working_day = models.BooleanField(_("working day"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return self.date.isoformat()


class CalendarYear(models.Model):
    """A loaded calendar year and whether its schedule is the announced one.

    Deadlines that count a day of a year that is not ``official`` (or of a year
    that was never loaded) are provisional: they may move when the State Council
    announces that year's holidays and 调休.
    """

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    official = models.BooleanField(
        _("official"), help_text=_("The year's holidays and make-up working days are the announced ones.")
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
