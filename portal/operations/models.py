from django.db import models
from django.utils.translation import gettext_lazy as _


class SweepRecord(models.Model):
    """The heartbeat of 超期默许: the last completed deadline sweep (one row, pk 1).

    Written at the end of every sweep, whoever ran it (Celery beat's task, the in-process
    timer, ``manage.py enforce_deadlines``); read by /health/, /metrics and the supervisors'
    banner. A sweep older than SWEEP_STALE_SECONDS means nobody is enforcing the law."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    counts = models.JSONField(default=dict, help_text=_("rows each step handled in the last sweep"))
    totals = models.JSONField(default=dict, help_text=_("rows each step handled since the first sweep"))
    sweeps = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("deadline sweep record")
        verbose_name_plural = _("deadline sweep records")

    def __str__(self) -> str:
        return f"sweep #{self.sweeps} finished {self.finished_at.isoformat()}"
