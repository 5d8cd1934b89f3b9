"""电子监察: a daily rollup of the facts the dashboard shows, so that a dashboard over a
year reads a few thousand rows instead of every decision ever made.

A day is rolled up once it is closed (ended more than ``ROLLUP_GRACE`` ago); the
days after the last rolled-up one are read live from the source tables. Each row
holds one day of one department, for one official (``official`` set) or for what no
official is answerable for (``official`` empty: ratings, unclaimed stages).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.organisation.models import Department

# The counters of a row and of every figure built from rows.
COUNTERS = (
    "decided", "on_time", "deemed", "onsite", "working_days", "committed_days",
    "yellow_alerts", "red_alerts", "evaluations", "satisfied",
)


class DailyStat(models.Model):
    day = models.DateField(_("day"))
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    decided = models.PositiveIntegerField(_("stages decided"), default=0)
    on_time = models.PositiveIntegerField(_("decided within the limit"), default=0)
    deemed = models.PositiveIntegerField(_("deemed approvals"), default=0)
    onsite = models.PositiveIntegerField(_("decided on site"), default=0)
    working_days = models.PositiveIntegerField(_("working days used"), default=0)
    committed_days = models.PositiveIntegerField(_("committed working days"), default=0)
    yellow_alerts = models.PositiveIntegerField(default=0)
    red_alerts = models.PositiveIntegerField(default=0)
    evaluations = models.PositiveIntegerField(_("ratings"), default=0)
    satisfied = models.PositiveIntegerField(_("satisfied ratings"), default=0)

    class Meta:
        verbose_name = _("daily supervision figures")
        verbose_name_plural = _("daily supervision figures")
        indexes = [
            models.Index(fields=["day", "department"], name="dailystat_day_idx"),
            models.Index(fields=["official", "day"], name="dailystat_official_idx"),
        ]


class RollupState(models.Model):
    """One row, locked by whoever rolls up, so two sweeps never roll the same days."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    rolled_through = models.DateField(null=True, blank=True)
    # Stages with a larger id were not seen yet: one decided on an already rolled-up
    # day (imported history) makes that day roll up again.
    stage_watermark = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)
