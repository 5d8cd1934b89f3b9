"""The last completed deadline sweep: recorded by the sweep, read by health, metrics and the banner."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.locking import for_update
from portal.operations.models import SweepRecord

RECORD_ID = 1


def record_sweep(*, started_at: datetime, counts: dict[str, int]) -> None:
    """Note that a sweep started at ``started_at`` has completed with ``counts``
    (a short transaction of its own: the one row is locked only while it is updated)."""
    finished_at = timezone.now()
    with transaction.atomic():
        record, created = for_update(SweepRecord.objects.all()).get_or_create(
            pk=RECORD_ID, defaults={"started_at": started_at, "finished_at": finished_at,
                                    "counts": counts, "totals": counts, "sweeps": 1})
        if created:
            return
        record.totals = {step: record.totals.get(step, 0) + counts.get(step, 0)
                         for step in {*record.totals, *counts}}
        record.started_at, record.finished_at, record.counts = started_at, finished_at, counts
        record.sweeps += 1
        record.save()


def last_sweep() -> SweepRecord | None:
    return SweepRecord.objects.filter(pk=RECORD_ID).first()


def sweep_lag_seconds(record: SweepRecord | None, now: datetime | None = None) -> float | None:
    """Seconds since the last sweep completed (None: never)."""
    if record is None:
        return None
    return max(0.0, ((now or timezone.now()) - record.finished_at).total_seconds())


def sweep_is_stale(record: SweepRecord | None, now: datetime | None = None) -> bool:
    lag = sweep_lag_seconds(record, now)
    return lag is None or lag > settings.SWEEP_STALE_SECONDS
