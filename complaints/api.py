"""REST endpoints for complaints (SPEC §6). One view per operation: parse input, call a
service, render the output. Errors are mapped in portal.api.errors.

Three shapes: ``complaint_detail`` for the staff allowed to see the complaint (the
complainant's name and contact included), ``complaint_summary`` for their lists (no
identity), and ``complaint_public`` for the complainant following it by number and code.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from portal.validation import Text
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from portal.api.client import ScopedRateThrottle
from rest_framework.views import APIView

from complaints import permissions, selectors, services
from complaints.models import Category, Complaint, ComplaintStatus, Finding
from portal.api.actions import ObjectActionApi
from portal.api.objects import ObjectApi, ObjectDetailApi, ObjectListApi
from portal.api.idempotency import idempotent
from portal.api.timestamps import iso


# What the three functions below render, for the schema (tests/api checks every answer
# against it).


class ComplaintSummaryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    status = serializers.CharField()
    staff_badge = serializers.CharField(allow_null=True)
    department = serializers.CharField(allow_null=True)
    anonymous = serializers.BooleanField()
    investigator = serializers.CharField(allow_null=True)
    finding = serializers.CharField(allow_null=True)
    filed_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    alert = serializers.ChoiceField(choices=["none", "yellow", "red"])


class ComplaintEventOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField(required=False, help_text="for the staff only")
    action = serializers.CharField()
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField(allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, help_text="for the staff only")


class AccusedOutput(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    badge = serializers.CharField(allow_blank=True)


class ComplainantOutput(serializers.Serializer):
    name = serializers.CharField(allow_null=True)
    contact = serializers.CharField(allow_null=True)


class ComplaintCaseOutput(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    number = serializers.CharField()
    status = serializers.CharField(allow_null=True)


class BrokenCommitmentOutput(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField(help_text="quality (服务质量) | attitude (服务态度)")
    text = serializers.CharField()


class ComplaintOutput(ComplaintSummaryOutput):
    description = serializers.CharField()
    commitment = BrokenCommitmentOutput(allow_null=True, help_text="服务承诺: the commitment said to be broken")
    staff = AccusedOutput(allow_null=True)
    application_number = serializers.CharField(allow_null=True)
    complainant = ComplainantOutput(allow_null=True)
    accept_due_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    refused_at = serializers.DateTimeField(allow_null=True)
    refusal_reason = serializers.CharField(allow_null=True)
    conclusion = serializers.CharField(allow_null=True)
    concluded_at = serializers.DateTimeField(allow_null=True)
    reply_due_at = serializers.DateTimeField(allow_null=True)
    reply = serializers.CharField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    reopened = serializers.BooleanField()
    reopened_at = serializers.DateTimeField(allow_null=True)
    previous_investigator = serializers.CharField(allow_null=True)
    satisfied = serializers.BooleanField(allow_null=True)
    feedback_comment = serializers.CharField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    reminded_at = serializers.DateTimeField(allow_null=True)
    escalated_at = serializers.DateTimeField(allow_null=True)
    case = ComplaintCaseOutput(allow_null=True)
    history = ComplaintEventOutput(many=True)


class ComplaintPublicOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    status = serializers.CharField()
    filed_at = serializers.DateTimeField()
    accept_due_at = serializers.DateTimeField(allow_null=True)
    reply_due_at = serializers.DateTimeField(allow_null=True)
    refusal_reason = serializers.CharField(allow_null=True)
    finding = serializers.CharField(allow_null=True)
    reply = serializers.CharField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    reopened = serializers.BooleanField()
    satisfied = serializers.BooleanField(allow_null=True)
    feedback_possible = serializers.BooleanField()
    history = ComplaintEventOutput(many=True)


class ComplaintFiledOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    code = serializers.CharField(help_text="keep it: with the number it follows the complaint")
    status = serializers.CharField()
    accept_due_at = serializers.DateTimeField(allow_null=True)


def complaint_summary(complaint: Complaint) -> dict:
    return {
        "id": complaint.pk,
        "number": complaint.number,
        "category": complaint.category,
        "status": complaint.status,
        "staff_badge": complaint.staff_badge or None,
        "department": complaint.department.code if complaint.department_id else None,
        "anonymous": complaint.anonymous,
        "investigator": complaint.investigator.get_username() if complaint.investigator_id else None,
        "finding": complaint.finding or None,
        "filed_at": iso(complaint.filed_at),
        "due_at": iso(complaint.due_at),
        "alert": selectors.complaint_alert(complaint),
    }


def _history(complaint: Complaint, *, with_actors: bool) -> list[dict]:
    return [
        {"at": iso(e.at), **({"actor": e.actor_label} if with_actors else {}), "action": e.action,
         "from_status": e.from_status, "to_status": e.to_status, **({"note": e.note} if with_actors else {})}
        for e in selectors.complaint_events(complaint)
    ]


def complaint_detail(complaint: Complaint) -> dict:
    """For the office, the supervisors and the investigator — never the accused (he cannot load it)."""
    staff = complaint.staff
    profile = getattr(staff, "staff_profile", None) if staff is not None else None
    data = complaint_summary(complaint)
    data.update({
        "description": complaint.description,
        "commitment": {"code": complaint.commitment.code, "kind": complaint.commitment.kind,
                       "text": complaint.commitment.text} if complaint.commitment_id else None,
        "staff": {"username": staff.get_username(), "name": profile.display_name if profile else staff.get_username(),
                  "badge": complaint.staff_badge} if staff is not None else None,
        "application_number": complaint.application.number if complaint.application_id else None,
        "complainant": None if complaint.anonymous and not complaint.contact else {
            "name": complaint.complainant_name or None, "contact": complaint.contact or None},
        "accept_due_at": iso(complaint.accept_due_at),
        "accepted_at": iso(complaint.accepted_at),
        "refused_at": iso(complaint.refused_at),
        "refusal_reason": complaint.refusal_reason or None,
        "conclusion": complaint.conclusion or None,
        "concluded_at": iso(complaint.concluded_at),
        "reply_due_at": iso(complaint.reply_due_at),
        "reply": complaint.reply_text or None,
        "replied_at": iso(complaint.replied_at),
        "reopened": complaint.reopened,
        "reopened_at": iso(complaint.reopened_at),
        "previous_investigator": complaint.excluded_investigator.get_username()
        if complaint.excluded_investigator_id else None,
        "satisfied": complaint.satisfied,
        "feedback_comment": complaint.feedback_comment or None,
        "closed_at": iso(complaint.closed_at),
        "reminded_at": iso(complaint.reminded_at),
        "escalated_at": iso(complaint.escalated_at),
        "case": selectors.complaint_case(complaint),
        "history": _history(complaint, with_actors=True),
    })
    return data


def complaint_public(complaint: Complaint) -> dict:
    """What the complainant sees by number and code: progress and the answer, no staff names."""
    return {
        "id": complaint.pk,
        "number": complaint.number,
        "category": complaint.category,
        "status": complaint.status,
        "filed_at": iso(complaint.filed_at),
        "accept_due_at": iso(complaint.accept_due_at),
        "reply_due_at": iso(complaint.reply_due_at),
        "refusal_reason": complaint.refusal_reason or None,
        "finding": complaint.finding or None,
        "reply": complaint.reply_text if complaint.replied_at else None,
        "replied_at": iso(complaint.replied_at),
        "reopened": complaint.reopened,
        "satisfied": complaint.satisfied,
        "feedback_possible": complaint.status == ComplaintStatus.REPLIED,
        "history": _history(complaint, with_actors=False),
    }


class ComplaintListCreateApi(ObjectListApi):
    """POST: anyone files (anonymously if he wishes), throttled like the public progress
    query. GET: the complaints the caller may see as staff."""

    throttle_scope = "track"
    output_serializer = ComplaintSummaryOutput
    operation_id = "complaints_list"
    query_parameters = [OpenApiParameter("status", str)]

    class ComplaintCreateInput(serializers.Serializer):
        category = serializers.ChoiceField(choices=Category.choices)
        description = Text(max_length=services.MAX_DESCRIPTION)
        staff_badge = Text(required=False, allow_blank=True, default="", max_length=16)
        department = Text(required=False, allow_blank=True, default="", max_length=32)
        application_number = Text(required=False, allow_blank=True, default="", max_length=32)
        anonymous = serializers.BooleanField(default=False)
        contact = Text(multiline=False, required=False, allow_blank=True, default="", max_length=200)
        name = Text(multiline=False, required=False, allow_blank=True, default="", max_length=200)
        commitment = Text(required=False, allow_blank=True, default="", max_length=32,
                          help_text="服务承诺: the code of the published commitment that was broken "
                                    "(GET /api/commitments/)")

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.request.method == "POST" else []

    @extend_schema(request=ComplaintCreateInput, responses={201: ComplaintFiledOutput})
    @idempotent
    def post(self, request):
        data = self.ComplaintCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = services.complaint_file(actor=request.user, data=services.ComplaintData(**data.validated_data))
        return Response({"id": complaint.pk, "number": complaint.number, "code": complaint.code,
                         "status": complaint.status, "accept_due_at": iso(complaint.accept_due_at)},
                        status=status.HTTP_201_CREATED)

    def rows(self, request):
        return selectors.complaint_queue(permissions.complaints_visible_to(request.user),
                                         status=request.query_params.get("status"))

    def show_rows(self, request, rows):
        return [complaint_summary(c) for c in rows]


class ComplaintApi(ObjectApi):
    """A complaint the caller may see as staff (404 otherwise), as ``complaint_detail`` shows it."""

    output_serializer = ComplaintOutput

    def find(self, request, pk):
        return permissions.complaint_for_user(request.user, pk)

    def show(self, request, complaint):
        return complaint_detail(complaint)


class ComplaintDetailApi(ObjectDetailApi, ComplaintApi):
    pass


class ComplaintActionApi(ObjectActionApi, ComplaintApi):
    """Base of the staff actions POST …/{id}/<action>/: visibility (404), the service
    (403/409), and the complaint as it now is."""


class AcceptApi(ComplaintActionApi):
    def act(self, request, complaint, data):
        services.complaint_accept(actor=request.user, complaint_id=complaint.pk)


class RefuseApi(ComplaintActionApi):
    class ComplaintRefuseInput(serializers.Serializer):
        reason = Text(allow_blank=True)

    serializer_class = ComplaintRefuseInput

    def act(self, request, complaint, data):
        services.complaint_refuse(actor=request.user, complaint_id=complaint.pk, reason=data["reason"])


class AssignApi(ComplaintActionApi):
    class ComplaintAssignInput(serializers.Serializer):
        investigator = Text(allow_blank=True)

    serializer_class = ComplaintAssignInput

    def act(self, request, complaint, data):
        services.complaint_assign(actor=request.user, complaint_id=complaint.pk, investigator=data["investigator"])


class ConcludeApi(ComplaintActionApi):
    class ComplaintConcludeInput(serializers.Serializer):
        finding = serializers.ChoiceField(choices=Finding.choices)
        summary = Text(allow_blank=True)

    serializer_class = ComplaintConcludeInput

    def act(self, request, complaint, data):
        services.complaint_conclude(actor=request.user, complaint_id=complaint.pk, finding=data["finding"],
                                    summary=data["summary"])


class ReplyApi(ComplaintActionApi):
    class ComplaintReplyInput(serializers.Serializer):
        text = Text(allow_blank=True)

    serializer_class = ComplaintReplyInput

    def act(self, request, complaint, data):
        services.complaint_reply(actor=request.user, complaint_id=complaint.pk, text=data["text"])


class FeedbackApi(APIView):
    """The complainant's verdict on the answer: signed in as him, or with the complaint's
    number and code in the body."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "track"

    class ComplaintFeedbackInput(serializers.Serializer):
        satisfied = serializers.BooleanField()
        comment = Text(allow_blank=True, required=False, default="", max_length=2000)
        number = Text(allow_blank=True, required=False, default="")
        code = Text(allow_blank=True, required=False, default="")

    @extend_schema(request=ComplaintFeedbackInput, responses=ComplaintPublicOutput)
    def post(self, request, pk: int):
        data = self.ComplaintFeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = permissions.complaint_for_complainant(request.user, pk, number=data.validated_data["number"],
                                                          code=data.validated_data["code"])
        complaint = services.complaint_feedback(complaint_id=complaint.pk, satisfied=data.validated_data["satisfied"],
                                                comment=data.validated_data["comment"])
        return Response(complaint_public(complaint))


class TrackApi(APIView):
    """公开查询: a complaint's progress by number and code; a wrong code is a 404."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "track"

    @extend_schema(parameters=[OpenApiParameter("code", str, required=True)], responses=ComplaintPublicOutput)
    def get(self, request, number: str):
        return Response(complaint_public(permissions.complaint_by_code(number, request.query_params.get("code", ""))))
