"""REST endpoints of 明查暗访 (``supervision.inspections``): visits recorded with their
findings per window, and a case opened from a problem found."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from portal.validation import Text
from rest_framework.response import Response
from rest_framework.views import APIView

from accountability.models import Severity
from portal.api.idempotency import idempotent
from portal.api.objects import ObjectApi, ObjectDetailApi, ObjectListApi
from portal.api.timestamps import iso
from supervision import inspections
from supervision.models import FindingOutcome, InspectionVisit, VisitKind


class FindingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    window = serializers.CharField()
    department = serializers.CharField(allow_null=True)
    official = serializers.CharField(allow_null=True)
    outcome = serializers.ChoiceField(choices=FindingOutcome.choices)
    description = serializers.CharField(allow_blank=True)
    case = serializers.CharField(allow_null=True, help_text="number of the case it opened")


class VisitOutput(serializers.Serializer):
    """What ``visit_data`` renders (tests/api checks every answer against it)."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.ChoiceField(choices=VisitKind.choices)
    center = serializers.CharField()
    visited_at = serializers.DateTimeField()
    recorded_at = serializers.DateTimeField()
    inspector = serializers.CharField()
    note = serializers.CharField(allow_blank=True, help_text="empty for a department head")
    findings = FindingOutput(many=True, help_text="the findings the reader may see")


class FindingCaseOutput(serializers.Serializer):
    finding = serializers.IntegerField()
    case = serializers.CharField(help_text="case number")
    case_id = serializers.IntegerField()
    subject = serializers.CharField()


def visit_data(visit: InspectionVisit) -> dict:
    return {
        "id": visit.pk, "number": visit.number, "kind": visit.kind, "center": visit.center.code,
        "visited_at": iso(visit.visited_at), "recorded_at": iso(visit.recorded_at),
        "inspector": visit.inspector.get_username(), "note": visit.shown_note,
        "findings": [{"id": f.pk, "window": f.window.number, "department": f.department.code if f.department_id else None,
                      "official": f.official.get_username() if f.official_id else None, "outcome": f.outcome,
                      "description": f.description, "case": f.case_number or None}
                     for f in visit.findings.all()],
    }


class FindingInput(serializers.Serializer):
    window = Text(max_length=16)
    outcome = serializers.ChoiceField(choices=FindingOutcome.choices)
    description = Text(required=False, allow_blank=True, default="", max_length=5000)
    official = Text(required=False, allow_blank=True, default="", max_length=150,
                    help_text="username of the official concerned: one of a center within the inspector's reach "
                              "(a township's supervisor names his township's officials only; 400 otherwise)")


class VisitInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=VisitKind.choices)
    visited_at = serializers.DateTimeField()
    note = Text(required=False, allow_blank=True, default="", max_length=5000)
    findings = FindingInput(many=True)


class InspectionApi(ObjectApi):
    """A visit the caller may see (a 404 otherwise), as ``visit_data`` shows it."""

    output_serializer = VisitOutput

    def find(self, request, pk):
        return inspections.visit_for_user(request.user, pk)

    def show(self, request, visit):
        return visit_data(visit)


class InspectionListCreateApi(ObjectListApi, InspectionApi):
    """明查暗访: supervisors and the discipline office list the visits, a department head those
    with a finding at his department's windows, another official those with a finding naming
    him (only those findings, without the visit's note); a supervisor records one."""

    operation_id = "inspections_list"
    query_parameters = [OpenApiParameter("kind", str, enum=list(VisitKind.values)),
                        OpenApiParameter("window", str, description="window number"),
                        OpenApiParameter("department", str, description="department code")]

    def rows(self, request):
        params = request.query_params
        qs = inspections.visits_visible_to(request.user, kind=params.get("kind", ""), window=params.get("window", ""),
                                           department=params.get("department", ""))
        return qs.order_by("-visited_at", "-id")

    def show_rows(self, request, rows):
        return [visit_data(v) for v in rows]

    @extend_schema(operation_id="inspections_create", request=VisitInput, responses={201: VisitOutput})
    @idempotent
    def post(self, request):
        data = VisitInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        visit = inspections.inspection_record(
            actor=request.user, kind=v["kind"], visited_at=v["visited_at"], note=v["note"],
            findings=[inspections.FindingData(**f) for f in v["findings"]])
        return Response(visit_data(inspections.visit_for_user(request.user, visit.pk)), status=status.HTTP_201_CREATED)


class InspectionDetailApi(ObjectDetailApi, InspectionApi):
    operation_id = "inspection_retrieve"


class OpenCaseInput(serializers.Serializer):
    summary = Text(required=False, allow_blank=True, default="", max_length=5000)
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.ORDINARY)


class FindingOpenCaseApi(APIView):
    """A problem found on a visit opens an accountability case (once per finding)."""

    @extend_schema(operation_id="inspection_finding_open_case", request=OpenCaseInput,
                   responses={201: FindingCaseOutput})
    def post(self, request, pk: int):
        finding = inspections.finding_for_user(request.user, pk)
        data = OpenCaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        case = inspections.inspection_finding_open_case(actor=request.user, finding_id=finding.pk, **data.validated_data)
        return Response({"finding": finding.pk, "case": case.number, "case_id": case.pk,
                         "subject": case.subject.get_username()}, status=status.HTTP_201_CREATED)
