"""Sending work to the Celery workers from a request, without making the request depend on it."""

import logging
import time

log = logging.getLogger("portal.broker")

# After a failure the broker is not tried again for this long.
BROKER_RETRY_SECONDS = 1.0
# A process nudges one task at most this often, plus at most one nudge deferred to the end of
# that time: a drain takes everything committed before it runs.
NUDGE_SECONDS = 1.0

_broker_down_until = 0.0
# task name → (monotonic time of the last nudge sent at once, time a deferred nudge runs)
_nudges: dict[str, tuple[float, float]] = {}


def nudge(task) -> None:
    """Ask a worker to run ``task`` soon, if the broker answers; else leave it to beat's schedule.

    For work that takes everything pending and is also polled on a schedule (the outbox): the
    change it follows has committed already, so a broker that is down (Redis restarting) must
    not turn the request into an error. One attempt, no retries; after a failure the broker is
    not tried again for a second. A busy process sends at most one nudge a second at once and
    one deferred to the end of that second, which takes every message committed until then.
    """
    global _broker_down_until
    now = time.monotonic()
    if now < _broker_down_until:
        return
    last, deferred = _nudges.get(task.name, (float("-inf"), float("-inf")))
    if now - last >= NUDGE_SECONDS:
        options, sent = {}, (now, deferred)
    elif deferred <= now:
        options, sent = {"countdown": last + NUDGE_SECONDS - now}, (last, last + NUDGE_SECONDS)
    else:
        return  # the deferred nudge on its way takes this one's work too
    try:
        task.apply_async(retry=False, **options)
    except Exception as error:  # kombu's OperationalError, redis-py's errors, OSError
        _broker_down_until = time.monotonic() + BROKER_RETRY_SECONDS
        log.warning("broker unreachable, %s left to the schedule: %s", task.name, error)
        return
    _nudges[task.name] = sent
