"""What the references of cases opened from complaints name (accountability.references)."""

from django.urls import reverse

from accountability.models import CaseSource
from accountability.references import SourceRecord, source_finder
from complaints.models import Complaint, RectificationReport


@source_finder(CaseSource.COMPLAINT)
def complaint_record(number: str) -> SourceRecord | None:
    """The complaint numbered ``number``, on the discipline office's page."""
    pk = Complaint.objects.filter(number=number).values_list("pk", flat=True).first()
    return SourceRecord(url=reverse("complaint-work", args=[pk]), department=None) if pk else None


@source_finder(CaseSource.MISSING_REPORT)
def missing_report_record(number: str) -> SourceRecord | None:
    """The rectification report asked for on complaint ``number``."""
    report = RectificationReport.objects.filter(complaint__number=number).values_list("pk", "department").first()
    return SourceRecord(url=reverse("rectification-detail", args=[report[0]]), department=None) if report else None
