"""Writing to the outbox. Nothing is sent before the change commits (then ``tasks.drain_outbox``,
nudged if the broker answers; beat polls the outbox anyway)."""

from functools import partial
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from portal.bulk import insert_rows
from portal.broker import nudge
from portal.notifications.models import InboxMessage, Notification
from portal.notifications.tasks import drain_outbox

State = Notification.State
Channel = Notification.Channel


class Message(NamedTuple):
    """One message to send after commit (a tuple: the sweep makes thousands at a time):
    an e-mail when ``email`` is set, and also an SMS when ``phone`` is."""

    event: str
    subject: str
    body: str
    email: str = ""
    user_id: int | None = None
    ref: str = ""
    phone: str = ""


def enqueue(messages: list[Message]) -> None:
    """Store messages in the current transaction; drain them after it commits. A message to a
    known person is also put in his portal inbox, whether or not he has an e-mail address."""
    now = timezone.now()
    insert_rows(InboxMessage, ["user", "subject", "body", "ref"],
                [(m.user_id, m.subject[:200], m.body, m.ref) for m in messages if m.user_id],
                constants={"created_at": now})
    rows = [(Channel.EMAIL, m.event, m.user_id, m.email, "", m.subject[:200], m.body, m.ref)
            for m in messages if m.email]
    rows += [(Channel.SMS, m.event, m.user_id, "", m.phone, m.subject[:200], m.subject, m.ref)
             for m in messages if m.phone]
    if not rows:
        return
    insert_rows(Notification, ["channel", "event", "user", "email", "phone", "subject", "body", "ref"], rows,
                constants={"created_at": now, "next_attempt_at": now, "attempts": 0, "status": State.PENDING,
                           "last_error": ""})
    transaction.on_commit(partial(nudge, drain_outbox))


def resend(queryset) -> int:
    """Put failed (or sent) messages back in the queue with fresh attempts (admin action)."""
    count = queryset.exclude(status=State.SENDING).update(
        status=State.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="")
    if count:
        transaction.on_commit(partial(nudge, drain_outbox))
    return count
