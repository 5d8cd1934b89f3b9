"""The deadline engine (SPEC §5): the database is the truth, one idempotent sweep.

Each step claims a batch of due rows with ``ORDER BY due … FOR UPDATE SKIP LOCKED``
(so any number of workers can sweep at once without taking the same row), applies
the transition in the same transaction, and loops until nothing is due. Human
decisions lock the same rows, so a decision and the sweep serialise: whoever
commits first wins and the other finds the new state and does nothing.
"""

import logging
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from approvals import alerts, services
from approvals.lapse import lapse_applications, write_lapse_batch
from approvals.models import OPEN_STAGE, Application, Stage, Status

log = logging.getLogger(__name__)


@dataclass
class SweepReport:
    deemed_accepted: int = 0
    deemed_approved_stages: int = 0
    red_alerts: int = 0
    yellow_alerts: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def total(self) -> int:
        return sum(asdict(self).values())


def _claim(queryset, order_field: str, batch: int):
    return list(
        queryset.select_for_update(skip_locked=True, of=("self",)).order_by(order_field, "pk")[:batch]
    )


def _deemed_acceptance_batch(now, batch: int) -> int:
    """逾期不告知视为受理: submitted applications nobody answered within 5 working days."""
    with transaction.atomic():
        rows = _claim(
            Application.objects.filter(status=Status.SUBMITTED, intake_due_at__lt=now).select_related(
                "service", "service__department__center"
            ),
            "intake_due_at",
            batch,
        )
        for application in rows:
            services.application_deem_accept(application=application, now=now)
    return len(rows)


def _stage_lapse_batch(now, batch: int) -> int:
    """超期默许: claim the applications whose open stages passed their limit (the row a
    human decision also locks), then their stages, and deem those stages approved."""
    with transaction.atomic():
        due = (
            Stage.objects.filter(status__in=OPEN_STAGE, deemed_approval=True, due_at__lt=now,
                                 application__status=Status.IN_REVIEW)
            .order_by("due_at").values("application_id")[:batch]
        )
        applications = _claim(
            Application.objects.filter(pk__in=due, status=Status.IN_REVIEW).select_related(
                "service", "service__department__center"),
            "due_at", batch,
        )
        if not applications:
            return 0
        stages = list(
            Stage.objects.select_for_update(of=("self",)).filter(application__in=applications)
            .select_related("department__head", "assignee").order_by("application_id", "id")
        )
        result = lapse_applications(applications, stages, now=now)
        write_lapse_batch(result, now=now)
        return len(result.stages)


def _red_alert_batch(now, batch: int) -> int:
    """Items that exclude deemed approval: a lapsed stage raises a red alert instead."""
    with transaction.atomic():
        stages = _claim(
            Stage.objects.filter(status__in=OPEN_STAGE, deemed_approval=False, due_at__lt=now,
                                 application__status=Status.IN_REVIEW).exclude(alert="red")
            .select_related("application", "department__head", "assignee"),
            "due_at", batch,
        )
        alerts.raise_alerts(stages, level="red", now=now)
    return len(stages)


def _yellow_alert_batch(now, batch: int) -> int:
    """电子监察 黄牌: 20% or less of the limit left (at the latest one working day before)."""
    with transaction.atomic():
        stages = _claim(
            Stage.objects.filter(status__in=OPEN_STAGE, warn_at__lt=now, alert="none",
                                 application__status=Status.IN_REVIEW)
            .select_related("application", "department__head", "assignee"),
            "warn_at", batch,
        )
        alerts.raise_alerts(stages, level="yellow", now=now)
    return len(stages)


STEPS = (
    ("deemed_accepted", _deemed_acceptance_batch),
    ("deemed_approved_stages", _stage_lapse_batch),
    ("red_alerts", _red_alert_batch),
    ("yellow_alerts", _yellow_alert_batch),
)


def sweep(*, now=None, batch: int | None = None) -> SweepReport:
    """Run every step until none has anything due at ``now`` (default: the one clock)."""
    now = now or timezone.now()
    batch = batch or settings.DEADLINE_SWEEP_BATCH
    report = SweepReport()
    for name, step in STEPS:
        while True:
            done = step(now, batch)
            setattr(report, name, getattr(report, name) + done)
            if done < batch:
                break
    if report.total:
        log.info("deadline sweep at %s: %s", now.isoformat(), report.as_dict())
    return report
