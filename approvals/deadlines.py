"""The deadline engine (SPEC §5): the database is the truth, one idempotent sweep.

Each step claims a batch of due rows with ``ORDER BY due … FOR UPDATE SKIP LOCKED``
(so any number of workers can sweep at once without taking the same row), applies
the transition in the same transaction, and loops until nothing is due. Human
decisions lock the same rows, so a decision and the sweep serialise: whoever
commits first wins and the other finds the new state and does nothing.
"""

import gc
import logging
import threading
from contextlib import contextmanager
from importlib import import_module

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from approvals import alerts, services
from approvals.lapse import STAGE_COLUMNS, claim_by_stage, claim_due, lapse_rows, write_lapse_batch
from approvals.models import OPEN_STAGE, Alert, Application, Stage, Status

log = logging.getLogger(__name__)


class SweepReport(dict):
    """Counts per step, e.g. ``report["deemed_accepted"]``; also readable as attributes."""

    def __getattr__(self, name: str) -> int:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict:
        return dict(self)

    @property
    def total(self) -> int:
        return sum(self.values())


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


def _claim_for_stages(stage_lookups: dict, batch: int, order: str = "due_at"):
    """Claim applications (``approvals.lapse.claim_by_stage``) with all their stages, as
    model instances. The application row is the lock of itself and its stages: every human
    decision locks it first, so reading the stages under it is safe and no sweep ever waits
    for a row another transaction holds."""
    ids = [row[0] for row in claim_by_stage(stage_lookups, order=order, batch=batch)]
    applications = list(Application.objects.filter(pk__in=ids).select_related(
        "service", "service__department__center").order_by("due_at", "pk"))
    stages = list(
        Stage.objects.filter(application__in=applications)
        .select_related("department__head", "assignee").order_by("application_id", "id")
    )
    by_id = {a.pk: a for a in applications}
    for stage in stages:
        stage.application = by_id[stage.application_id]
    return applications, stages


# The stage steps below read up to ``batch`` matching stage rows and handle every matching
# stage of the applications they claimed, so the stages they handled (their result) reach
# ``batch`` exactly when a full batch was read and more may be due.


def _stage_lapse_batch(now, batch: int) -> int:
    """超期默许: open stages past their limit are deemed approved, with their side effects."""
    with transaction.atomic():
        applications = claim_due(now, batch)
        if not applications:
            return 0
        stages = list(Stage.objects.filter(application_id__in=[a[0] for a in applications])
                      .order_by("application_id", "id").values_list(*STAGE_COLUMNS))
        result = lapse_rows(applications, stages, now=now)
        write_lapse_batch(result, now=now)
        return len(result.stage_ids)


def _red_alert_batch(now, batch: int) -> int:
    """Items that exclude deemed approval: a lapsed stage raises a red alert instead."""
    with transaction.atomic():
        applications, stages = _claim_for_stages(
            {"status__in": OPEN_STAGE, "deemed_approval": False, "due_at__lt": now,
             "alert__in": [Alert.NONE, Alert.YELLOW]}, batch)
        due = [s for s in stages if s.status in OPEN_STAGE and not s.deemed_approval and s.due_at
               and s.due_at < now and s.alert != Alert.RED]
        alerts.raise_alerts(due, level="red", now=now)
        return len(due)


def _yellow_alert_batch(now, batch: int) -> int:
    """电子监察 黄牌: 20% or less of the limit left (at the latest one working day before)."""
    with transaction.atomic():
        applications, stages = _claim_for_stages(
            {"status__in": OPEN_STAGE, "warn_at__lt": now, "alert": Alert.NONE}, batch, order="warn_at")
        due = [s for s in stages if s.status in OPEN_STAGE and s.warn_at and s.warn_at < now
               and s.alert == Alert.NONE]
        alerts.raise_alerts(due, level="yellow", now=now)
        return len(due)


STEPS = (
    ("deemed_accepted", _deemed_acceptance_batch),
    ("deemed_approved_stages", _stage_lapse_batch),
    ("red_alerts", _red_alert_batch),
    ("yellow_alerts", _yellow_alert_batch),
)
# Steps whose backlog several threads may work off together: a batch locks only the rows it
# claimed (SKIP LOCKED) and, last before its commit, the audit chain head, so two batches
# never wait on each other in a cycle. (Deemed acceptance numbers applications one by one
# and logs as it goes: it stays on one thread.)
PARALLEL_STEPS = {"deemed_approved_stages"}


def all_steps() -> list[tuple[str, object]]:
    """This module's steps, then those other apps declare in ``<app>.deadlines.STEPS``
    (settings.DEADLINE_STEP_MODULES): inquiries, complaints, follow-ups."""
    steps = list(STEPS)
    for module in settings.DEADLINE_STEP_MODULES:
        steps += list(import_module(module).STEPS)
    return steps


class _GcPause:
    """No cyclic garbage collection while any sweep batch runs: a batch allocates tens of
    thousands of short-lived rows (freed by reference counting), which would otherwise set
    off collections of the whole process every few hundred rows (a third of the sweep's
    CPU). Counted, so that threads sweeping together re-enable it only when the last ends."""

    def __init__(self):
        self.lock = threading.Lock()
        self.depth = 0
        self.was_enabled = False

    @contextmanager
    def __call__(self):
        with self.lock:
            if self.depth == 0:
                self.was_enabled = gc.isenabled()
                gc.disable()
            self.depth += 1
        try:
            yield
        finally:
            with self.lock:
                self.depth -= 1
                if self.depth == 0 and self.was_enabled:
                    gc.enable()


_gc_paused = _GcPause()


def _step_once(step, now, batch: int) -> tuple[int, bool]:
    """Run one batch; return what it handled and whether it claimed a full batch (more may be due)."""
    with _gc_paused():
        result = step(now, batch)
    handled, claimed = result if isinstance(result, tuple) else (result, result)
    return handled, claimed >= batch


def _step_until_done(step, now, batch: int) -> int:
    total, more = 0, True
    while more:
        handled, more = _step_once(step, now, batch)
        total += handled
    return total


def _step_in_threads(step, now, batch: int, workers: int) -> int:
    """Work off a backlog with ``workers`` threads, this one included, each in its own
    connection and transactions; a failure in any is raised here after all have stopped."""
    handled = [0] * workers
    errors: list[BaseException] = []

    def helper(index: int) -> None:
        try:
            handled[index] = _step_until_done(step, now, batch)
        except BaseException as error:  # noqa: BLE001 - re-raised in the calling thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=helper, args=(i,), name=f"deadline-sweep-{i}", daemon=True)
               for i in range(1, workers)]
    for thread in threads:
        thread.start()
    try:
        handled[0] = _step_until_done(step, now, batch)
    finally:
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]
    return sum(handled)


def sweep(*, now=None, batch: int | None = None, workers: int | None = None) -> SweepReport:
    """Run every step until none has anything due at ``now`` (default: the one clock).
    Each step is ``step(now, batch)`` and returns the rows it handled, or (handled, claimed)
    when it claims rows of another table than it counts; it claims with SKIP LOCKED and
    is called again while it claimed a full batch. A parallel step that claimed a full
    batch works off the rest with ``workers`` threads (settings.DEADLINE_SWEEP_WORKERS)."""
    now = now or timezone.now()
    batch = batch or settings.DEADLINE_SWEEP_BATCH
    workers = workers or settings.DEADLINE_SWEEP_WORKERS
    report = SweepReport()
    for name, step in all_steps():
        handled, more = _step_once(step, now, batch)
        if more:
            if workers > 1 and name in PARALLEL_STEPS and not connection.in_atomic_block:
                handled += _step_in_threads(step, now, batch, workers)
            else:
                handled += _step_until_done(step, now, batch)
        report[name] = handled
    if report.total:
        log.info("deadline sweep at %s: %s", now.isoformat(), report.as_dict())
    return report
