"""REST endpoints of electronic supervision (SPEC §6: ``GET /api/stats/departments/``)."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.organisation.models import StaffProfile
from supervision import permissions
from complaints.selectors import substantiated_about
from accountability.models import AccountabilityCase
from portal.api.timestamps import iso
from supervision.history import official_history
from supervision.stats import Supervision, dashboard_departments, period_from
from supervision.targets import TARGETS, TargetAssessor


PERIOD_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first day (default: 29 days before `to`)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last day, included (default: today)"),
]


# What the functions below render, for the schema (tests/api checks every answer against it).


class AlertCountsOutput(serializers.Serializer):
    yellow = serializers.IntegerField()
    red = serializers.IntegerField()


class FiguresOutput(serializers.Serializer):
    """supervision.stats.Figures.as_dict: rates are fractions (0…1), None without a base."""

    decided = serializers.IntegerField()
    on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    onsite = serializers.IntegerField()
    onsite_rate = serializers.FloatField(allow_null=True)
    overdue_open = serializers.IntegerField()
    deemed_approvals = serializers.IntegerField()
    average_working_days = serializers.FloatField(allow_null=True)
    average_committed_days = serializers.FloatField(allow_null=True)
    evaluations = serializers.IntegerField(allow_null=True)
    satisfaction_rate = serializers.FloatField(allow_null=True)
    complaints_substantiated = serializers.IntegerField(allow_null=True)
    commitment_breaches = serializers.IntegerField(
        allow_null=True, help_text="服务承诺制: substantiated complaints naming the service commitment broken "
                                   "(counted in complaints_substantiated too); null in trend rows")
    cases_opened = serializers.IntegerField(allow_null=True, help_text="绩效考评: accountability cases opened")
    sanctions = serializers.IntegerField(allow_null=True, help_text="绩效考评: sanctions decided")
    assessment_score = serializers.IntegerField(
        allow_null=True, help_text="绩效考评得分: 100 less the weights of the cases opened, sanctions decided "
                                   "and commitment breaches (settings.ASSESSMENT_WEIGHTS); null in trend rows")
    alerts = AlertCountsOutput()


class DepartmentFiguresOutput(FiguresOutput):
    department = serializers.CharField()
    name = serializers.CharField()
    targets = serializers.DictField(child=serializers.FloatField(), help_text="figure → minimum (0…1)")
    below_target = serializers.ListField(child=serializers.ChoiceField(choices=list(TARGETS)))


class OfficialFiguresOutput(FiguresOutput):
    official = serializers.CharField(help_text="username")
    name = serializers.CharField()
    badge = serializers.CharField()
    department = serializers.CharField()


class TrendFiguresOutput(FiguresOutput):
    start = serializers.DateField(help_text="first day of the bucket")


BUCKETS = ["day", "week", "month"]


def _with_period(cls):
    """``from`` and ``to`` first (``from`` is a Python keyword, so not a class attribute)."""
    cls._declared_fields = {"from": serializers.DateField(), "to": serializers.DateField(),
                            **cls._declared_fields}
    return cls


@_with_period
class DepartmentStatsOutput(serializers.Serializer):
    bucket = serializers.ChoiceField(choices=BUCKETS)
    results = DepartmentFiguresOutput(many=True)


@_with_period
class DepartmentStatsDetailOutput(DepartmentFiguresOutput):
    bucket = serializers.ChoiceField(choices=BUCKETS)
    trend = TrendFiguresOutput(many=True)
    officials = OfficialFiguresOutput(many=True)


@_with_period
class OfficialStatsOutput(serializers.Serializer):
    results = OfficialFiguresOutput(many=True)


class MonthRecordOutput(serializers.Serializer):
    """One month of supervision.history.official_history."""

    month = serializers.CharField(help_text="YYYY-MM")
    decided = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)
    cases_opened = serializers.IntegerField()
    sanctions = serializers.IntegerField()
    complaints_substantiated = serializers.IntegerField()
    evaluations = serializers.IntegerField()
    satisfaction_rate = serializers.FloatField(allow_null=True)


class OfficialCaseOutput(serializers.Serializer):
    number = serializers.CharField()
    source = serializers.CharField()
    status = serializers.CharField()
    sanction = serializers.CharField(allow_null=True)
    severity = serializers.CharField(allow_blank=True)
    opened_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    appeal_open = serializers.BooleanField()


class SubstantiatedComplaintOutput(serializers.Serializer):
    number = serializers.CharField()
    category = serializers.CharField()
    finding = serializers.CharField()
    concluded_at = serializers.DateTimeField(allow_null=True)
    case = serializers.CharField(allow_null=True, help_text="number of the case it opened")


@_with_period
class OfficialStatsDetailOutput(OfficialFiguresOutput):
    bucket = serializers.ChoiceField(choices=BUCKETS)
    trend = TrendFiguresOutput(many=True)
    history = MonthRecordOutput(many=True, help_text="the last twelve months, oldest first")
    cases = OfficialCaseOutput(many=True)
    complaints_substantiated_list = SubstantiatedComplaintOutput(many=True)


def stats_schema(operation_id: str, output, parameters=()):
    return extend_schema(operation_id=operation_id, parameters=[*PERIOD_PARAMETERS, *parameters],
                         responses={200: output})


def _period(request):
    return period_from(request.query_params, today=timezone.localdate())


def _envelope(period, **rest) -> dict:
    return {"from": period.first.isoformat(), "to": period.last.isoformat(), **rest}


def department_rows(supervision: Supervision, departments) -> list[dict]:
    """Each department's figures beside its center's targets (考核目标) and those below them."""
    figures = supervision.by_department()
    assess = TargetAssessor()
    return [{"department": d.code, "name": d.name, **assess(d, figures[d.pk].as_dict())} for d in departments]


def official_rows(supervision: Supervision) -> list[dict]:
    """Every official with figures in the period: a chief representative at the window
    counts in the department whose stages he decided."""
    figures = supervision.by_official()
    profiles = StaffProfile.objects.select_related("user", "department").filter(user_id__in=list(figures))
    return [{"official": p.user.get_username(), "name": p.display_name, "badge": p.badge,
             "department": p.department.code, **figures[p.user_id].as_dict(ratings=False)}
            for p in sorted(profiles, key=lambda p: (p.department.code, p.badge))]


def trend_rows(supervision: Supervision, *, ratings: bool = True) -> list[dict]:
    return [{"start": start.isoformat(), **figures.as_dict(ratings=ratings, complaints=False)}
            for start, figures in supervision.trend()]


class DepartmentStatsApi(APIView):
    """Per department: on-time and on-site rates, open overdue stages, deemed approvals,
    working days used against the committed limit, satisfaction, substantiated
    complaints (属实, wholly or partly), accountability cases opened and sanctions decided
    (绩效考评) and alerts, for the days ``from``…``to``. The serving departments, and any
    other with a substantiated complaint or a case in the period."""

    @stats_schema("stats_departments_list", DepartmentStatsOutput)
    def get(self, request):
        scope = permissions.reader_scope(request.user)
        period = _period(request)
        supervision = Supervision(period, department_id=scope)
        departments = dashboard_departments(supervision)
        departments = [d for d in departments if permissions.in_scope(scope, d.pk)]
        return Response(_envelope(period, bucket=period.bucket,
                                  results=department_rows(supervision, departments)))


class DepartmentStatsDetailApi(APIView):
    @stats_schema("stats_department_retrieve", DepartmentStatsDetailOutput)
    def get(self, request, code: str):
        department = permissions.department_for_reader(request.user, code)
        period = _period(request)
        supervision = Supervision(period, department_id=department.pk)
        row = department_rows(supervision, [department])[0]
        return Response(_envelope(
            period, **row, bucket=period.bucket, trend=trend_rows(supervision),
            officials=official_rows(supervision),
        ))


class OfficialStatsApi(APIView):
    """Per official (by username): the same figures for the stages he claimed."""

    @stats_schema("stats_officials_list", OfficialStatsOutput,
                  [OpenApiParameter("department", str, description="department code")])
    def get(self, request):
        scope = permissions.reader_scope(request.user)
        period = _period(request)
        department_code = request.query_params.get("department")
        department_id = scope
        if department_code:
            department_id = permissions.department_for_reader(request.user, department_code).pk
        supervision = Supervision(period, department_id=department_id)
        return Response(_envelope(period, results=official_rows(supervision)))


class OfficialStatsDetailApi(APIView):
    """One official's figures for the period, and his record over the last twelve months
    (``history``: decisions, cases, sanctions, substantiated complaints and ratings per
    month), his accountability cases and the substantiated complaints about him."""

    @stats_schema("stats_official_retrieve", OfficialStatsDetailOutput)
    def get(self, request, username: str):
        official = permissions.official_for_reader(request.user, username)
        period = _period(request)
        supervision = Supervision(period, official_id=official.pk,
                                  department_id=permissions.reader_scope(request.user))
        profile = official.staff_profile
        figures = supervision.total().as_dict(ratings=False)
        return Response(_envelope(
            period, official=official.get_username(), name=profile.display_name, badge=profile.badge,
            department=profile.department.code, **figures, bucket=period.bucket,
            trend=trend_rows(supervision, ratings=False),
            history=official_history(official),
            cases=[{"number": c.number, "source": c.source, "status": c.status, "sanction": c.sanction or None,
                    "severity": c.severity, "opened_at": iso(c.opened_at), "decided_at": iso(c.decided_at),
                    "appeal_open": c.appeal_open}
                   for c in AccountabilityCase.objects.filter(subject=official).order_by("-opened_at", "-id")[:50]],
            complaints_substantiated_list=[
                {"number": c.number, "category": c.category, "finding": c.finding,
                 "concluded_at": iso(c.concluded_at), "case": c.case_number or None}
                for c in substantiated_about(official)[:50]],
        ))
