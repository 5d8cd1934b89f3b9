"""The embedded default: the web server with the deadline sweep on a timer in-process.

With REDIS_URL set, Celery beat runs the sweep instead and this only serves."""

import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from portal.sweep import sweep

log = logging.getLogger(__name__)


def _sweep_forever(stop: threading.Event, interval: float) -> None:
    while not stop.wait(interval):
        try:
            sweep()
        except Exception:  # the timer must survive a failed sweep; the next one retries
            log.exception("in-process deadline sweep failed")
        finally:
            close_old_connections()


class Command(BaseCommand):
    help = "Serve the portal; without Redis, also run the deadline sweep in-process every few seconds."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        if not settings.REDIS_URL:
            stop = threading.Event()
            threading.Thread(target=_sweep_forever, args=(stop, float(settings.DEADLINE_SWEEP_SECONDS)),
                             name="deadline-sweep", daemon=True).start()
            self.stdout.write(f"deadline sweep running in-process every {settings.DEADLINE_SWEEP_SECONDS}s")
        call_command("runserver", addrport, use_reloader=False, use_threading=True)
