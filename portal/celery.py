"""The Celery app (beat's schedule: settings.CELERY_BEAT_SCHEDULE) and its worker's consumer."""

import logging
import os
import time

from celery import Celery
from celery.worker.consumer import Consumer
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
log = logging.getLogger(__name__)


class BrokerAwayDuties:
    """What a worker does itself while it cannot reach the broker: the tasks named in
    ``worker_while_broker_away`` (task name → seconds between runs), run in the worker between
    its connection tries. The deadline sweep (超期默许) needs only PostgreSQL: with Redis away
    no beat tick arrives, and without this every deadline falling due in the outage would wait
    for Redis and then for a sweep of the whole backlog. Several workers doing it at once is
    safe for the reason two sweeps are (SKIP LOCKED)."""

    def __init__(self, app):
        self.app = app
        self.last: dict[str, float] = {}

    def run_due(self) -> None:
        for name, every in (self.app.conf.get("worker_while_broker_away") or {}).items():
            now = time.monotonic()
            if now - self.last.get(name, float("-inf")) < float(every):
                continue
            self.last[name] = now
            close_old_connections()
            try:
                self.app.tasks[name]()
                log.info("broker away: ran %s in this worker", name)
            except Exception:  # noqa: BLE001 - logged; tried again after `every` seconds
                log.exception("broker away: %s failed in this worker", name)
            finally:
                close_old_connections()


class QuickReconnectConsumer(Consumer):
    """The worker's consumer, reconnecting to a broker that went away every
    ``broker_reconnect_seconds`` (kombu's default waits 2, 4, 6 … up to 30 s between tries:
    after a 60-second Redis restart a worker could sit idle for another 12 s while deadlines
    fall due), and doing its ``BrokerAwayDuties`` between the tries."""

    def ensure_connected(self, conn):
        interval = float(self.app.conf.get("broker_reconnect_seconds") or 0.5)
        ensure = conn.ensure_connection
        duties = BrokerAwayDuties(self.app)

        def ensure_with_duties(errback=None, max_retries=None, callback=None, **kwargs):
            def between_tries():
                if callback is not None:
                    callback()
                duties.run_due()

            return ensure(errback, max_retries, interval_start=interval, interval_step=0, interval_max=interval,
                          callback=between_tries, **kwargs)

        conn.ensure_connection = ensure_with_duties
        try:
            return super().ensure_connected(conn)
        finally:
            del conn.ensure_connection


app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

