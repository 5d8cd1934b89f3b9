"""Prometheus gauges computed on scrape (django-prometheus serves them at /metrics with its
request and database metrics): sweep lag and rows, outbox backlog and failures, the audit
blocks waiting to be sealed, and what the apps listed in settings.METRICS_COLLECTORS add
(open items by alert colour).

Under gunicorn each worker process counts its own requests; with PROMETHEUS_MULTIPROC_DIR set
(the Procfile and docker-compose.yml set it, portal/gunicorn.py empties it at start and drops
dead workers' files) every scrape, whichever worker answers it, sums all of them.

Each collector's figures are cached for METRICS_CACHE_SECONDS, so frequent scrapes by
several Prometheus servers cost one set of queries."""

import hmac
import os

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.http import HttpResponseForbidden
from django.utils.module_loading import import_string
from django.http import HttpResponse
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from portal.audit.services import unsealed_backlog
from portal.notifications.models import Notification
from portal.operations.heartbeat import last_sweep, sweep_lag_seconds


def cached(key: str, compute):
    """``compute()``, reused for METRICS_CACHE_SECONDS (0: computed on every scrape)."""
    if settings.METRICS_CACHE_SECONDS <= 0:
        return compute()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.METRICS_CACHE_SECONDS)
    return value


def sweep_metrics():
    record = last_sweep()
    lag = GaugeMetricFamily("portal_sweep_lag_seconds",
                            "Seconds since the last deadline sweep completed (-1: none yet)")
    lag.add_metric([], -1 if record is None else sweep_lag_seconds(record))
    yield lag
    last = GaugeMetricFamily("portal_sweep_last_rows", "Rows each step handled in the last sweep", labels=["step"])
    total = CounterMetricFamily("portal_sweep_rows", "Rows each step handled since the first sweep", labels=["step"])
    for step, rows in sorted((record.counts if record else {}).items()):
        last.add_metric([step], rows)
    for step, rows in sorted((record.totals if record else {}).items()):
        total.add_metric([step], rows)
    yield last
    yield total


def outbox_metrics():
    by_state = cached("metrics:outbox", lambda: {
        (row["channel"], row["status"]): row["n"]
        for row in Notification.objects.exclude(status=Notification.State.SENT)
        .values("channel", "status").annotate(n=Count("id"))})
    family = GaugeMetricFamily("portal_outbox_messages", "Messages not yet sent, by channel and state",
                               labels=["channel", "state"])
    for channel in Notification.Channel.values:
        for state in ("pending", "sending", "failed"):
            family.add_metric([channel, state], by_state.get((channel, state), 0))
    yield family


def audit_metrics():
    blocks, rows, oldest = cached("metrics:audit", unsealed_backlog)
    waiting = GaugeMetricFamily("portal_audit_unsealed", "Audit rows and blocks written but not yet sealed "
                                "into the chain", labels=["unit"])
    waiting.add_metric(["blocks"], blocks)
    waiting.add_metric(["rows"], rows)
    yield waiting
    age = GaugeMetricFamily("portal_audit_oldest_unsealed_seconds",
                            "Age of the oldest unsealed audit block (0: none waiting)")
    age.add_metric([], 0 if oldest is None else max(0.0, (timezone.now() - oldest).total_seconds()))
    yield age


class PortalCollector:
    def describe(self):
        return []  # nothing is computed at registration (no query before the database is ready)

    def collect(self):
        yield from sweep_metrics()
        yield from outbox_metrics()
        yield from audit_metrics()
        for path in settings.METRICS_COLLECTORS:
            yield from import_string(path)()


_registered = False
_collector = PortalCollector()


def register() -> None:
    """Add the portal's collector to the default registry once (from AppConfig.ready)."""
    global _registered
    if not _registered:
        REGISTRY.register(_collector)
        _registered = True


def metrics(request):
    """/metrics for Prometheus; with METRICS_TOKEN set, only for ``Authorization: Bearer <token>``."""
    token = settings.METRICS_TOKEN
    if token and not hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}"):
        return HttpResponseForbidden("metrics need the bearer token\n", content_type="text/plain")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Every worker's counters from their files, plus the portal's figures (read from the
        # database, the same whichever worker computes them).
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_collector)
    else:
        registry = REGISTRY
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
