"""REST endpoints of electronic supervision (SPEC §6: ``GET /api/stats/departments/``)."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.organisation.models import StaffProfile
from portal.supervision import permissions
from portal.supervision.stats import Supervision, period_from, serving_departments


PERIOD_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first day (default: 29 days before `to`)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last day, included (default: today)"),
]


def stats_schema(operation_id: str):
    return extend_schema(operation_id=operation_id, parameters=PERIOD_PARAMETERS,
                         responses={200: OpenApiTypes.OBJECT})


def _period(request):
    return period_from(request.query_params, today=timezone.localdate())


def _envelope(period, **rest) -> dict:
    return {"from": period.first.isoformat(), "to": period.last.isoformat(), **rest}


def department_rows(supervision: Supervision, departments) -> list[dict]:
    figures = supervision.by_department()
    return [{"department": d.code, "name": d.name, **figures[d.pk].as_dict()} for d in departments]


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
    complaints and alerts, for the days ``from``…``to``."""

    @stats_schema("stats_departments_list")
    def get(self, request):
        scope = permissions.reader_scope(request.user)
        period = _period(request)
        departments = serving_departments()
        if scope is not None:
            departments = departments.filter(pk=scope)
        supervision = Supervision(period, department_id=scope)
        return Response(_envelope(period, bucket=period.bucket,
                                  results=department_rows(supervision, departments)))


class DepartmentStatsDetailApi(APIView):
    @stats_schema("stats_department_retrieve")
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

    @stats_schema("stats_officials_list")
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
    @stats_schema("stats_official_retrieve")
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
        ))
