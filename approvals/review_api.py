"""REST endpoints of review (SPEC §6: stages, suspend/resume/extend, alerts, register)."""

from django.db.models import Q
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import permissions, review, selectors
from approvals.api import ApplicationActionApi, StageOutput, iso
from approvals.models import AlertRecord, Stage
from portal.api.actions import ObjectActionApi
from portal.organisation import roles


class ItemInput(serializers.Serializer):
    material = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)


def stage_detail(stage: Stage) -> dict:
    data = StageOutput(stage).data
    data.update({
        "application": stage.application_id,
        "application_number": stage.application.number,
        "days": stage.days,
        "alert": stage.alert,
        "opinion": stage.opinion,
        "decided_at": iso(stage.decided_at),
        "remaining_days_frozen": stage.remaining_days_frozen,
    })
    return data


class StageListApi(APIView):
    """A department's stage queue, sorted by due time (the reviewer's page uses the same selector)."""

    def get(self, request):
        qs = selectors.stage_queue(request.user, status=request.query_params.get("status"),
                                   department=request.query_params.get("department"))
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([stage_detail(s) for s in page])


class StageDetailApi(APIView):
    def get(self, request, pk: int):
        return Response(stage_detail(permissions.stage_for_user(request.user, pk)))


class StageActionApi(ObjectActionApi):
    """POST …/stages/{id}/<action>/: a stage outside the caller's department is a 404."""

    def find(self, request, pk):
        return permissions.stage_for_user(request.user, pk)

    def show(self, request, stage):
        return stage_detail(stage)


class StageClaimApi(StageActionApi):
    def act(self, request, stage, data):
        review.stage_claim(actor=request.user, stage_id=stage.pk)


class StageApproveApi(StageActionApi):
    class StageApproveInput(serializers.Serializer):
        opinion = serializers.CharField(required=False, allow_blank=True, default="")

    serializer_class = StageApproveInput

    def act(self, request, stage, data):
        review.stage_approve(actor=request.user, stage_id=stage.pk, opinion=data["opinion"])


class StageDenyApi(StageActionApi):
    class StageDenyInput(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    serializer_class = StageDenyInput

    def act(self, request, stage, data):
        review.stage_deny(actor=request.user, stage_id=stage.pk, reason=data["reason"])


class StageRequestCorrectionApi(StageActionApi):
    class StageCorrectionInput(serializers.Serializer):
        items = ItemInput(many=True)
        note = serializers.CharField(required=False, allow_blank=True, default="")

    serializer_class = StageCorrectionInput

    def act(self, request, stage, data):
        review.stage_request_correction(actor=request.user, stage_id=stage.pk,
                                        items=[dict(i) for i in data["items"]], note=data["note"])


class SuspendApi(ApplicationActionApi):
    class Input(serializers.Serializer):
        reason = serializers.CharField()
        note = serializers.CharField(required=False, allow_blank=True, default="")
        expected_working_days = serializers.IntegerField(required=False, min_value=1, allow_null=True, default=None)

    def act(self, request, application):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        review.application_suspend(actor=request.user, application_id=application.pk,
                                   reason=data.validated_data["reason"], note=data.validated_data["note"],
                                   expected_days=data.validated_data["expected_working_days"])


class ResumeApi(ApplicationActionApi):
    def act(self, request, application):
        review.application_resume(actor=request.user, application_id=application.pk)


class ExtendApi(ApplicationActionApi):
    class Input(serializers.Serializer):
        working_days = serializers.IntegerField()
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    def act(self, request, application):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        review.application_extend(actor=request.user, application_id=application.pk, **data.validated_data)


class DecideOnSiteApi(ApplicationActionApi):
    def act(self, request, application):
        review.application_decide_on_site(actor=request.user, application_id=application.pk,
                                          opinion=str(request.data.get("opinion", "")))


class HandOverApi(ApplicationActionApi):
    def act(self, request, application):
        review.application_hand_over(actor=request.user, application_id=application.pk)


class AlertListApi(APIView):
    """电子监察: alerts as records; staff see their department's, supervisors all."""

    def get(self, request):
        qs = AlertRecord.objects.select_related("application", "stage", "department", "assignee")
        user = request.user
        if not (user.is_superuser or roles.has_role(user, roles.SUPERVISOR)):
            department_id = permissions.staff_department_id(user)
            if department_id is None:
                qs = qs.none()
            elif roles.has_role(user, roles.DEPARTMENT_HEAD):
                qs = qs.filter(department_id=department_id)
            else:
                qs = qs.filter(Q(department_id=department_id, assignee__isnull=True) | Q(assignee=user))
        level = request.query_params.get("level")
        if level:
            qs = qs.filter(level=level)
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(qs.order_by("-raised_at", "-id"), request, view=self)
        return paginator.get_paginated_response([{
            "id": a.pk, "level": a.level, "application": a.application.number, "stage": a.stage_id,
            "department": a.department.code, "assignee": a.assignee.get_username() if a.assignee_id else None,
            "raised_at": iso(a.raised_at), "due_at": iso(a.due_at),
        } for a in page])


class RegisterApi(APIView):
    """The public register of decisions, deemed approvals included (no personal data)."""

    permission_classes = [AllowAny]

    def get(self, request):
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(selectors.public_register(), request, view=self)
        return paginator.get_paginated_response([{
            "number": a.number, "service": a.service.code, "outcome": a.outcome,
            "decided_at": iso(a.decided_at), "certificate_number": a.certificate_number or None,
        } for a in page])
