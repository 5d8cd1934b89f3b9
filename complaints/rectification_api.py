"""REST endpoints of 书面说明和整改报告 (``complaints.rectification``): the principal's
reports on substantiated complaints, listed, read and submitted."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from portal.validation import Text

from complaints import rectification
from complaints.models import RectificationReport
from portal.api.actions import ObjectActionApi
from portal.api.objects import ObjectApi, ObjectDetailApi, ObjectListApi
from portal.api.timestamps import iso

STATES = ("due", "overdue", "submitted")


class RectificationReportOutput(serializers.Serializer):
    """What ``report_data`` renders (tests/api checks every answer against it)."""

    id = serializers.IntegerField()
    complaint = serializers.CharField(help_text="complaint number")
    category = serializers.CharField()
    finding = serializers.CharField(allow_blank=True)
    conclusion = serializers.CharField(allow_blank=True)
    department = serializers.CharField()
    principal = serializers.CharField()
    requested_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    state = serializers.ChoiceField(choices=list(STATES))
    submitted_at = serializers.DateTimeField(allow_null=True)
    late = serializers.BooleanField()
    explanation = serializers.CharField(allow_blank=True)
    measures = serializers.CharField(allow_blank=True)
    alert_raised_at = serializers.DateTimeField(allow_null=True)
    case = serializers.CharField(allow_null=True)


def report_data(report: RectificationReport) -> dict:
    """The report with its complaint's number, category and finding (never the complainant)."""
    complaint = report.complaint
    return {
        "id": report.pk,
        "complaint": complaint.number,
        "category": complaint.category,
        "finding": complaint.finding,
        "conclusion": complaint.conclusion,
        "department": report.department.code,
        "principal": report.principal.get_username(),
        "requested_at": iso(report.requested_at),
        "due_at": iso(report.due_at),
        "state": "submitted" if report.submitted_at else ("overdue" if report.overdue_at else "due"),
        "submitted_at": iso(report.submitted_at),
        "late": report.late,
        "explanation": report.explanation,
        "measures": report.measures,
        "alert_raised_at": iso(report.overdue_at),
        "case": report.case_number or None,
    }


def filtered(qs, state: str | None):
    if state == "due":
        return qs.filter(submitted_at__isnull=True, overdue_at__isnull=True)
    if state == "overdue":
        return qs.filter(submitted_at__isnull=True, overdue_at__isnull=False)
    if state == "submitted":
        return qs.filter(submitted_at__isnull=False)
    return qs


class RectificationReportApi(ObjectApi):
    """A report the caller may see (a 404 otherwise), as ``report_data`` shows it."""

    output_serializer = RectificationReportOutput

    def find(self, request, pk):
        return rectification.report_for_user(request.user, pk)

    def show(self, request, report):
        return report_data(report)


class RectificationReportListApi(ObjectListApi, RectificationReportApi):
    """A principal lists his reports; the supervisors and the discipline office all of them."""

    operation_id = "rectification_reports_list"
    query_parameters = [OpenApiParameter("state", str, enum=list(STATES)),
                        OpenApiParameter("department", str, description="department code")]

    def rows(self, request):
        qs = filtered(rectification.reports_visible_to(request.user), request.query_params.get("state"))
        if request.query_params.get("department"):
            qs = qs.filter(department__code=request.query_params["department"])
        return qs.order_by("due_at", "id")

    def show_rows(self, request, rows):
        return [report_data(r) for r in rows]


class RectificationReportDetailApi(ObjectDetailApi, RectificationReportApi):
    operation_id = "rectification_report_retrieve"


class SubmitInput(serializers.Serializer):
    explanation = Text(required=False, allow_blank=True, default="", max_length=10000)
    measures = Text(required=False, allow_blank=True, default="", max_length=10000)


class RectificationReportSubmitApi(ObjectActionApi, RectificationReportApi):
    """The principal submits the written explanation and the rectification measures (once)."""

    serializer_class = SubmitInput

    def act(self, request, report, data):
        rectification.rectification_report_submit(actor=request.user, report_id=report.pk, **data)
