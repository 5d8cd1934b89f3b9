"""REST endpoints for complaints (SPEC §6). One view per operation: parse input, call a
service, render the output. Errors are mapped in portal.api.errors.

Three shapes: ``complaint_detail`` for the staff allowed to see the complaint (the
complainant's name and contact included), ``complaint_summary`` for their lists (no
identity), and ``complaint_public`` for the complainant following it by number and code.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from approvals.api import iso
from complaints import permissions, selectors, services
from complaints.models import Category, Complaint, ComplaintStatus, Finding
from portal.api.actions import ObjectActionApi
from portal.api.idempotency import idempotent


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


class ComplaintListCreateApi(APIView):
    """POST: anyone files (anonymously if he wishes), throttled like the public progress
    query. GET: the complaints the caller may see as staff."""

    throttle_scope = "track"

    class ComplaintCreateInput(serializers.Serializer):
        category = serializers.ChoiceField(choices=Category.choices)
        description = serializers.CharField(max_length=services.MAX_DESCRIPTION)
        staff_badge = serializers.CharField(required=False, allow_blank=True, default="", max_length=16)
        department = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)
        application_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)
        anonymous = serializers.BooleanField(default=False)
        contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
        name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.request.method == "POST" else []

    @extend_schema(request=ComplaintCreateInput, responses={201: inline_serializer("ComplaintFiled", {
        "id": serializers.IntegerField(), "number": serializers.CharField(), "code": serializers.CharField(),
        "status": serializers.CharField(), "accept_due_at": serializers.DateTimeField()})})
    @idempotent
    def post(self, request):
        data = self.ComplaintCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = services.complaint_file(actor=request.user, data=services.ComplaintData(**data.validated_data))
        return Response({"id": complaint.pk, "number": complaint.number, "code": complaint.code,
                         "status": complaint.status, "accept_due_at": iso(complaint.accept_due_at)},
                        status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="complaints_list", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        qs = selectors.complaint_queue(permissions.complaints_visible_to(request.user),
                                       status=request.query_params.get("status"))
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([complaint_summary(c) for c in page])


class ComplaintDetailApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        return Response(complaint_detail(permissions.complaint_for_user(request.user, pk)))


class ComplaintActionApi(ObjectActionApi):
    """Base of the staff actions POST …/{id}/<action>/: visibility (404), the service
    (403/409), and the complaint as it now is."""

    def find(self, request, pk):
        return permissions.complaint_for_user(request.user, pk)

    def show(self, request, complaint):
        return complaint_detail(complaint)


class AcceptApi(ComplaintActionApi):
    def act(self, request, complaint, data):
        services.complaint_accept(actor=request.user, complaint_id=complaint.pk)


class RefuseApi(ComplaintActionApi):
    class ComplaintRefuseInput(serializers.Serializer):
        reason = serializers.CharField(allow_blank=True, required=False, default="")

    serializer_class = ComplaintRefuseInput

    def act(self, request, complaint, data):
        services.complaint_refuse(actor=request.user, complaint_id=complaint.pk, reason=data["reason"])


class AssignApi(ComplaintActionApi):
    class ComplaintAssignInput(serializers.Serializer):
        investigator = serializers.CharField(allow_blank=True, required=False, default="")

    serializer_class = ComplaintAssignInput

    def act(self, request, complaint, data):
        services.complaint_assign(actor=request.user, complaint_id=complaint.pk, investigator=data["investigator"])


class ConcludeApi(ComplaintActionApi):
    class ComplaintConcludeInput(serializers.Serializer):
        finding = serializers.ChoiceField(choices=Finding.choices)
        summary = serializers.CharField(allow_blank=True, required=False, default="")

    serializer_class = ComplaintConcludeInput

    def act(self, request, complaint, data):
        services.complaint_conclude(actor=request.user, complaint_id=complaint.pk, finding=data["finding"],
                                    summary=data["summary"])


class ReplyApi(ComplaintActionApi):
    class ComplaintReplyInput(serializers.Serializer):
        text = serializers.CharField(allow_blank=True, required=False, default="")

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
        comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=2000)
        number = serializers.CharField(allow_blank=True, required=False, default="")
        code = serializers.CharField(allow_blank=True, required=False, default="")

    @extend_schema(request=ComplaintFeedbackInput, responses=OpenApiTypes.OBJECT)
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

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, number: str):
        return Response(complaint_public(permissions.complaint_by_code(number, request.query_params.get("code", ""))))
