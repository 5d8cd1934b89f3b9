from celery import shared_task

from portal.notifications.delivery import drain


@shared_task(ignore_result=True)
def drain_outbox() -> dict:
    """After each change that stored messages, and every OUTBOX_POLL_SECONDS from beat."""
    return drain()._asdict()
