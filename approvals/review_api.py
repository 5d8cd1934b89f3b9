"""REST endpoints of review (SPEC §6: stages, suspend/resume/extend, alerts, register)."""

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from approvals import permissions, review, selectors
from approvals.api import ApplicationActionApi, CorrectionItemInput, StageOutput, stage_output
from approvals.models import AlertRecord, Application, Stage
from portal.api.actions import ObjectActionApi
from portal.api.objects import ObjectApi, ObjectDetailApi, ObjectListApi
from portal.api.fields import column_limits
from portal.api.timestamps import iso
from portal.organisation import roles
from portal.organisation.selectors import in_reach
from portal.pagination import COUNT_LIMIT, DEFAULT_LIMIT, FirstPage, KeysetPagination, Ordering
from portal.prepared import PreparedCount, PreparedQuery
from portal.validation import Text


class StageDetailOutput(StageOutput):
    """What ``stage_detail`` renders."""

    application = serializers.IntegerField()
    application_number = serializers.CharField(allow_null=True)
    days = serializers.IntegerField()
    alert = serializers.ChoiceField(choices=["none", "yellow", "red"])
    opinion = serializers.CharField(allow_blank=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    remaining_days_frozen = serializers.IntegerField(allow_null=True)


def stage_detail(stage: Stage) -> dict:
    data = stage_output(stage)
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


# The queue's columns, read as rows: a page of 50 stages read as models, with every column of
# their applications and assignees, was half the list's cost.
QUEUE_COLUMNS = ("id", "department__code", "lead", "status", "assignee__username", "due_at", "application_id",
                 "application__number", "days", "alert", "opinion", "decided_at", "remaining_days_frozen")


def queue_row_detail(row) -> dict:
    """``stage_detail`` of a row of QUEUE_COLUMNS (the same fields, in the same order)."""
    return {"id": row.id, "department": row.department__code, "lead": row.lead, "status": row.status,
            "assignee": row.assignee__username, "due_at": iso(row.due_at), "application": row.application_id,
            "application_number": row.application__number, "days": row.days, "alert": row.alert,
            "opinion": row.opinion, "decided_at": iso(row.decided_at),
            "remaining_days_frozen": row.remaining_days_frozen}


class StageListApi(ObjectListApi):
    """A department's stage queue, sorted by due time (the reviewer's page uses the same selector)."""

    output_serializer = StageDetailOutput
    operation_id = "stages_list"
    query_parameters = [OpenApiParameter("status", str),
                        OpenApiParameter("department", str, description="department code")]
    keyset_order = selectors.STAGE_QUEUE_ORDER
    columns = QUEUE_COLUMNS

    def get(self, request):
        # ObjectListApi's keyset page, the first page of a reviewer's queue as it opens read by
        # statements compiled once per process (``first_page``).
        paginator = KeysetPagination(self.keyset_order)
        department_id = self.unfiltered_queue(request)
        page = paginator.paginate_read(
            request, lambda: self.rows(request).values_list(*self.columns, named=True),
            lambda limit: self.first_page(department_id, limit), counted=lambda: self.rows(request),
            count=None if department_id is None else lambda: _queue_count(department_id))
        return Response(paginator.response_data(self.show_rows(request, page.items)))

    def rows(self, request):
        return selectors.stage_queue(request.user, status=request.query_params.get("status"),
                                     department=request.query_params.get("department"))

    @staticmethod
    def unfiltered_queue(request) -> int | None:
        """The department of a reviewer asking for his queue with no filter (the rows are then
        ``selectors.department_queue`` of it), else None."""
        params = request.query_params
        if params.get("status") or params.get("department") or permissions.sees_everything(request.user):
            return None
        return permissions.staff_department_id(request.user)

    @staticmethod
    def first_page(department_id: int | None, limit: int) -> FirstPage | None:
        """The first page of ``department_queue(department_id)`` (a page of one of _QUEUE_LIMITS)
        and its count, by statements compiled once per process (portal.prepared); None for any
        other list. Compiling the page and the count was a third of the queue's CPU."""
        if department_id is None or limit not in _QUEUE_LIMITS:
            return None
        page = _queue_first_pages.get(limit)
        if page is None:
            page = _queue_first_pages.setdefault(limit, PreparedQuery(
                lambda department: selectors.department_queue(department)
                .values_list(*QUEUE_COLUMNS, named=True)[:limit + 1], int, server_prepared=False))
        return FirstPage(page(department_id), lambda: _queue_count(department_id))

    def show_rows(self, request, rows):
        return [queue_row_detail(row) for row in rows]


# The page sizes a reviewer's first page is prepared for (the limit is part of the SQL), and
# limit → the page's statement; the count of his unfiltered queue, the same on every page.
_QUEUE_LIMITS = frozenset({10, 20, DEFAULT_LIMIT, 100})
_queue_first_pages: dict[int, PreparedQuery] = {}
_queue_count = PreparedCount(lambda department: selectors.department_queue(department)[:COUNT_LIMIT + 1], int)


class StageApi(ObjectApi):
    """A stage of the caller's department (a 404 otherwise), as ``stage_detail`` shows it."""

    output_serializer = StageDetailOutput

    def find(self, request, pk):
        return permissions.stage_for_user(request.user, pk)

    def show(self, request, stage):
        return stage_detail(stage)


class StageDetailApi(ObjectDetailApi, StageApi):
    pass


class JointOpinionOutput(serializers.Serializer):
    stage = serializers.IntegerField()
    department = serializers.CharField()
    lead = serializers.BooleanField(help_text="主办 (true) or 协办 (false)")
    status = serializers.CharField()
    opinion = serializers.CharField(allow_blank=True)
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class JointOpinionsOutput(serializers.Serializer):
    application = serializers.CharField(allow_null=True)
    lead_department = serializers.CharField(allow_null=True)
    signed_by = serializers.CharField(allow_null=True)
    opinions = JointOpinionOutput(many=True)


class StageOpinionsApi(ObjectDetailApi, StageApi):
    """主办/协办: the opinions of every department on the stage's file, as the lead department
    assembles them for the joint decision it signs; anyone who may see the stage reads them."""

    output_serializer = JointOpinionsOutput
    operation_id = "stages_opinions"

    def show(self, request, stage):
        return selectors.joint_opinions(stage.application)


class StageActionApi(ObjectActionApi, StageApi):
    """POST …/stages/{id}/<action>/: a stage outside the caller's department is a 404."""


class StageClaimApi(StageActionApi):
    def act(self, request, stage, data):
        review.stage_claim(actor=request.user, stage_id=stage.pk)


class StageApproveApi(StageActionApi):
    class StageApproveInput(serializers.Serializer):
        opinion = Text(required=False, allow_blank=True, default="")

    serializer_class = StageApproveInput

    def act(self, request, stage, data):
        review.stage_approve(actor=request.user, stage_id=stage.pk, opinion=data["opinion"])


class StageDenyApi(StageActionApi):
    class StageDenyInput(serializers.Serializer):
        reason = Text(allow_blank=True)
        legal_basis = Text(required=False, allow_blank=True, default="")

    serializer_class = StageDenyInput

    def act(self, request, stage, data):
        review.stage_deny(actor=request.user, stage_id=stage.pk, reason=data["reason"],
                          legal_basis=data["legal_basis"])


class StageRequestCorrectionApi(StageActionApi):
    class StageCorrectionInput(serializers.Serializer):
        items = CorrectionItemInput(many=True)
        note = Text(required=False, allow_blank=True, default="")

    serializer_class = StageCorrectionInput

    def act(self, request, stage, data):
        review.stage_request_correction(actor=request.user, stage_id=stage.pk,
                                        items=[dict(i) for i in data["items"]], note=data["note"])


class SuspendInput(serializers.Serializer):
    reason = Text()
    note = Text(required=False, allow_blank=True, default="")
    expected_working_days = serializers.IntegerField(
        required=False, allow_null=True, default=None,
        **{**column_limits(Application, "suspension_expected_days"), "min_value": 1})


class SuspendApi(ApplicationActionApi):
    serializer_class = SuspendInput

    def act(self, request, application, data):
        review.application_suspend(actor=request.user, application_id=application.pk, reason=data["reason"],
                                   note=data["note"], expected_days=data["expected_working_days"])


class ResumeApi(ApplicationActionApi):
    def act(self, request, application, data):
        review.application_resume(actor=request.user, application_id=application.pk)


class ExtendInput(serializers.Serializer):
    working_days = serializers.IntegerField(**column_limits(Application, "extended_days"))
    reason = Text(allow_blank=True)


class ExtendApi(ApplicationActionApi):
    serializer_class = ExtendInput

    def act(self, request, application, data):
        review.application_extend(actor=request.user, application_id=application.pk, **data)


class DecideOnSiteInput(serializers.Serializer):
    opinion = Text(required=False, allow_blank=True, default="")


class DecideOnSiteApi(ApplicationActionApi):
    serializer_class = DecideOnSiteInput

    def act(self, request, application, data):
        review.application_decide_on_site(actor=request.user, application_id=application.pk,
                                          opinion=data["opinion"])


class HandOverApi(ApplicationActionApi):
    def act(self, request, application, data):
        review.application_hand_over(actor=request.user, application_id=application.pk)


ALERT_ORDER = Ordering(("raised_at", "id"), descending=True)


ALERT_KINDS = ["stage", "application", "referral", "pre_review"]


def alert_kind(alert: AlertRecord) -> str:
    """Whose clock the alert is about: a department's stage, the application's intake on the spot
    (当场受理), a referred-up application's result (上报), or a draft's pre-review (预审)."""
    if alert.pre_review_id is not None:
        return "pre_review"
    if alert.referral_id is not None:
        return "referral"
    return "stage" if alert.stage_id is not None else "application"


class AlertOutput(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.ChoiceField(choices=["yellow", "red"])
    kind = serializers.ChoiceField(choices=ALERT_KINDS, help_text="whose clock: a stage's, the intake's (当场受理), "
                                   "a referral's (上报) or a pre-review's (预审)")
    application = serializers.CharField(allow_null=True, help_text="application number")
    application_id = serializers.IntegerField()
    stage = serializers.IntegerField(allow_null=True)
    pre_review = serializers.IntegerField(allow_null=True, help_text="the pre-review (预审) whose answer is late")
    department = serializers.CharField()
    assignee = serializers.CharField(allow_null=True)
    raised_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()


class AlertListApi(ObjectListApi):
    """电子监察: alerts as records — of stages, of intake on the spot, of referrals and of
    pre-reviews (预审) — staff see their department's, supervisors those of their center and the
    centers below it (a county supervisor all)."""

    output_serializer = AlertOutput
    operation_id = "alerts_list"
    query_parameters = [OpenApiParameter("level", str, enum=["yellow", "red"])]
    keyset_order = ALERT_ORDER

    def rows(self, request):
        qs = AlertRecord.objects.select_related("application", "stage", "department", "assignee")
        user = request.user
        if roles.has_role(user, roles.SUPERVISOR) and not user.is_superuser:
            # 三级政务服务: a township supervisor reads the alerts of his center and those below.
            qs = qs.filter(in_reach(user, "department__center"))
        elif not user.is_superuser:
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
        return qs

    def show_rows(self, request, rows):
        return [{
            "id": a.pk, "level": a.level, "kind": alert_kind(a), "application": a.application.number,
            "application_id": a.application_id, "stage": a.stage_id, "pre_review": a.pre_review_id,
            "department": a.department.code, "assignee": a.assignee.get_username() if a.assignee_id else None,
            "raised_at": iso(a.raised_at), "due_at": iso(a.due_at), "note": a.note,
        } for a in rows]


class RegisterEntryOutput(serializers.Serializer):
    number = serializers.CharField()
    service = serializers.CharField()
    outcome = serializers.CharField(help_text="approved | denied | deemed_approved")
    decided_at = serializers.DateTimeField(allow_null=True)
    certificate_number = serializers.CharField(allow_null=True)


class RegisterApi(ObjectListApi):
    """The public register of decisions, deemed approvals included (no personal data)."""

    permission_classes = [AllowAny]
    output_serializer = RegisterEntryOutput
    operation_id = "register_list"
    keyset_order = selectors.REGISTER_ORDER

    def rows(self, request):
        return selectors.public_register()

    def show_rows(self, request, rows):
        return [{
            "number": a.number, "service": a.service.code, "outcome": a.outcome,
            "decided_at": iso(a.decided_at), "certificate_number": a.certificate_number or None,
        } for a in rows]
