"""REST endpoints of 好差评 (SPEC §6 Evaluations): the applicant's rating, the unit's
follow-ups and appeals, the supervisor's strike, and the published summary."""

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from portal.api.idempotency import idempotent
from portal.validation import Text
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import permissions as application_permissions
from complaints import evaluations, permissions, selectors
from complaints.limits import rating_closes_at
from complaints.models import Evaluation, FollowUp, FollowUpAction
from portal.api.actions import ObjectActionApi
from portal.api.objects import ObjectApi, ObjectDetailApi, ObjectListApi
from portal.api.timestamps import iso
from portal.errors import ValidationFailed


# What follow_up_output and evaluation_output render, for the schema (tests/api checks
# every answer against it).


class FollowUpOutput(serializers.Serializer):
    id = serializers.IntegerField()
    evaluation = serializers.IntegerField()
    application_number = serializers.CharField(allow_null=True)
    department = serializers.CharField()
    status = serializers.CharField()
    opened_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    action = serializers.CharField(allow_null=True)
    note = serializers.CharField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)


class EvaluationAppealOutput(serializers.Serializer):
    status = serializers.CharField()
    grounds = serializers.CharField(allow_blank=True)
    at = serializers.DateTimeField(allow_null=True)


class EvaluationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField()
    application_number = serializers.CharField(allow_null=True)
    service = serializers.CharField()
    department = serializers.CharField()
    window = serializers.CharField(allow_null=True)
    score = serializers.IntegerField(min_value=1, max_value=5)
    level = serializers.CharField()
    comment = serializers.CharField(allow_blank=True)
    source = serializers.CharField()
    rated_at = serializers.DateTimeField()
    appeal = EvaluationAppealOutput(allow_null=True)
    struck = serializers.BooleanField()
    decision_reason = serializers.CharField(allow_null=True)
    follow_up = FollowUpOutput(allow_null=True)


class ApplicationEvaluationOutput(serializers.Serializer):
    evaluation = EvaluationOutput(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True, help_text="when rating closes, while there is none")


class RatingFiguresOutput(serializers.Serializer):
    count = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True)
    levels = serializers.DictField(child=serializers.IntegerField(), help_text="score (1…5) → ratings")
    satisfaction_rate = serializers.FloatField(allow_null=True)


class ItemRatingsOutput(RatingFiguresOutput):
    service = serializers.CharField()
    name = serializers.CharField()


class WindowRatingsOutput(RatingFiguresOutput):
    id = serializers.IntegerField()
    window = serializers.CharField()
    name = serializers.CharField(allow_blank=True)


class RatingsSummaryOutput(serializers.Serializer):
    # "from" is a Python keyword: declared below.
    to = serializers.DateField(allow_null=True)
    items = ItemRatingsOutput(many=True)
    windows = WindowRatingsOutput(many=True)


RatingsSummaryOutput._declared_fields = {"from": serializers.DateField(allow_null=True),
                                         **RatingsSummaryOutput._declared_fields}

DATE_PARAMETERS = [OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE)]


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
        comment = Text(allow_blank=True, required=False, default="", max_length=2000)

    @extend_schema(request=EvaluationInput, responses={201: EvaluationOutput})
    @idempotent
    def post(self, request, pk: int):
        application = application_permissions.application_for_user(request.user, pk)
        data = self.EvaluationInput(data=request.data)
        data.is_valid(raise_exception=True)
        evaluation = evaluations.evaluation_submit(actor=request.user, application_id=application.pk,
                                                   **data.validated_data)
        return Response(evaluation_output(evaluation), status=status.HTTP_201_CREATED)

    @extend_schema(responses=ApplicationEvaluationOutput)
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

    @extend_schema(parameters=DATE_PARAMETERS, responses=RatingsSummaryOutput)
    def get(self, request):
        return Response(selectors.ratings_summary(since=_date_param(request, "from"),
                                                  until=_date_param(request, "to")))


class EvaluationApi(ObjectApi):
    """A rating the caller may see (a 404 otherwise), as ``evaluation_output`` shows it."""

    output_serializer = EvaluationOutput

    def find(self, request, pk):
        return permissions.evaluation_for_user(request.user, pk)

    def show(self, request, evaluation):
        return evaluation_output(evaluation)


class EvaluationListApi(ObjectListApi, EvaluationApi):
    operation_id = "evaluations_list"
    query_parameters = [OpenApiParameter("bad", str, enum=["1", "true"], description="only the bad ratings (1 and 2)")]

    def rows(self, request):
        qs = permissions.evaluations_visible_to(request.user).select_related(
            "application", "service", "department", "window", "follow_up")
        if request.query_params.get("bad") in ("1", "true"):
            qs = qs.filter(score__lte=2)
        return qs.order_by("-rated_at", "-id")

    def show_rows(self, request, rows):
        return [evaluation_output(e) for e in rows]


class EvaluationDetailApi(ObjectDetailApi, EvaluationApi):
    pass


class EvaluationReasonInput(serializers.Serializer):
    reason = Text(allow_blank=True)


class EvaluationActionApi(ObjectActionApi, EvaluationApi):
    """Base of POST /api/evaluations/{id}/<action>/: visibility (404), then the service."""

    serializer_class = EvaluationReasonInput


class AppealApi(EvaluationActionApi):
    class EvaluationAppealInput(serializers.Serializer):
        grounds = Text(allow_blank=True)

    serializer_class = EvaluationAppealInput

    def act(self, request, evaluation, data):
        evaluations.evaluation_appeal(actor=request.user, evaluation_id=evaluation.pk, grounds=data["grounds"])


class StrikeApi(EvaluationActionApi):
    def act(self, request, evaluation, data):
        evaluations.evaluation_strike(actor=request.user, evaluation_id=evaluation.pk, reason=data["reason"])


class DismissAppealApi(EvaluationActionApi):
    def act(self, request, evaluation, data):
        evaluations.evaluation_appeal_dismiss(actor=request.user, evaluation_id=evaluation.pk,
                                              reason=data["reason"])


class FollowUpApi(ObjectApi):
    """A follow-up the caller may see (a 404 otherwise), as ``follow_up_output`` shows it."""

    output_serializer = FollowUpOutput

    def find(self, request, pk):
        return permissions.follow_up_for_user(request.user, pk)

    def show(self, request, follow_up):
        return follow_up_output(follow_up)


class FollowUpListApi(ObjectListApi, FollowUpApi):
    """The unit's open follow-ups of bad ratings, due soonest first (all units for a supervisor)."""

    operation_id = "evaluations_follow_ups_list"
    query_parameters = [OpenApiParameter("status", str, description="`open` (default) or anything else for all")]

    def rows(self, request):
        qs = permissions.follow_ups_visible_to(request.user)
        return selectors.open_follow_ups(qs) if request.query_params.get("status", "open") == "open" else \
            qs.select_related("evaluation__application", "department").order_by("-due_at", "-id")

    def show_rows(self, request, rows):
        return [follow_up_output(f) for f in rows]


class FollowUpCompleteApi(ObjectActionApi, FollowUpApi):
    class FollowUpCompleteInput(serializers.Serializer):
        action = serializers.ChoiceField(choices=FollowUpAction.choices)
        note = Text(allow_blank=True)

    serializer_class = FollowUpCompleteInput

    def act(self, request, follow_up, data):
        evaluations.follow_up_complete(actor=request.user, follow_up_id=follow_up.pk, **data)

