"""REST endpoints of 项目经理制, 绿色通道 and 提前介入 (new, beside SPEC §6): the key projects
and each project's own view (its manager and the supervisors of its center), and the
pre-application consultation (预审) of a draft."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import permissions, projects
from approvals.api import ApplicationActionApi, IntermediaryStageOutput, PreReviewOutput, StageOutput
from portal.api.actions import ObjectActionApi
from portal.errors import NotFound
from portal.validation import Text
from projects.models import PreReview


class PersonOutput(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    badge = serializers.CharField(allow_null=True)


class KeyProjectOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    enterprise = serializers.CharField()
    center = serializers.CharField()
    manager = PersonOutput(help_text="项目经理")
    stage_days = serializers.IntegerField(help_text="绿色通道: the committed limit per stage (working days)")
    active = serializers.BooleanField()


class ProjectFiguresOutput(serializers.Serializer):
    applications = serializers.IntegerField()
    open = serializers.IntegerField()
    decided = serializers.IntegerField()
    red_alerts = serializers.IntegerField()
    overdue_stages = serializers.IntegerField()


class ProjectStageOutput(StageOutput):
    department_name = serializers.CharField()
    assignee_name = serializers.CharField(allow_null=True)
    days = serializers.IntegerField()
    alert = serializers.ChoiceField(choices=["none", "yellow", "red"])
    overdue = serializers.BooleanField()


class ProjectApplicationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    service = serializers.CharField()
    service_name = serializers.CharField()
    status = serializers.CharField()
    alert = serializers.ChoiceField(choices=["none", "yellow", "red"])
    accepted_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    green_channel_days = serializers.IntegerField(allow_null=True)
    stages = ProjectStageOutput(many=True)
    pre_reviews = PreReviewOutput(many=True)
    intermediary_stages = IntermediaryStageOutput(many=True)


class KeyProjectDetailOutput(KeyProjectOutput):
    figures = ProjectFiguresOutput()
    applications = ProjectApplicationOutput(many=True)


class KeyProjectListApi(APIView):
    """GET /api/projects/: the key projects (重点项目) the caller may see — those he manages
    (项目经理), or, for a supervisor, those of his center and the centers below it."""

    @extend_schema(responses=KeyProjectOutput(many=True))
    def get(self, request):
        return Response([projects.project_summary(p) for p in projects.projects_visible_to(request.user)])


class KeyProjectDetailApi(APIView):
    """GET /api/projects/{code}/: the project's own view — every application of the project
    across departments, each stage with its (green-channel) due date, holder and alert, the
    pre-reviews, and the project's figures. Its manager and the supervisors of its center;
    anyone else gets 404."""

    @extend_schema(responses=KeyProjectDetailOutput)
    def get(self, request, code: str):
        return Response(projects.project_overview(projects.project_for_user(request.user, code)))


class PreReviewRequestInput(serializers.Serializer):
    question = Text(required=False, allow_blank=True, default="", max_length=2000)


class PreReviewRequestApi(ApplicationActionApi):
    """POST /api/applications/{id}/pre-review/ (提前介入 预审): the applicant (or the window, for a
    walk-in draft) asks the center to check the draft's materials before submitting it. The
    application stays a draft and no clock starts; 409 ``pre_review_open`` while one waits."""

    serializer_class = PreReviewRequestInput

    def act(self, request, application, data):
        projects.pre_review_request(actor=request.user, application_id=application.pk, question=data["question"])


class PreReviewFindingInput(serializers.Serializer):
    material = Text(multiline=False, max_length=32, help_text="material code")
    reason = Text(max_length=500)


class PreReviewAnswerInput(serializers.Serializer):
    result = serializers.ChoiceField(choices=["ready", "changes_needed"])
    findings = PreReviewFindingInput(many=True, required=False, default=list)
    note = Text(required=False, allow_blank=True, default="", max_length=2000)


class PreReviewAnswerApi(ObjectActionApi):
    """POST /api/pre-reviews/{id}/answer/: the window or a reviewer of a department concerned
    answers — ``ready`` (every required material is there: 400 ``materials_missing`` otherwise)
    or ``changes_needed`` with every material to complete and why (一次性告知). Recorded on the
    application; the applicant then submits it formally, and only then does a clock start."""

    serializer_class = PreReviewAnswerInput
    output_serializer = PreReviewOutput

    def find(self, request, pk):
        review = PreReview.objects.select_related("answered_by").filter(pk=pk).first()
        if review is None or not permissions.applications_visible_to(request.user).filter(
                pk=review.application_id).exists():
            raise NotFound()
        return review

    def act(self, request, review, data):
        projects.pre_review_answer(actor=request.user, pre_review_id=review.pk, result=data["result"],
                                   findings=[dict(f) for f in data["findings"]], note=data["note"])

    def show(self, request, review):
        return projects.pre_review_output(review)


class PreReviewQueueApi(APIView):
    """GET /api/pre-reviews/: the pre-reviews waiting for an answer that the caller may give."""

    @extend_schema(responses=PreReviewOutput(many=True))
    def get(self, request):
        return Response([projects.pre_review_output(r) for r in projects.pre_reviews_waiting_for(request.user)])
