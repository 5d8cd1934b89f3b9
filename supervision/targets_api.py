"""REST endpoints of the service targets (考核目标) and the monthly report (考核月报)."""

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.organisation.models import ServiceCenter
from supervision import permissions
from supervision.report import month_from, monthly_report, report_csv, report_pdf
from supervision.targets import TARGETS, default_targets, targets_by_center, targets_set


class TargetsOutput(serializers.Serializer):
    center = serializers.CharField()
    name = serializers.CharField()
    onsite_rate = serializers.FloatField(help_text="现场办结率 at least (0…1)")
    on_time_rate = serializers.FloatField(help_text="按时办结率 at least (0…1)")
    satisfaction_rate = serializers.FloatField(help_text="群众评价满意率 at least (0…1)")


class TargetsInput(serializers.Serializer):
    onsite_rate = serializers.DecimalField(max_digits=4, decimal_places=3, min_value=0, max_value=1, required=False)
    on_time_rate = serializers.DecimalField(max_digits=4, decimal_places=3, min_value=0, max_value=1, required=False)
    satisfaction_rate = serializers.DecimalField(max_digits=4, decimal_places=3, min_value=0, max_value=1,
                                                 required=False)


def _targets_of(center: ServiceCenter, by_center: dict) -> dict:
    return {"center": center.code, "name": center.name, **(by_center.get(center.pk) or default_targets())}


class TargetsListApi(APIView):
    """考核目标 of every center (public: they are published beside the figures)."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="stats_targets_list", responses={200: TargetsOutput(many=True)})
    def get(self, request):
        by_center = targets_by_center()
        return Response(TargetsOutput([_targets_of(c, by_center) for c in ServiceCenter.objects.order_by("code")],
                                      many=True).data)


class TargetsDetailApi(APIView):
    @extend_schema(operation_id="stats_targets_update", request=TargetsInput, responses={200: TargetsOutput})
    def put(self, request, code: str):
        data = TargetsInput(data=request.data)
        data.is_valid(raise_exception=True)
        targets = targets_set(actor=request.user, center_code=code, **data.validated_data)
        return Response(TargetsOutput(_targets_of(targets.center, targets_by_center())).data)


class ReportRowOutput(serializers.Serializer):
    department = serializers.CharField(source="department.code")
    name = serializers.CharField(source="department.name")
    decided = serializers.IntegerField()
    onsite_rate = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)
    satisfaction_rate = serializers.FloatField(allow_null=True)
    complaints_substantiated = serializers.IntegerField(help_text="属实投诉 concluded in the month")
    commitment_breaches = serializers.IntegerField(help_text="服务承诺制: of those, the ones naming the service "
                                                             "commitment broken")
    cases_opened = serializers.IntegerField(help_text="绩效考评: accountability cases opened in the month")
    sanctions = serializers.IntegerField(help_text="绩效考评: sanctions decided in the month")
    assessment_score = serializers.IntegerField(help_text="绩效考评得分 of the month: 100 less the weights of "
                                                          "the cases, sanctions and commitment breaches")
    targets = serializers.DictField(child=serializers.FloatField())
    below_target = serializers.ListField(child=serializers.ChoiceField(choices=list(TARGETS)))


class MonthlyReportOutput(serializers.Serializer):
    month = serializers.CharField(source="label")
    first = serializers.DateField(source="period.first")
    last = serializers.DateField(source="period.last")
    departments = ReportRowOutput(source="rows", many=True)
    below_target = serializers.SerializerMethodField(help_text="codes of the departments below a target")

    def get_below_target(self, obj) -> list[str]:
        return [r["department"].code for r in obj.below]


MONTH = OpenApiParameter("month", str, description="YYYY-MM (default: the last full month)")


def _report(request):
    scope = permissions.reader_scope(request.user)
    return monthly_report(month_from(request.query_params.get("month"), today=timezone.localdate()),
                          department_id=scope)


class MonthlyReportApi(APIView):
    """考核月报: every department's figures of a month beside the targets; those below are listed."""

    @extend_schema(operation_id="stats_monthly_report", parameters=[MONTH], responses={200: MonthlyReportOutput})
    def get(self, request):
        return Response(MonthlyReportOutput(_report(request)).data)


def _download(content, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class MonthlyReportCsvApi(APIView):
    @extend_schema(operation_id="stats_monthly_report_csv", parameters=[MONTH],
                   responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV")})
    def get(self, request):
        report = _report(request)
        return _download(report_csv(report), "text/csv; charset=utf-8", f"monthly-report-{report.label}.csv")


class MonthlyReportPdfApi(APIView):
    @extend_schema(operation_id="stats_monthly_report_pdf", parameters=[MONTH],
                   responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF")})
    def get(self, request):
        report = _report(request)
        return _download(report_pdf(report), "application/pdf", f"monthly-report-{report.label}.pdf")
