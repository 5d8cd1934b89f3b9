"""The deadline engine (SPEC §5): the database is the truth, one idempotent sweep.

The apps declare their steps (``<app>.deadlines.STEPS``, listed in
settings.DEADLINE_STEP_MODULES); each step claims a batch of due rows with
``ORDER BY due … FOR UPDATE SKIP LOCKED`` (so any number of workers can sweep at once
without taking the same row), applies the transition in the same transaction, and is
called again while it claimed a full batch.
"""

import gc
import logging
import threading
import time
from contextlib import contextmanager
from importlib import import_module

from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.audit.services import audit_seal_quietly, sealing_deferred
from portal.locking import for_update
from portal.operations.heartbeat import record_sweep

log = logging.getLogger(__name__)


def claim_batch(queryset, order_field: str, batch: int, *, skip_locked: bool = True,
                along: tuple[str, ...] = ()) -> list:
    """A step's claim: up to ``batch`` due rows of ``queryset``, earliest ``order_field``
    first, each locked for this transaction and skipped if another sweeper or a person holds
    it (FOR UPDATE OF the rows themselves SKIP LOCKED; ``along``: related rows locked with
    each, see ``portal.locking.for_update``). A step serialised by a bookmark
    (``portal.locking.bookmark_claimed``) that must not leave a row behind it waits for the
    rows a person holds instead (``skip_locked=False``).

    The rows are then asked once more whether they are still due, by a statement of its own: the
    claim read the table as it was when its statement began, and a row another sweeper finished
    while this one waited or was about to lock it is locked all the same when that sweeper's
    change was not to the row itself (a row of another table marking it done: an escalation, an
    inaction record) — it would be done twice, or fail on the marker's unique key. Holding the
    locks now, the second look sees every change made under them."""
    rows = list(for_update(queryset, skip_locked=skip_locked, along=along).order_by(order_field, "pk")[:batch])
    if not rows:
        return rows
    due = set(queryset.filter(pk__in=[row.pk for row in rows]).values_list("pk", flat=True))
    return [row for row in rows if row.pk in due]


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


def all_steps() -> list[tuple[str, object, bool]]:
    """The steps the apps declare in ``<app>.deadlines.STEPS`` (settings.DEADLINE_STEP_MODULES),
    in that order, each with whether its module lists it in ``PARALLEL_STEPS``."""
    steps = []
    for path in settings.DEADLINE_STEP_MODULES:
        module = import_module(path)
        parallel = getattr(module, "PARALLEL_STEPS", set())
        steps += [(name, step, name in parallel) for name, step in module.STEPS]
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


class _PeriodicSeal:
    """The batches of a sweep leave their audit blocks to the sweep's seal; a long backlog is
    sealed on the way too, at most every AUDIT_SEAL_SECONDS (a worker busy sweeping runs no
    scheduled seal, and /health/ turns red on blocks left unsealed for long)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.last = time.monotonic()

    def restart(self) -> None:
        with self.lock:
            self.last = time.monotonic()

    def __call__(self) -> None:
        with self.lock:
            if time.monotonic() - self.last < settings.AUDIT_SEAL_SECONDS:
                return
            self.last = time.monotonic()
        audit_seal_quietly()


_periodic_seal = _PeriodicSeal()


def _step_once(step, now, batch: int) -> tuple[int, bool]:
    """Run one batch; return what it handled and whether it claimed a full batch (more may be due).
    Its audit rows are sealed with the whole sweep's, at its end (``sweep``)."""
    with _gc_paused(), sealing_deferred():
        result = step(now, batch)
    handled, claimed = result if isinstance(result, tuple) else (result, result)
    return handled, claimed >= batch


def _step_until_done(step, now, batch: int) -> int:
    total, more = 0, True
    while more:
        handled, more = _step_once(step, now, batch)
        total += handled
        _periodic_seal()
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
    started_at = timezone.now()
    now = now or started_at
    batch = batch or settings.DEADLINE_SWEEP_BATCH
    workers = workers or settings.DEADLINE_SWEEP_WORKERS
    report = SweepReport()
    _periodic_seal.restart()
    try:
        for name, step, parallel in all_steps():
            handled, more = _step_once(step, now, batch)
            if more:
                if workers > 1 and parallel and not connection.in_atomic_block:
                    handled += _step_in_threads(step, now, batch, workers)
                else:
                    handled += _step_until_done(step, now, batch)
            report[name] = handled
    finally:
        # 全程留痕: the batches left their audit blocks to one seal here (portal.audit.services),
        # which also takes whatever a busy sealer left; a failed seal is the schedule's to retry.
        audit_seal_quietly()
    if report.total:
        log.info("deadline sweep at %s: %s", now.isoformat(), report.as_dict())
    record_sweep(started_at=started_at, counts=report.as_dict())  # the heartbeat /health/ watches
    return report
