"""Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task

from approvals import emails
from approvals.models import Application


@shared_task(ignore_result=True)
def notify_applicant(application_id: int, event: str) -> None:
    application = Application.objects.select_related("service").filter(pk=application_id).first()
    if application is not None:
        emails.send_event_email(application, event)


@shared_task(ignore_result=True)
def enforce_deadlines() -> dict:
    """The one beat entry (SPEC §5): an idempotent sweep of everything due."""
    from approvals.deadlines import sweep

    return sweep().as_dict()
