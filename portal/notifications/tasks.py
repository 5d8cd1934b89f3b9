from celery import shared_task


@shared_task(ignore_result=True)
def drain_outbox() -> int:
    from portal.notifications.outbox import drain

    return drain()
