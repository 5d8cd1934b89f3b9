"""Notifications of application events go to the outbox in the same transaction;
they are sent after commit (portal.notifications)."""

from approvals.emails import applicant_message
from approvals.models import Application
from portal.notifications.outbox import enqueue


def notify_applicant(application: Application, event: str) -> None:
    enqueue([applicant_message(application, event)])
