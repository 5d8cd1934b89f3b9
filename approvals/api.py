"""REST endpoints for applications (SPEC §6). One view per operation: parse input,
call a service, render the output. Errors are mapped in portal.api.errors."""

from contextlib import nullcontext
from typing import NamedTuple

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from portal.api.client import ScopedRateThrottle
from rest_framework.views import APIView

from approvals import fees, intermediaries, permissions, projects, referrals, selectors, services
from approvals.documents import document_pdf
from approvals.models import Application, CorrectionItem, IssuedDocument
from approvals.uploads import ALLOWED as UPLOAD_TYPES
from approvals.uploads import material_file_response
from portal.api.actions import ObjectActionApi
from portal.api.objects import ObjectApi, ObjectDetailApi, ObjectListApi
from portal.api.fields import column_limits
from portal.api.idempotency import idempotent
from portal.api.schema import EventOutput
from portal.api.timestamps import iso
from portal.db.plans import lookups_not_merges
from portal.errors import DomainError, NotFound
from portal.pagination import COUNT_LIMIT, DEFAULT_LIMIT, FirstPage, KeysetPagination
from portal.prepared import PreparedCount, PreparedQuery
from portal.catalogue.models import IntermediaryKind, MaterialRequirement
from portal.validation import Text
from portal.web.site import public_base_url


class ApplicantInput(serializers.Serializer):
    name = Text(multiline=False, max_length=200)
    id_number = Text(max_length=18)
    phone = Text(max_length=11)
    email = serializers.EmailField(required=False, allow_blank=True, default="")


# What the functions below render, for the schema (a serializer per row would cost more
# than the query in a 50-row list, so the answers stay plain dicts; tests/api checks every
# answer against these).


class ClockOutput(serializers.Serializer):
    running = serializers.BooleanField()
    remaining_working_days = serializers.IntegerField(allow_null=True)


class StageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    department = serializers.CharField()
    lead = serializers.BooleanField()
    status = serializers.CharField()
    assignee = serializers.CharField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)


class ApplicantOutput(serializers.Serializer):
    name = serializers.CharField()
    id_number = serializers.CharField(help_text="masked")
    phone = serializers.CharField(required=False, help_text="in the detail only")


class ApplicationSummaryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    service = serializers.CharField()
    status = serializers.CharField()
    channel = serializers.CharField()
    applicant = ApplicantOutput()
    accepted_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    alert = serializers.ChoiceField(choices=["none", "yellow", "red"])


class LapsedLimitOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["committed", "statutory"], help_text="承诺时限 or 法定时限")
    days = serializers.IntegerField()
    committed_days = serializers.IntegerField(help_text="the committed limit the application ran on (承诺时限; "
                                                        "a key project's green-channel limit, 绿色通道)")
    statutory_days = serializers.IntegerField()
    green_channel = serializers.BooleanField(help_text="it ran on a key project's green channel (绿色通道)")
    item_committed_days = serializers.IntegerField(help_text="the item's own committed limit")


class DecisionOutput(serializers.Serializer):
    outcome = serializers.CharField(allow_null=True, help_text="approved | denied | deemed_approved")
    decided_at = serializers.DateTimeField(allow_null=True)
    certificate_number = serializers.CharField(allow_null=True)
    lapsed_limit = LapsedLimitOutput(allow_null=True, help_text="the limit whose passing approved it (超期默许)")
    lead_department = serializers.CharField(allow_null=True, help_text="主办部门: the department that signs the decision")
    signed_by = serializers.CharField(allow_null=True, help_text="username of the lead department's official who "
                                      "signed the approval; null before a decision, on denial or deemed approval")


class RefusalOutput(serializers.Serializer):
    reason = serializers.CharField()
    legal_basis = serializers.CharField(allow_blank=True)


class SuspensionOutput(serializers.Serializer):
    kind = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    since = serializers.DateTimeField(allow_null=True)
    expected_working_days = serializers.IntegerField(allow_null=True)


class ExtensionOutput(serializers.Serializer):
    working_days = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True)


class MaterialFileOutput(serializers.Serializer):
    material = serializers.CharField()
    name = serializers.CharField()
    file_id = serializers.IntegerField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()


class CorrectionItemOutput(serializers.Serializer):
    material = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)


class CorrectionNoticeOutput(serializers.Serializer):
    sequence = serializers.IntegerField()
    issued_at = serializers.DateTimeField()
    items = CorrectionItemOutput(many=True)


class IssuedDocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    pdf = serializers.CharField(help_text="path of the PDF")


class SpotIntakeOutput(serializers.Serializer):
    due_at = serializers.DateTimeField(allow_null=True, help_text="当场受理: the clerk answers a walk-in by then")
    missed = serializers.BooleanField()


class PaymentOutput(serializers.Serializer):
    """一个窗口收费: approvals.fees.payment_output."""

    number = serializers.CharField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True)
    basis = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    method = serializers.CharField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)
    receipt_number = serializers.CharField(allow_null=True)
    refund_on_denial = serializers.BooleanField()
    refunded_at = serializers.DateTimeField(allow_null=True)


class KeyProjectRefOutput(serializers.Serializer):
    """绿色通道: approvals.projects.key_project_output."""

    code = serializers.CharField()
    name = serializers.CharField()
    manager = serializers.CharField(help_text="项目经理 (username)")
    manager_name = serializers.CharField()
    green_channel_days = serializers.IntegerField(allow_null=True,
                                                  help_text="the project's limit per stage, fixed at acceptance")


class PreReviewFindingOutput(serializers.Serializer):
    material = serializers.CharField()
    name = serializers.CharField()
    reason = serializers.CharField()


class PreReviewOutput(serializers.Serializer):
    """提前介入 预审: approvals.projects.pre_review_output."""

    id = serializers.IntegerField()
    application = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["requested", "answered"])
    requested_at = serializers.DateTimeField()
    question = serializers.CharField(allow_blank=True)
    result = serializers.ChoiceField(choices=["ready", "changes_needed"], allow_null=True)
    findings = PreReviewFindingOutput(many=True)
    note = serializers.CharField(allow_blank=True)
    answered_by = serializers.CharField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True, help_text="the center's answer is due by then")
    alert = serializers.ChoiceField(choices=["none", "yellow", "red"])


class ReferredUpOutput(serializers.Serializer):
    """上报事项负责代理: where the application was forwarded, who follows it, on which clock."""

    from_center = serializers.CharField()
    to_center = serializers.CharField()
    official = serializers.CharField(help_text="负责代理人 (username)")
    forwarded_at = serializers.DateTimeField()
    days = serializers.IntegerField()
    due_at = serializers.DateTimeField()
    result = serializers.CharField(allow_null=True)
    result_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    late_alerted_at = serializers.DateTimeField(allow_null=True, help_text="when the late result raised a red alert")


class ProxyOutput(serializers.Serializer):
    """代办: who acted for whom."""

    officer = serializers.CharField()
    point = serializers.CharField(allow_null=True)
    consent = serializers.CharField()
    free_of_charge = serializers.BooleanField()

    def get_fields(self):
        fields = super().get_fields()
        fields["for"] = serializers.CharField()  # a Python keyword
        return fields


class IntermediaryStageOutput(serializers.Serializer):
    """中介服务 tracked like a stage: approvals.intermediaries.intermediary_output."""

    id = serializers.IntegerField()
    application = serializers.IntegerField()
    application_number = serializers.CharField(allow_null=True)
    service = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=IntermediaryKind.choices)
    provider = serializers.CharField()
    status = serializers.ChoiceField(choices=["running", "completed", "cancelled"])
    days = serializers.IntegerField(help_text="its own limit (working days); the departments' clocks stand still")
    fee = serializers.DecimalField(max_digits=10, decimal_places=2, coerce_to_string=True)
    started_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    working_days_used = serializers.IntegerField(allow_null=True)
    overdue = serializers.BooleanField(help_text="past its own limit")
    report = serializers.CharField(allow_blank=True)


class ApplicationOutput(ApplicationSummaryOutput):
    tracking_code = serializers.CharField(required=False, help_text="for the applicant and the staff only")
    submitted_at = serializers.DateTimeField(allow_null=True)
    deemed_accepted = serializers.BooleanField()
    due_provisional = serializers.BooleanField()
    clock = ClockOutput()
    stages = StageOutput(many=True)
    decision = DecisionOutput()
    refusal = RefusalOutput(allow_null=True)
    suspension = SuspensionOutput(allow_null=True)
    suspended_working_days = serializers.IntegerField()
    extension = ExtensionOutput(allow_null=True)
    onsite = serializers.BooleanField()
    intake_center = serializers.CharField(allow_null=True, help_text="the center whose window took it in")
    referral = ReferredUpOutput(allow_null=True)
    proxy = ProxyOutput(allow_null=True)
    spot_intake = SpotIntakeOutput(allow_null=True)
    payment = PaymentOutput(allow_null=True, help_text="the payment notice; none for a free item")
    key_project = KeyProjectRefOutput(allow_null=True, help_text="重点项目 the application is filed under")
    pre_reviews = PreReviewOutput(many=True, help_text="提前介入 预审 of the draft (no clock ran)")
    intermediary_stages = IntermediaryStageOutput(many=True, help_text="中介服务, each on its own clock")
    first_inquiry_officer = serializers.CharField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    materials = MaterialFileOutput(many=True)
    correction_notices = CorrectionNoticeOutput(many=True)
    documents = IssuedDocumentOutput(many=True)
    events = EventOutput(many=True)


def stage_output(stage) -> dict:
    """A stage as the API shows it (a plain dict: a serializer per row costs more than the
    query in a 50-row list)."""
    return {
        "id": stage.pk,
        "department": stage.department.code,
        "lead": stage.lead,
        "status": stage.status,
        "assignee": stage.assignee.get_username() if stage.assignee_id else None,
        "due_at": iso(stage.due_at),
    }


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


# The columns application_summary reads (a list reads only these: a page of applications with
# every column of theirs, their items' and departments' was most of the clerk's list's cost).
SUMMARY_FIELDS = ("number", "service__code", "status", "channel", "applicant_name", "applicant_id_number",
                  "accepted_at", "due_at", "alert")


def application_summary(application: Application) -> dict:
    return {
        "id": application.pk,
        "number": application.number,
        "service": application.service.code,
        "status": application.status,
        "channel": application.channel,
        "applicant": {"name": application.applicant_name, "id_number": application.masked_id_number},
        "accepted_at": iso(application.accepted_at),
        "due_at": iso(application.due_at),
        "alert": application.alert,
    }


def _joint_signature(application: Application, stages: list) -> dict:
    joint = selectors.joint_opinions(application, stages)
    return {"lead_department": joint["lead_department"], "signed_by": joint["signed_by"]}


def application_detail(application: Application, user) -> dict:
    """The application as its detail shows it. A service that knows what would be read back sets
    ``known_parts`` (the related lists that have rows) and ``known_events`` (its history, as
    AuditEvents) on the instance it returns: a new application's answer reads neither."""
    data = application_summary(application)
    # Only the related lists that have rows are read (one query says which: selectors.detail_parts).
    parts = getattr(application, "known_parts", None)
    if parts is None:
        parts = selectors.detail_parts(application.pk)
    stages = selectors.stages_listed(application) if "stages" in parts else []
    data["applicant"]["phone"] = application.applicant_phone
    if permissions.may_see_tracking_code(user, application):
        data["tracking_code"] = application.tracking_code
    data.update({
        "submitted_at": iso(application.submitted_at),
        "deemed_accepted": application.deemed_accepted,
        "due_provisional": application.due_provisional,
        "clock": selectors.application_clock(application),
        "stages": [stage_output(s) for s in stages],
        "decision": {
            "outcome": application.outcome or None,
            "decided_at": iso(application.decided_at),
            "certificate_number": application.certificate_number or None,
            "lapsed_limit": selectors.lapsed_limit(application),
            **_joint_signature(application, stages),
        },
        "refusal": {"reason": application.refusal_reason, "legal_basis": application.refusal_legal_basis}
        if application.refusal_reason else None,
        "suspension": {
            "kind": application.suspension_kind, "reason": application.suspension_reason,
            "note": application.suspension_note, "since": iso(application.suspended_at),
            "expected_working_days": application.suspension_expected_days,
        } if application.status == "suspended" else None,
        "suspended_working_days": application.suspended_days_total,
        "extension": {"working_days": application.extended_days, "reason": application.extension_reason}
        if application.extended_days else None,
        "onsite": application.onsite,
        "intake_center": application.intake_center.code if application.intake_center_id else None,
        "referral": referrals.referral_output(application) if "referral" in parts else None,
        "proxy": referrals.proxy_output(application),
        "spot_intake": {"due_at": iso(application.spot_due_at), "missed": application.spot_missed}
        if application.spot_due_at else None,
        "payment": fees.payment_output(application) if "payment_notice" in parts else None,
        "key_project": projects.key_project_output(application),
        "pre_reviews": [projects.pre_review_output(r) for r in projects.pre_reviews_of(application)]
        if "pre_reviews" in parts else [],
        "intermediary_stages": [intermediaries.intermediary_output(i) for i in intermediaries.intermediaries_of(application)]
        if "intermediary_stages" in parts else [],
        "first_inquiry_officer": _username(selectors.first_inquiry_officer(application)) if "inquiry" in parts else None,
        "issued_at": iso(application.issued_at),
        "materials": [
            {"material": f.requirement.code, "name": f.requirement.name, "file_id": f.pk,
             "content_type": f.content_type, "size": f.size, "uploaded_at": iso(f.uploaded_at)}
            for f in selectors.application_files(application)
        ] if "files" in parts else [],
        "correction_notices": [
            {"sequence": n.sequence, "issued_at": iso(n.issued_at),
             "items": [{"material": i.requirement.code, "reason": i.reason} for i in n.items.all()]}
            for n in application.correction_notices.prefetch_related("items__requirement")
        ] if "correction_notices" in parts else [],
        "documents": [
            {"id": pk, "kind": kind, "number": number, "issued_at": iso(issued_at),
             "pdf": f"/api/applications/{application.pk}/documents/{pk}/pdf/"}
            for pk, kind, number, issued_at in selectors.document_rows(application.pk)
        ] if "documents" in parts else [],
        "events": [
            {"at": iso(at), "actor": actor, "action": action, "from_status": from_status, "to_status": to_status,
             "note": note}
            for at, actor, action, from_status, to_status, note
            in (selectors.application_event_rows(application.pk, [s.pk for s in stages])
                if getattr(application, "known_events", None) is None
                else [tuple(getattr(e, column) for column in selectors.EVENT_COLUMNS) for e in application.known_events])
        ],
    })
    return data


class ApplicationListCreateApi(ObjectListApi):
    output_serializer = ApplicationSummaryOutput
    operation_id = "applications_list"
    query_parameters = [
        OpenApiParameter("status", str, description="one status, or several separated by commas"),
        OpenApiParameter("department", str, description="department code"),
        OpenApiParameter("alert", str, enum=["none", "yellow", "red"]),
    ]
    keyset_order = selectors.APPLICATION_ORDER

    class CreateInput(serializers.Serializer):
        service = Text()
        applicant = ApplicantInput()
        project = Text(multiline=False, required=False, allow_blank=True, default="", max_length=32,
                       help_text="重点项目 code: file under a key project on the green channel (绿色通道)")

    @extend_schema(request=CreateInput, responses={201: ApplicationOutput})
    @idempotent
    def post(self, request):
        data = self.CreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_create(
            actor=request.user, service_code=data.validated_data["service"],
            applicant=services.ApplicantData(**data.validated_data["applicant"]),
            project=data.validated_data["project"],
        )
        return Response(application_detail(application, request.user), status=status.HTTP_201_CREATED)

    def get(self, request):
        # ObjectListApi's keyset page, its first page read by a statement compiled once for the
        # window and the overseers (``first_page``): the clerk's list of what awaits intake.
        paginator = KeysetPagination(self.keyset_order)
        # A department's list (asked for, or a reviewer's own) is read through ConcernedDepartment.
        by_department = request.query_params.get("department") or permissions.reads_by_department(request.user)
        with lookups_not_merges() if by_department else nullcontext():
            page = paginator.paginate_read(request, lambda: self.rows(request),
                                           lambda limit: self.first_page(request, limit))
        return Response(paginator.response_data(self.show_rows(request, page.items)))

    def rows(self, request):
        return self.summaries(selectors.application_list(
            permissions.applications_visible_to(request.user),
            status=request.query_params.get("status"),
            department=request.query_params.get("department"),
            alert=request.query_params.get("alert"),
        ))

    @staticmethod
    def summaries(rows):
        return rows.select_related(None).select_related("service").only(*SUMMARY_FIELDS)

    def first_page(self, request, limit: int) -> FirstPage | None:
        """The first page of ``rows`` for the window or an overseer filtering by status alone
        (up to _PREPARED_STATUSES, a page of one of _PREPARED_LIMITS), by statements compiled once per process for the shape of his
        rule (permissions.overseer_rule), the number of statuses and the limit; None for any
        other list (``rows`` then reads it). Compiling the rule, the page and its count was most
        of the list's CPU."""
        params = request.query_params
        if params.get("department") or params.get("alert"):
            return None
        rule = permissions.overseer_rule(request.user)
        statuses = params.get("status").split(",") if params.get("status") else []
        if rule is None or len(statuses) > _PREPARED_STATUSES or limit not in _PREPARED_LIMITS:
            return None
        key = (rule.shape, len(statuses), limit)
        prepared = _first_pages.get(key)
        if prepared is None:
            visible, reach, order, summaries = rule.visible, len(rule.values), self.keyset_order.order_by(), self.summaries

            def listed(values):
                status = ",".join(values[reach:]) or None
                return summaries(selectors.application_list(visible(*values[:reach]), status=status)).order_by(*order)

            types = (*[int] * reach, *[str] * len(statuses))
            # Sent as SQL, planned for its status (server_prepared=False): prepared by name, after five
            # calls PostgreSQL may keep one plan for any status, fit for one with many rows (walk the
            # newest, keep those in it); for a status with none it read every application, 350-470 ms
            # at a million (it was 0.2 ms planned for its value).
            prepared = _first_pages.setdefault(key, (
                PreparedQuery(lambda *values: listed(values)[:limit + 1], *types, server_prepared=False),
                PreparedCount(lambda *values: listed(values)[:COUNT_LIMIT + 1], *types)))
        page, count = prepared
        values = (*rule.values, *statuses)
        return FirstPage(page(*values), lambda: count(*values))

    def show_rows(self, request, rows):
        return [application_summary(a) for a in rows]


# The most statuses a prepared first page of the applications' list filters by, and the page
# sizes it is prepared for (the limit is part of the SQL: each is a statement of its own on every
# database session, so not one for each of the 200 a client may ask for).
_PREPARED_STATUSES = 4
_PREPARED_LIMITS = frozenset({10, 20, DEFAULT_LIMIT, 100})
# (shape of the rule, number of statuses, limit) → the first page's statement and its count's.
_first_pages: dict[tuple, tuple[PreparedQuery, PreparedCount]] = {}


class ApplicationApi(ObjectApi):
    """An application the caller may see (404 otherwise), as ``application_detail`` shows it."""

    output_serializer = ApplicationOutput

    def find(self, request, pk):
        return permissions.application_for_user(request.user, pk)

    def reload(self, request, application, key):
        return permissions.application_reloaded(application)

    def show(self, request, application):
        return application_detail(application, request.user)


class ApplicationDetailApi(ObjectDetailApi, ApplicationApi):
    pass


class ApplicationRef(NamedTuple):
    """An application an action was found for: its id, all that ``act`` passes on (the service
    locks and reads the row itself)."""

    pk: int


class ApplicationActionApi(ObjectActionApi, ApplicationApi):
    """Base of the POST …/{id}/<action>/ endpoints: check visibility, validate the body,
    call the service, answer with the application as it now is. Subclasses define ``act``,
    which gets the application's id (``ApplicationRef``)."""

    acted: Application | None = None  # what ``act`` got back from a service that returns the application

    def find(self, request, pk):
        # One EXISTS query: the row read here was read again by the service's lock and again
        # for the answer.
        permissions.application_visible_check(request.user, pk)
        return ApplicationRef(pk)

    def reload(self, request, application, key):
        # The service's own instance: read under its row lock, every change saved in its
        # committed transaction; reading it again was a statement and a model per action.
        if self.acted is not None:
            return self.acted
        return super().reload(request, application, key)


class MaterialUploadInput(serializers.Serializer):
    material = Text(multiline=False, help_text="material code", **column_limits(MaterialRequirement, "code"))
    file = serializers.FileField()


class MaterialUploadedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    material = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class MaterialUploadApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": MaterialUploadInput}, responses={201: MaterialUploadedOutput})
    @idempotent
    def post(self, request, pk: int):
        # The service's row lock checks that the caller may see the application (one statement
        # for both); a request refused before it is a 404 all the same for an application the
        # caller may not see (the check then runs on its own).
        try:
            data = MaterialUploadInput(data=request.data)
            data.is_valid(raise_exception=True)
            material = services.material_upload(actor=request.user, application_id=pk,
                                                material_code=data.validated_data["material"],
                                                uploaded_file=data.validated_data["file"])
        except (APIException, DomainError, SuspiciousOperation):
            permissions.application_visible_check(request.user, pk)
            raise
        return Response({"id": material.pk, "material": material.requirement.code,
                         "content_type": material.content_type, "size": material.size,
                         "sha256": material.sha256}, status=status.HTTP_201_CREATED)


class MaterialFileApi(APIView):
    @extend_schema(responses={(200, media): OpenApiResponse(OpenApiTypes.BINARY, description="the uploaded file")
                              for media in UPLOAD_TYPES})
    def get(self, request, pk: int, file_id: int):
        application = permissions.application_for_user(request.user, pk)
        material = get_object_or_404(application.files, pk=file_id)
        return material_file_response(material)


class SubmitApi(ApplicationActionApi):
    def find(self, request, pk):
        # The service's row lock checks visibility (404) before anything else it checks.
        return ApplicationRef(pk)

    def act(self, request, application, data):
        self.acted = services.application_submit(actor=request.user, application_id=application.pk,
                                                 visible_to=request.user)


class ResubmitApi(ApplicationActionApi):
    def act(self, request, application, data):
        self.acted = services.application_resubmit(actor=request.user, application_id=application.pk)


class CorrectionItemInput(serializers.Serializer):
    material = Text(multiline=False, help_text="material code", **column_limits(MaterialRequirement, "code"))
    reason = Text(allow_blank=True, **column_limits(CorrectionItem, "reason"))


class CorrectionNoticeInput(serializers.Serializer):
    items = CorrectionItemInput(many=True)
    note = Text(required=False, allow_blank=True, default="")


class CorrectionNoticeApi(ApplicationActionApi):
    serializer_class = CorrectionNoticeInput

    def act(self, request, application, data):
        services.correction_notice_issue(actor=request.user, application_id=application.pk,
                                         items=[dict(i) for i in data["items"]], note=data["note"])


class AcceptApi(ApplicationActionApi):
    def act(self, request, application, data):
        self.acted = services.application_accept(actor=request.user, application_id=application.pk)


class RefuseInput(serializers.Serializer):
    reason = Text(allow_blank=True)
    legal_basis = Text(allow_blank=True)


class RefuseApi(ApplicationActionApi):
    serializer_class = RefuseInput

    def act(self, request, application, data):
        self.acted = services.application_refuse(actor=request.user, application_id=application.pk, **data)


class WithdrawInput(serializers.Serializer):
    reason = Text(allow_blank=True, required=False, default="")


class WithdrawApi(ApplicationActionApi):
    serializer_class = WithdrawInput

    def act(self, request, application, data):
        self.acted = services.application_withdraw(actor=request.user, application_id=application.pk, reason=data["reason"])


class DocumentPdfApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF")})
    def get(self, request, pk: int, doc_id: int):
        application = permissions.application_for_user(request.user, pk)
        document = get_object_or_404(IssuedDocument, application=application, pk=doc_id)
        fees.require_fee_paid_for_download(request.user, document)
        return pdf_response(document, request)


def pdf_response(document: IssuedDocument, request=None):
    response = HttpResponse(document_pdf(document, base_url=public_base_url(request)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.number}.pdf"'
    return response


class TrackStageOutput(serializers.Serializer):
    department = serializers.CharField()
    status = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)


class TrackDecisionOutput(serializers.Serializer):
    outcome = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class TrackOutput(serializers.Serializer):
    number = serializers.CharField()
    service = serializers.CharField()
    service_name = serializers.CharField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    alert = serializers.ChoiceField(choices=["none", "yellow", "red"])
    clock = ClockOutput()
    stages = TrackStageOutput(many=True)
    decision = TrackDecisionOutput()


class TrackApi(APIView):
    """公开查询: progress by number and the code printed on the receipt. No personal data;
    a wrong code is a 404 like an unknown number."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "track"

    @extend_schema(parameters=[OpenApiParameter("code", str, required=True, description="printed on the receipt")],
                   responses=TrackOutput)
    def get(self, request, number: str):
        code = request.query_params.get("code", "")
        application = selectors.tracked_application(number)
        if application is None or not code or code.strip().upper() != application.tracking_code:
            raise NotFound()
        return Response({
            "number": application.number,
            "service": application.service.code,
            "service_name": application.service.name,
            "status": application.status,
            "submitted_at": iso(application.submitted_at),
            "accepted_at": iso(application.accepted_at),
            "due_at": iso(application.due_at),
            "alert": application.alert,
            "clock": selectors.application_clock(application),
            "stages": [{"department": s.department.code, "status": s.status, "due_at": iso(s.due_at)}
                       for s in application.public_stages],
            "decision": {"outcome": application.outcome or None, "decided_at": iso(application.decided_at)},
        })
