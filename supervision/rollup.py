"""Keeping the daily rollup (``DailyStat``) up to date.

A step of the one deadline sweep rolls up every day that has closed since the last
run. Each time it closes a day it rolls the ``REROLL_DAYS`` before it again, so that
a rating struck by a supervisor in the weeks after it was given drops out of the
figures. Stages imported with decisions on days already rolled up (the demo history)
are noticed through the stage id watermark and their days rolled again.
"""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from approvals.models import AlertRecord, Stage
from complaints.models import Evaluation
from portal.locking import bookmark_claimed, for_update
from supervision import facts
from supervision.models import DailyStat, RollupState

log = logging.getLogger(__name__)

# A day is closed this long after its end: no transaction that could still write a
# decision of that day is open any more.
ROLLUP_GRACE = timedelta(hours=1)
REROLL_DAYS = 31


def last_closed_day(now) -> date:
    return timezone.localdate(now - ROLLUP_GRACE) - timedelta(days=1)


def rollup_days(first: date, last: date) -> int:
    """Replace the rows of ``first``…``last`` by what the source tables say now."""
    collected = facts.collect(first, last)
    with transaction.atomic():
        DailyStat.objects.filter(day__gte=first, day__lte=last).delete()
        DailyStat.objects.bulk_create(
            (DailyStat(day=day, department_id=department_id, official_id=official_id, **counters)
             for (day, department_id, official_id), counters in collected.items() if any(counters.values())),
            batch_size=2000,
        )
    return len(collected)


def _earliest_day() -> date | None:
    """The first day anything happened that the rollup counts."""
    candidates = [
        Stage.objects.aggregate(first=Min("decided_at"))["first"],
        AlertRecord.objects.aggregate(first=Min("raised_at"))["first"],
        Evaluation.objects.aggregate(first=Min("rated_at"))["first"],
    ]
    moments = [m for m in candidates if m is not None]
    return timezone.localdate(min(moments)) if moments else None


def _imported_since(state: RollupState, newest_stage: int) -> date | None:
    """The first rolled-up day on which a stage added since the last run was decided."""
    if state.rolled_through is None or newest_stage <= state.stage_watermark:
        return None
    first = Stage.objects.filter(
        pk__gt=state.stage_watermark, pk__lte=newest_stage,
        decided_at__lt=facts.start_of(state.rolled_through + timedelta(days=1)),
    ).aggregate(first=Min("decided_at"))["first"]
    return timezone.localdate(first) if first is not None else None


def rollup_step(now, batch: int) -> int:
    """Deadline-sweep step: roll up the days closed since the last run (one worker at a
    time: the state row is claimed with SKIP LOCKED). Returns the number of days rolled."""
    with transaction.atomic():
        state = bookmark_claimed(RollupState)
        if state is None:
            return 0
        closed = last_closed_day(now)
        newest_stage = Stage.objects.aggregate(newest=Max("pk"))["newest"] or 0
        imported = _imported_since(state, newest_stage)
        if state.rolled_through is None:
            first = _earliest_day() or closed + timedelta(days=1)
        elif state.rolled_through < closed:
            first = min(state.rolled_through + timedelta(days=1), closed - timedelta(days=REROLL_DAYS))
        else:
            first = closed + timedelta(days=1)
        if imported is not None:
            first = min(first, imported)
        days = 0
        if first <= closed:
            rollup_days(first, closed)
            days = (closed - first).days + 1
            log.info("supervision rollup: %s to %s", first, closed)
        state.rolled_through = max(closed, state.rolled_through or closed)
        state.stage_watermark = newest_stage
        state.refreshed_at = now
        state.save()
    return days


def rollup_rebuild(now) -> int:
    """Forget the rollup and build it again from the source tables."""
    with transaction.atomic():
        for_update(RollupState.objects.filter(pk=1)).delete()
        DailyStat.objects.all().delete()
    return rollup_step(now, batch=1)
