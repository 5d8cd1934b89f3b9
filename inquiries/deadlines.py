"""Steps of the one deadline sweep (portal.sweep, SPEC §5) for inquiries:
yellow and red alerts on answer clocks. Each step claims due rows with
``ORDER BY … FOR UPDATE SKIP LOCKED`` and handles them in the same transaction; a
handled row no longer matches, so a step is idempotent and fires exactly once."""

from django.db import transaction
from django.db.models import prefetch_related_objects

from inquiries import alerts
from inquiries.models import RUNNING, Inquiry, InquiryAlert
from portal.sweep import claim_batch


def _claim_with_people(queryset, order_field: str, batch: int) -> list[Inquiry]:
    """Claim a batch; the people to tell are read after the lock, so they are current."""
    rows = claim_batch(queryset, order_field, batch)
    prefetch_related_objects(rows, "owner", "referee", "referred_to__head")
    return rows


def _red_alert_batch(now, batch: int) -> int:
    """The answer limit passed (24:00 of its last working day) with no answer."""
    with transaction.atomic():
        rows = _claim_with_people(
            Inquiry.objects.filter(status__in=RUNNING, due_at__lt=now).exclude(alert=InquiryAlert.RED),
            "due_at", batch)
        alerts.raise_inquiry_alerts(rows, level=InquiryAlert.RED, now=now)
    return len(rows)


def _yellow_alert_batch(now, batch: int) -> int:
    """黄牌: 20% or less of the limit left, at the latest one working day before."""
    with transaction.atomic():
        rows = _claim_with_people(
            Inquiry.objects.filter(status__in=RUNNING, warn_at__lt=now, alert=InquiryAlert.NONE),
            "warn_at", batch)
        alerts.raise_inquiry_alerts(rows, level=InquiryAlert.YELLOW, now=now)
    return len(rows)


STEPS = [
    ("inquiry_red_alerts", _red_alert_batch),
    ("inquiry_yellow_alerts", _yellow_alert_batch),
]
