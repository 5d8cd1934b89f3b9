"""Celery task of the audit trail: the scheduled seal and checkpoint (beat entry ``seal-audit-trail``)."""

from celery import shared_task

from portal.audit.services import audit_seal_and_anchor


@shared_task(ignore_result=True)
def seal_audit_trail() -> int:
    """Chain every committed unsealed block and append a signed checkpoint of the head."""
    return audit_seal_and_anchor()
