"""电子监察: a daily rollup of the facts the dashboard shows, so that a dashboard over a
year reads a few thousand rows instead of every decision ever made.

A day is rolled up once it is closed (ended more than ``ROLLUP_GRACE`` ago); the
days after the last rolled-up one are read live from the source tables. Each row
holds one day of one department, for one official (``official`` set) or for what no
official is answerable for (``official`` empty: ratings, unclaimed stages).
"""

from django.conf import settings
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
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


def _rate_field(label, default: str):
    return models.DecimalField(label, max_digits=4, decimal_places=3, default=Decimal(default),
                               validators=[MinValueValidator(0), MaxValueValidator(1)])


class ServiceTargets(models.Model):
    """考核目标 of a service center: 现场办结率 ≥ 90 %, 按时办结率 100 %, 群众评价满意率
    ≥ 95 % by default (the seeds), each a fraction from 0 to 1."""

    center = models.OneToOneField("organisation.ServiceCenter", verbose_name=_("center"), on_delete=models.CASCADE,
                                  related_name="targets")
    onsite_rate = _rate_field(_("on-site completion rate at least"), "0.900")
    on_time_rate = _rate_field(_("on-time completion rate at least"), "1.000")
    satisfaction_rate = _rate_field(_("satisfaction rate at least"), "0.950")

    class Meta:
        verbose_name = _("service targets")
        verbose_name_plural = _("service targets")


class VisitKind(models.TextChoices):
    ANNOUNCED = "announced", _("announced inspection (明查)")
    UNANNOUNCED = "unannounced", _("unannounced visit (暗访)")


class InspectionVisit(models.Model):
    """明查暗访: a supervisor's visit to the hall, announced or not, recorded with what was
    found at each window visited."""

    number = models.CharField(_("number"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=VisitKind.choices)
    center = models.ForeignKey("organisation.ServiceCenter", verbose_name=_("center"), on_delete=models.PROTECT,
                               related_name="+")
    visited_at = models.DateTimeField(_("visited at"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT,
                                  related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")
        ordering = ["-visited_at", "-id"]
        indexes = [models.Index(fields=["-visited_at"], name="inspection_visited_idx")]

    def __str__(self) -> str:
        return self.number


class FindingOutcome(models.TextChoices):
    COMPLIANT = "compliant", _("no problem found")
    PROBLEM = "problem", _("problem found")


class InspectionFinding(models.Model):
    """What a visit found at one window (and, where named, about one official there); a
    problem found can open an accountability case (source ``inspection``)."""

    visit = models.ForeignKey(InspectionVisit, on_delete=models.CASCADE, related_name="findings")
    window = models.ForeignKey("organisation.Window", verbose_name=_("window"), on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("official"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=FindingOutcome.choices)
    description = models.TextField(_("what was found"), blank=True)
    case_number = models.CharField(_("accountability case"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["visit", "id"]
        indexes = [models.Index(fields=["window", "visit"], name="finding_window_idx"),
                   models.Index(fields=["department", "visit"], name="finding_department_idx")]

    @property
    def reference(self) -> str:
        """What a case opened from this finding names as its source reference."""
        return f"{self.visit.number}-{self.pk}"
