"""The Celery app (beat's schedule: settings.CELERY_BEAT_SCHEDULE) and its worker's consumer."""

import os
from functools import partial

from celery import Celery
from celery.worker.consumer import Consumer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


class QuickReconnectConsumer(Consumer):
    """The worker's consumer, reconnecting to a broker that went away every
    ``broker_reconnect_seconds`` (kombu's default waits 2, 4, 6 … up to 30 s between tries:
    after a 60-second Redis restart a worker could sit idle for another 12 s while deadlines
    fall due)."""

    def ensure_connected(self, conn):
        interval = float(self.app.conf.get("broker_reconnect_seconds") or 0.5)
        ensure = conn.ensure_connection
        conn.ensure_connection = partial(ensure, interval_start=interval, interval_step=0, interval_max=interval)
        try:
            return super().ensure_connected(conn)
        finally:
            del conn.ensure_connection


app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

