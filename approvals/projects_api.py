"""REST endpoints of 项目经理制, 绿色通道 and 提前介入 (new, beside SPEC §6): the key projects
and each project's own view (its manager and the supervisors of its center), and the
pre-application consultation (预审) of a draft."""

from rest_framework import serializers

from approvals import permissions, project_designation, projects
from approvals.api import ApplicationActionApi, IntermediaryStageOutput, PreReviewOutput, StageOutput
from portal.api.actions import ObjectActionApi, ObjectCreateApi
from portal.api.objects import ObjectApi, ObjectDetailApi, ObjectListApi
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


class KeyProjectApi(ObjectApi):
    """The key projects (重点项目) the caller may see — those he manages (项目经理), or, for a
    supervisor, those of his center and the centers below it — known by their code."""

    lookup_url_kwarg = "code"

    def visible(self, request):
        return projects.projects_visible_to(request.user)

    def find(self, request, code: str):
        return projects.project_for_user(request.user, code)

    def show(self, request, project):
        return projects.project_overview(project)


class KeyProjectDesignateInput(serializers.Serializer):
    code = Text(multiline=False, max_length=32)
    name = Text(multiline=False, max_length=200)
    enterprise = Text(multiline=False, max_length=200)
    manager = Text(multiline=False, max_length=150, help_text="username of the project manager (项目经理)")
    stage_days = serializers.IntegerField(min_value=1, max_value=365,
                                          help_text="绿色通道: the committed limit per stage (working days)")
    center = Text(multiline=False, max_length=32, required=False, allow_blank=True, default="",
                  help_text="code of the project's center (default: the supervisor's own)")
    applicant = Text(multiline=False, max_length=150, required=False, allow_blank=True, default="",
                     help_text="username of the enterprise's account, which may then file the project's applications")
    note = Text(required=False, allow_blank=True, default="", max_length=2000)


class KeyProjectListApi(ObjectListApi, ObjectCreateApi, KeyProjectApi):
    """GET /api/projects/: one page of the key projects the caller may see. POST: a supervisor
    designates a key project (重点项目) of his center or one below it and names its manager."""

    operation_id = "projects_list"
    output_serializer = KeyProjectOutput
    serializer_class = KeyProjectDesignateInput

    def rows(self, request):
        return self.visible(request)

    def show_rows(self, request, rows):
        return [projects.project_summary(p) for p in rows]

    def create(self, request, data):
        return project_designation.key_project_designate(actor=request.user, **data)

    def show_created(self, request, project):
        return projects.project_summary(self.find(request, project.code))


class KeyProjectDetailApi(ObjectDetailApi, KeyProjectApi):
    """GET /api/projects/{code}/: the project's own view — every application of the project
    across departments, each stage with its (green-channel) due date, holder and alert, the
    pre-reviews, and the project's figures. Its manager and the supervisors of its center;
    anyone else gets 404."""

    operation_id = "projects_retrieve"
    output_serializer = KeyProjectDetailOutput


class KeyProjectActionApi(ObjectActionApi, KeyProjectApi):
    """POST /api/projects/{code}/<action>/: the supervisors of the project's center change it
    (403 for its manager, 404 for whoever may not see it); the answer is the project's view."""

    output_serializer = KeyProjectDetailOutput


class ManagerAssignInput(serializers.Serializer):
    manager = Text(multiline=False, max_length=150, help_text="username of the new project manager")
    reason = Text(max_length=1000)


class KeyProjectManagerApi(KeyProjectActionApi):
    """POST /api/projects/{code}/manager/: another project manager (项目经理) takes the project
    and all its applications over; the reason is kept in the audit trail."""

    serializer_class = ManagerAssignInput

    def act(self, request, project, data):
        project_designation.key_project_manager_assign(actor=request.user, code=project.code, **data)


class ApplicationLinkInput(serializers.Serializer):
    application = Text(multiline=False, max_length=32, help_text="the application's number")


class KeyProjectLinkApi(KeyProjectActionApi):
    """POST /api/projects/{code}/link/: an open application joins the project; its manager
    follows it. One not yet accepted runs on the green-channel limit from its acceptance.
    409 ``already_linked``, ``linked_elsewhere``, ``invalid_state`` or ``project_closed``."""

    serializer_class = ApplicationLinkInput

    def act(self, request, project, data):
        project_designation.key_project_application_link(actor=request.user, code=project.code,
                                                          number=data["application"])


class ApplicationUnlinkInput(ApplicationLinkInput):
    reason = Text(max_length=1000)


class KeyProjectUnlinkApi(KeyProjectActionApi):
    """POST /api/projects/{code}/unlink/: an application not yet accepted leaves the project,
    with a reason; 409 ``limit_fixed`` once it was accepted on the project's limit."""

    serializer_class = ApplicationUnlinkInput

    def act(self, request, project, data):
        project_designation.key_project_application_unlink(actor=request.user, code=project.code,
                                                            number=data["application"], reason=data["reason"])


class ProjectCloseInput(serializers.Serializer):
    reason = Text(max_length=1000)


class KeyProjectCloseApi(KeyProjectActionApi):
    """POST /api/projects/{code}/close/: 特事特办 ends — the project leaves the green channel
    (``active`` false), with a reason kept in the audit trail. Its applications not yet accepted
    are accepted on their item's own limit; stages already running keep the limit they were
    accepted on. Nothing is filed or linked under it any more; 409 ``project_closed`` if it is
    off the green channel already."""

    serializer_class = ProjectCloseInput

    def act(self, request, project, data):
        project_designation.key_project_close(actor=request.user, code=project.code, reason=data["reason"])


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


class PreReviewApi(ObjectApi):
    """The pre-reviews of the applications the caller may see."""

    output_serializer = PreReviewOutput

    def visible(self, request):
        return PreReview.objects.select_related("answered_by").filter(
            application__in=permissions.applications_visible_to(request.user))

    def show(self, request, review):
        return projects.pre_review_output(review)


class PreReviewAnswerApi(ObjectActionApi, PreReviewApi):
    """POST /api/pre-reviews/{id}/answer/: the window or a reviewer of a department concerned
    answers — ``ready`` (every required material is there: 400 ``materials_missing`` otherwise)
    or ``changes_needed`` with every material to complete and why (一次性告知). Recorded on the
    application; the applicant then submits it formally, and only then does a clock start."""

    serializer_class = PreReviewAnswerInput

    def act(self, request, review, data):
        projects.pre_review_answer(actor=request.user, pre_review_id=review.pk, result=data["result"],
                                   findings=[dict(f) for f in data["findings"]], note=data["note"])


class PreReviewQueueApi(ObjectListApi, PreReviewApi):
    """GET /api/pre-reviews/: one page of the pre-reviews waiting for an answer that the caller
    may give, oldest first."""

    operation_id = "pre_reviews_list"

    def rows(self, request):
        return projects.pre_reviews_waiting_for(request.user)

    def show_rows(self, request, rows):
        return [projects.pre_review_output(r) for r in rows]
