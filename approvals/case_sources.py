"""What the references of cases opened from applications name (accountability.references)."""

from django.urls import reverse

from accountability.models import CaseSource
from accountability.references import SourceRecord, source_finder
from approvals.models import Alert, AlertRecord, Application


@source_finder(CaseSource.DEEMED_APPROVAL, CaseSource.REFERRAL)
def application_record(number: str) -> SourceRecord | None:
    """The application numbered ``number``."""
    pk = Application.objects.filter(number=number).values_list("pk", flat=True).first()
    return SourceRecord(url=reverse("application-detail", args=[pk]), department=None) if pk else None


@source_finder(CaseSource.RED_ALERT)
def red_alert_record(number: str) -> SourceRecord | None:
    """The application numbered ``number`` if it has a red alert, with the department of its
    first red alert (监察移送 on a red alert of an item that excludes deemed approval)."""
    alert = (AlertRecord.objects.filter(level=Alert.RED, application__number=number)
             .select_related("department").order_by("raised_at", "id").first())
    if alert is None:
        return None
    return SourceRecord(url=reverse("application-detail", args=[alert.application_id]),
                        department=alert.department)
