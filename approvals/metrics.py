"""Prometheus figures of the approvals app (listed in settings.METRICS_COLLECTORS)."""

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from approvals.models import OPEN_STAGE, Alert, Stage
from portal.operations.metrics import cached


def open_stages_by_alert():
    """电子监察: open stages (pending or claimed) by alert colour."""
    counts = cached("metrics:open-stages", lambda: dict(
        Stage.objects.filter(status__in=OPEN_STAGE).values_list("alert").annotate(n=Count("id")).order_by()))
    family = GaugeMetricFamily("portal_open_stages", "Open review stages by alert colour", labels=["alert"])
    for colour in Alert.values:
        family.add_metric([colour], counts.get(colour, 0))
    yield family
