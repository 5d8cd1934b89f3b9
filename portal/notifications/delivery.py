"""Draining the outbox: sending what committed changes stored (``outbox.enqueue``).

Nothing is sent inside a transaction: a drain claims due rows (SKIP LOCKED), marks them
in flight and commits; then it sends each message with no lock held and records the
result in a short statement of its own. A failed send is retried with exponential
backoff (OUTBOX_RETRY_SECONDS, doubling, at most OUTBOX_RETRY_MAX_SECONDS) until
OUTBOX_MAX_ATTEMPTS, then the row is "failed": the administrator sees it in the admin
and can resend it. A row left in flight by a worker that died is claimed again after
OUTBOX_LEASE_SECONDS (at least once: such a message may be sent twice). Beat re-polls
every OUTBOX_POLL_SECONDS, so a retry never waits for the next change."""

import logging
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from portal.locking import for_update
from portal.notifications.channels import deliver
from portal.notifications.models import Notification

log = logging.getLogger(__name__)
State = Notification.State


class DrainReport(NamedTuple):
    sent: int
    retrying: int
    failed: int


def retry_delay(attempts: int) -> timedelta:
    """After the n-th failed attempt: OUTBOX_RETRY_SECONDS × 2^(n-1), capped."""
    seconds = settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def claim(now: datetime, batch: int) -> list[Notification]:
    """Due rows (pending and due, or in flight past their lease), marked in flight and
    committed before anything is sent; SKIP LOCKED so concurrent drains share them out."""
    lease_expired = now - timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        ids = list(
            for_update(Notification.objects.all(), skip_locked=True)
            .filter(Q(status=State.PENDING, next_attempt_at__lte=now)
                    | Q(status=State.PENDING, next_attempt_at__isnull=True)
                    | Q(status=State.SENDING, claimed_at__lt=lease_expired))
            .order_by("id").values_list("id", flat=True)[:batch]
        )
        if not ids:
            return []
        Notification.objects.filter(pk__in=ids).update(status=State.SENDING, claimed_at=now,
                                                        attempts=F("attempts") + 1)
        return list(Notification.objects.filter(pk__in=ids).order_by("id"))


def _record(row: Notification, error: BaseException | None) -> str:
    """The result of one send, unless the row was claimed again meanwhile (lease expired)."""
    now = timezone.now()
    if error is None:
        changes = {"status": State.SENT, "sent_at": now, "last_error": ""}
    else:
        final = row.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        changes = {"status": State.FAILED if final else State.PENDING,
                   "next_attempt_at": now + retry_delay(row.attempts),
                   "last_error": f"{type(error).__name__}: {error}"[:300]}
    Notification.objects.filter(pk=row.pk, status=State.SENDING, claimed_at=row.claimed_at).update(**changes)
    return changes["status"]


def drain(*, batch: int = 200, now: datetime | None = None) -> DrainReport:
    """Send every due message; return how many were sent, will be retried, failed for good."""
    counts = {State.SENT: 0, State.PENDING: 0, State.FAILED: 0}
    while True:
        rows = claim(now or timezone.now(), batch)
        for row in rows:
            try:
                deliver(row)
            except Exception as error:  # noqa: BLE001 - any failure of a channel is retried
                log.warning("sending notification %s (%s) failed, attempt %s: %s", row.pk, row.channel,
                            row.attempts, error)
                counts[_record(row, error)] += 1
            else:
                counts[_record(row, None)] += 1
        if len(rows) < batch:
            return DrainReport(sent=counts[State.SENT], retrying=counts[State.PENDING], failed=counts[State.FAILED])
