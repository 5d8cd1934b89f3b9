"""What the references of cases opened from inspection visits name (accountability.references)."""

from django.urls import reverse

from accountability.models import CaseSource
from accountability.references import SourceRecord, source_finder
from supervision.models import InspectionFinding


@source_finder(CaseSource.INSPECTION)
def inspection_record(reference: str) -> SourceRecord | None:
    """``<visit number>-<finding id>``: the visit's page."""
    number, _sep, finding_id = reference.rpartition("-")
    finding = (InspectionFinding.objects.select_related("department").filter(visit__number=number, pk=finding_id)
               .first()) if finding_id.isdigit() else None
    return SourceRecord(url=reverse("inspection-detail", args=[finding.visit_id]),
                        department=finding.department) if finding else None
