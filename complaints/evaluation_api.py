"""REST endpoints of 好差评 (SPEC §6 Evaluations): the applicant's rating, the unit's
follow-ups and appeals, the supervisor's strike, and the published summary."""

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import permissions as application_permissions
from approvals.api import iso
from complaints import evaluations, permissions, selectors
from complaints.limits import rating_closes_at
from complaints.models import Evaluation, FollowUp, FollowUpAction
from portal.errors import ValidationFailed


def follow_up_output(follow_up: FollowUp) -> dict:
    return {
        "id": follow_up.pk,
        "evaluation": follow_up.evaluation_id,
        "application_number": follow_up.evaluation.application.number,
        "department": follow_up.department.code,
        "status": follow_up.status,
        "opened_at": iso(follow_up.opened_at),
        "due_at": iso(follow_up.due_at),
        "overdue": follow_up.overdue,
        "action": follow_up.action or None,
        "note": follow_up.note or None,
        "done_at": iso(follow_up.done_at),
    }


def evaluation_output(evaluation: Evaluation) -> dict:
    follow_up = getattr(evaluation, "follow_up", None)
    return {
        "id": evaluation.pk,
        "application": evaluation.application_id,
        "application_number": evaluation.application.number,
        "service": evaluation.service.code,
        "department": evaluation.department.code,
        "window": evaluation.window.number if evaluation.window_id else None,
        "score": evaluation.score,
        "level": evaluation.get_score_display(),
        "comment": evaluation.comment,
        "source": evaluation.source,
        "rated_at": iso(evaluation.rated_at),
        "appeal": {"status": evaluation.appeal_status, "grounds": evaluation.appeal_grounds,
                   "at": iso(evaluation.appealed_at)} if evaluation.appeal_status else None,
        "struck": evaluation.struck,
        "decision_reason": evaluation.decision_reason or None,
        "follow_up": follow_up_output(follow_up) if follow_up is not None else None,
    }


class ApplicationEvaluationApi(APIView):
    """POST: the applicant rates his decided application (once, within 7 days).
    GET: its rating, or when rating closes if it has none yet."""

    class EvaluationInput(serializers.Serializer):
        score = serializers.IntegerField(min_value=1, max_value=5)
        comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=2000)

    @extend_schema(request=EvaluationInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        application = application_permissions.application_for_user(request.user, pk)
        data = self.EvaluationInput(data=request.data)
        data.is_valid(raise_exception=True)
        evaluation = evaluations.evaluation_submit(actor=request.user, application_id=application.pk,
                                                   **data.validated_data)
        return Response(evaluation_output(evaluation), status=status.HTTP_201_CREATED)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        application = application_permissions.application_for_user(request.user, pk)
        evaluation = Evaluation.objects.filter(application=application).select_related(
            "application", "service", "department", "window").first()
        if evaluation is None:
            return Response({"evaluation": None, "closes_at": iso(rating_closes_at(application.decided_at))
                             if application.decided_at else None})
        return Response({"evaluation": evaluation_output(evaluation), "closes_at": None})


def _date_param(request, name: str) -> date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(fields={name: ["Use YYYY-MM-DD."]}) from None


class SummaryApi(APIView):
    """Published ratings (公开): per item and per window, optionally between two dates."""

    permission_classes = [AllowAny]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(selectors.ratings_summary(since=_date_param(request, "from"),
                                                  until=_date_param(request, "to")))


class EvaluationListApi(APIView):
    @extend_schema(operation_id="evaluations_list", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        qs = permissions.evaluations_visible_to(request.user).select_related(
            "application", "service", "department", "window", "follow_up")
        if request.query_params.get("bad") in ("1", "true"):
            qs = qs.filter(score__lte=2)
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(qs.order_by("-rated_at", "-id"), request, view=self)
        return paginator.get_paginated_response([evaluation_output(e) for e in page])


class EvaluationDetailApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        return Response(evaluation_output(permissions.evaluation_for_user(request.user, pk)))


class EvaluationReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class EvaluationActionApi(APIView):
    """Base of POST /api/evaluations/{id}/<action>/: visibility (404), then the service."""

    input_class = EvaluationReasonInput

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        evaluation = permissions.evaluation_for_user(request.user, pk)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        self.act(request.user, evaluation, data.validated_data)
        return Response(evaluation_output(permissions.evaluation_for_user(request.user, pk)))


class AppealApi(EvaluationActionApi):
    class EvaluationAppealInput(serializers.Serializer):
        grounds = serializers.CharField(allow_blank=True, required=False, default="")

    input_class = EvaluationAppealInput

    @extend_schema(request=EvaluationAppealInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, user, evaluation, data):
        evaluations.evaluation_appeal(actor=user, evaluation_id=evaluation.pk, grounds=data["grounds"])


class StrikeApi(EvaluationActionApi):
    @extend_schema(request=EvaluationReasonInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, user, evaluation, data):
        evaluations.evaluation_strike(actor=user, evaluation_id=evaluation.pk, reason=data["reason"])


class DismissAppealApi(EvaluationActionApi):
    @extend_schema(request=EvaluationReasonInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, user, evaluation, data):
        evaluations.evaluation_appeal_dismiss(actor=user, evaluation_id=evaluation.pk, reason=data["reason"])


class FollowUpListApi(APIView):
    """The unit's open follow-ups of bad ratings, due soonest first (all units for a supervisor)."""

    @extend_schema(operation_id="evaluations_follow_ups_list", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        qs = permissions.follow_ups_visible_to(request.user)
        qs = selectors.open_follow_ups(qs) if request.query_params.get("status", "open") == "open" else \
            qs.select_related("evaluation__application", "department").order_by("-due_at", "-id")
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([follow_up_output(f) for f in page])


class FollowUpCompleteApi(APIView):
    class FollowUpCompleteInput(serializers.Serializer):
        action = serializers.ChoiceField(choices=FollowUpAction.choices)
        note = serializers.CharField(allow_blank=True, required=False, default="")

    @extend_schema(request=FollowUpCompleteInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        follow_up = permissions.follow_up_for_user(request.user, pk)
        data = self.FollowUpCompleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        evaluations.follow_up_complete(actor=request.user, follow_up_id=follow_up.pk, **data.validated_data)
        return Response(follow_up_output(permissions.follow_up_for_user(request.user, pk)))

