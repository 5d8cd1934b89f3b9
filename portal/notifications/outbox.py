"""Writing to the outbox and draining it. Nothing is sent before the change commits."""

import logging
from typing import NamedTuple

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal.bulk import insert_rows
from portal.notifications.models import Notification

log = logging.getLogger(__name__)


class Message(NamedTuple):
    """One e-mail to send after commit (a tuple: the sweep makes thousands at a time)."""

    event: str
    subject: str
    body: str
    email: str = ""
    user_id: int | None = None
    ref: str = ""


def enqueue(messages: list[Message]) -> None:
    """Store messages in the current transaction; drain them after it commits."""
    messages = [m for m in messages if m.email]
    if not messages:
        return
    insert_rows(Notification, ["event", "user", "email", "subject", "body", "ref"],
                [(m.event, m.user_id, m.email, m.subject[:200], m.body, m.ref) for m in messages],
                constants={"created_at": timezone.now(), "attempts": 0})
    from portal.notifications.tasks import drain_outbox

    transaction.on_commit(drain_outbox.delay)


def drain(*, batch: int = 200) -> int:
    """Send unsent messages; each row is claimed with SKIP LOCKED so two drains never send twice."""
    sent = 0
    while True:
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True, attempts__lt=5).order_by("id")[:batch]
            )
            for row in rows:
                row.attempts += 1
                try:
                    send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.email])
                except OSError:
                    log.exception("sending notification %s failed; will retry", row.pk)
                    row.save(update_fields=["attempts"])
                    continue
                row.sent_at = timezone.now()
                row.save(update_fields=["attempts", "sent_at"])
                sent += 1
        if len(rows) < batch:
            return sent
