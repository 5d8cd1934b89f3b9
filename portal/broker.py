"""Sending work to the Celery workers from a request, without making the request depend on it."""

import logging
import time

log = logging.getLogger("portal.broker")


_BROKER_RETRY_SECONDS = 1.0
_broker_down_until = 0.0


def nudge(task) -> None:
    """Ask a worker to run ``task`` now, if the broker answers; else leave it to beat's schedule.

    For work that is also polled on a schedule (the outbox): the change it follows has committed
    already, so a broker that is down (Redis restarting) must not turn the request into an error.
    One attempt, no retries; after a failure the broker is not tried again for a second.
    """
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return
    try:
        task.apply_async(retry=False)
    except Exception as error:  # kombu's OperationalError, redis-py's errors, OSError
        _broker_down_until = time.monotonic() + _BROKER_RETRY_SECONDS
        log.warning("broker unreachable, %s left to the schedule: %s", task.name, error)
