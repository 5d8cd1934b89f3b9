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

from approvals import services
from approvals.models import Application, Status

log = logging.getLogger(__name__)


@dataclass
class SweepReport:
    deemed_accepted: int = 0

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


STEPS = (("deemed_accepted", _deemed_acceptance_batch),)


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
