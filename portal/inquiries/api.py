"""REST endpoints of inquiries (SPEC §6). One view per operation: parse input, call a
service, render the inquiry as it now is. Errors are mapped in portal.api.errors."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.api import ApplicantInput, iso
from approvals.services import ApplicantData
from portal.api.actions import ObjectActionApi
from portal.api.idempotency import idempotent
from portal.inquiries import permissions, selectors, services
from portal.inquiries.models import Inquiry
from portal.organisation.selectors import badge_of


def _person(user) -> str | None:
    return user.get_username() if user is not None else None


def inquiry_summary(inquiry: Inquiry) -> dict:
    return {
        "id": inquiry.pk,
        "number": inquiry.number,
        "status": inquiry.status,
        "channel": inquiry.channel,
        "subject": inquiry.subject,
        "department": (inquiry.referred_to or inquiry.department).code
        if (inquiry.referred_to_id or inquiry.department_id) else None,
        "referred_to": inquiry.referred_to.code if inquiry.referred_to_id else None,
        "owner": _person(inquiry.owner),
        "owner_badge": badge_of(inquiry.owner),
        "created_at": iso(inquiry.created_at),
        "due_at": iso(inquiry.due_at),
        "alert": inquiry.alert,
    }


def inquiry_detail(inquiry: Inquiry, user) -> dict:
    """The whole inquiry; a citizen is not shown the officials' internal notes."""
    data = inquiry_summary(inquiry)
    officer = inquiry.first_officer
    official = permissions.is_official(user) or permissions.sees_all(user)
    data.update({
        "question": inquiry.question,
        "concerns": inquiry.department.code if inquiry.department_id else None,
        "citizen": {"name": inquiry.citizen_name, "contact": inquiry.citizen_contact,
                    "username": _person(inquiry.citizen)},
        "owner_name": (inquiry.owner.get_full_name() or inquiry.owner.get_username()) if inquiry.owner_id else None,
        "first_inquiry_officer": _person(officer),
        "first_inquiry_officer_badge": badge_of(officer),
        "claimed_at": iso(inquiry.claimed_at),
        "referral": {
            "department": inquiry.referred_to.code,
            "note": inquiry.referral_note if official else "",
            "referred_at": iso(inquiry.referred_at),
            "referred_by": _person(inquiry.referred_by),
            "referee": _person(inquiry.referee),
            "referee_badge": badge_of(inquiry.referee),
            "acknowledged": inquiry.acknowledged_at is not None,
            "acknowledged_at": iso(inquiry.acknowledged_at),
        } if inquiry.referred_to_id else None,
        "answer": inquiry.answer or None,
        "answered_at": iso(inquiry.answered_at),
        "answered_by": _person(inquiry.answered_by),
        "answered_by_badge": badge_of(inquiry.answered_by),
        "closed_at": iso(inquiry.closed_at),
        "limit_working_days": inquiry.limit_days,
        "warn_at": iso(inquiry.warn_at),
        "due_provisional": inquiry.due_provisional,
        "clock": selectors.inquiry_clock(inquiry),
        "alerts": [{"level": a.level, "clock": a.clock, "raised_at": iso(a.raised_at), "due_at": iso(a.due_at),
                    "owner": _person(a.owner)} for a in inquiry.alerts.select_related("owner").order_by("id")],
        "application": {"id": inquiry.application.pk, "number": inquiry.application.number,
                        "status": inquiry.application.status} if inquiry.application_id else None,
        "converted_at": iso(inquiry.converted_at),
        "events": [{"at": iso(e.at), "actor": e.actor_label, "action": e.action, "from_status": e.from_status,
                    "to_status": e.to_status, "note": e.note if official or e.action == "answer" else ""}
                   for e in selectors.inquiry_events(inquiry)],
    })
    return data


class CitizenInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class InquiryListCreateApi(APIView):
    class InquiryCreateInput(serializers.Serializer):
        subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        question = serializers.CharField(required=False, allow_blank=True, default="")
        channel = serializers.CharField(required=False, allow_blank=True, default="")
        department = serializers.CharField(required=False, allow_blank=True, allow_null=True, default="")
        citizen_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        citizen_contact = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        citizen = CitizenInput(required=False)

    @extend_schema(request=InquiryCreateInput, responses={201: OpenApiTypes.OBJECT})
    @idempotent
    def post(self, request):
        data = self.InquiryCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        citizen = values.get("citizen") or {}
        inquiry = services.inquiry_create(actor=request.user, data=services.InquiryData(
            question=values["question"], subject=values["subject"], channel=values["channel"],
            department=values["department"] or "",
            citizen_name=values["citizen_name"] or citizen.get("name", ""),
            citizen_contact=values["citizen_contact"] or citizen.get("contact", ""),
        ))
        return Response(inquiry_detail(permissions.inquiry_for_user(request.user, inquiry.pk), request.user),
                        status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="inquiries_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        params = request.query_params
        qs = selectors.inquiry_list(request.user, status=params.get("status"), department=params.get("department"),
                                    owner=params.get("owner"), alert=params.get("alert"),
                                    application=params.get("application"))
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([inquiry_summary(i) for i in page])


class InquiryDetailApi(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk: int):
        return Response(inquiry_detail(permissions.inquiry_for_user(request.user, pk), request.user))


class InquiryActionApi(ObjectActionApi):
    """Base of POST /api/inquiries/{id}/<action>/: an inquiry the caller may not see is a
    404 before anything else; then the service decides (403 / 409)."""

    def find(self, request, pk):
        return permissions.inquiry_for_user(request.user, pk)

    def show(self, request, inquiry):
        return inquiry_detail(inquiry, request.user)


class ReferInput(serializers.Serializer):
    department = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    assignee = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerInput(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True)


class ConvertInput(serializers.Serializer):
    service = serializers.CharField()
    applicant = ApplicantInput(required=False)


def _action_schema(request=None, created: bool = False):
    return extend_schema_view(post=extend_schema(
        request=request, responses={201 if created else 200: OpenApiTypes.OBJECT}))


@_action_schema()
class ClaimApi(InquiryActionApi):
    def act(self, request, inquiry, data):
        services.inquiry_claim(actor=request.user, inquiry_id=inquiry.pk)


@_action_schema(ReferInput)
class ReferApi(InquiryActionApi):
    serializer_class = ReferInput

    def act(self, request, inquiry, data):
        services.inquiry_refer(actor=request.user, inquiry_id=inquiry.pk, department_code=data["department"],
                               note=data["note"], assignee_username=data["assignee"])


@_action_schema()
class AcknowledgeApi(InquiryActionApi):
    def act(self, request, inquiry, data):
        services.inquiry_acknowledge(actor=request.user, inquiry_id=inquiry.pk)


@_action_schema(AnswerInput)
class AnswerApi(InquiryActionApi):
    serializer_class = AnswerInput

    def act(self, request, inquiry, data):
        services.inquiry_answer(actor=request.user, inquiry_id=inquiry.pk, answer=data["answer"])


@_action_schema()
class CloseApi(InquiryActionApi):
    def act(self, request, inquiry, data):
        services.inquiry_close(actor=request.user, inquiry_id=inquiry.pk)


@_action_schema(ConvertInput, created=True)
class ConvertApi(InquiryActionApi):
    serializer_class = ConvertInput
    success_status = status.HTTP_201_CREATED

    def act(self, request, inquiry, data):
        applicant = data.get("applicant") or {}
        services.inquiry_convert(actor=request.user, inquiry_id=inquiry.pk, service_code=data["service"],
                                 applicant=ApplicantData(
                                     name=applicant.get("name") or inquiry.citizen_name,
                                     id_number=applicant.get("id_number", ""),
                                     phone=applicant.get("phone") or inquiry.citizen_contact,
                                     email=applicant.get("email", "")))
