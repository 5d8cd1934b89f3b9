"""REST endpoints of 中介服务 on applications (new, beside SPEC §6): order an intermediary service
the catalogue publishes for the item, and record its completion."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import intermediaries, permissions
from approvals.api import ApplicationActionApi, IntermediaryStageOutput
from approvals.models import IntermediaryStage
from portal.catalogue.models import IntermediaryKind
from portal.api.actions import ObjectActionApi
from portal.errors import NotFound, PermissionDenied
from portal.organisation import roles
from portal.validation import Text


class IntermediaryStartInput(serializers.Serializer):
    service = Text(multiline=False, max_length=32, help_text="intermediary service code (中介服务)")


class IntermediaryStartApi(ApplicationActionApi):
    """POST /api/applications/{id}/intermediary/: a reviewer or head of a department reviewing the
    application (or a supervisor) orders an intermediary service published for the item (400
    ``not_for_this_item`` otherwise). The application is suspended (kind ``intermediary``): its
    and the departments' clocks stand still while the intermediary's own clock runs."""

    serializer_class = IntermediaryStartInput

    def act(self, request, application, data):
        intermediaries.intermediary_start(actor=request.user, application_id=application.pk,
                                          service_code=data["service"])


class IntermediaryCompleteInput(serializers.Serializer):
    report = Text(required=False, allow_blank=True, default="", max_length=2000)


class IntermediaryCompleteApi(ObjectActionApi):
    """POST /api/intermediary-stages/{id}/complete/: the intermediary's report is in (the ordering
    department or the window records it); its working days are recorded, and whether it passed
    its own limit, and the departments' clocks run again with the days they had left."""

    serializer_class = IntermediaryCompleteInput
    output_serializer = IntermediaryStageOutput

    def find(self, request, pk):
        stage = IntermediaryStage.objects.select_related("service").filter(pk=pk).first()
        if stage is None or not permissions.applications_visible_to(request.user).filter(
                pk=stage.application_id).exists():
            raise NotFound()
        return stage

    def act(self, request, stage, data):
        intermediaries.intermediary_complete(actor=request.user, intermediary_id=stage.pk, report=data["report"])

    def show(self, request, stage):
        return intermediaries.intermediary_output(stage)


class IntermediaryStageListApi(APIView):
    """GET /api/intermediary-stages/: the intermediary services on the applications the caller may
    see, soonest due first (200 at most); ``status`` (running | completed | cancelled) and
    ``overdue=true`` (running past, or completed after, their own limit) filter them."""

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=["running", "completed", "cancelled"]),
                               OpenApiParameter("overdue", bool)],
                   responses=IntermediaryStageOutput(many=True))
    def get(self, request):
        overdue = request.query_params.get("overdue", "").lower() in ("1", "true", "yes")
        status = request.query_params.get("status") or None  # an unknown status matches nothing
        return Response([intermediaries.intermediary_output(s) for s in intermediaries.intermediary_stages_visible_to(
            request.user, status=status, overdue=overdue or None)[:200]])


class IntermediaryFiguresOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=IntermediaryKind.choices)
    provider = serializers.CharField()
    days = serializers.IntegerField()
    ordered = serializers.IntegerField()
    running = serializers.IntegerField()
    completed = serializers.IntegerField()
    late = serializers.IntegerField(help_text="running past, or completed after, its own limit")
    average_working_days = serializers.FloatField(allow_null=True)


class IntermediaryFiguresApi(APIView):
    """GET /api/intermediary-services/figures/ (电子监察 of 中介服务): per intermediary service, how
    often it was ordered, how many run, how many passed their own limit, and the working days
    taken on average. Supervisors and the discipline office; others get 403."""

    @extend_schema(responses=IntermediaryFiguresOutput(many=True))
    def get(self, request):
        if not roles.oversees(request.user):
            raise PermissionDenied()
        return Response(intermediaries.intermediary_figures(request.user))
