"""REST endpoints of inquiries (SPEC §6). One view per operation: parse input, call a
service, render the inquiry as it now is. Errors are mapped in portal.api.errors."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from portal.validation import Text
from rest_framework.response import Response

from approvals.api import ApplicantInput
from approvals.services import ApplicantData
from portal.api.actions import ObjectActionApi
from portal.api.objects import ObjectApi, ObjectDetailApi, ObjectListApi
from portal.api.idempotency import idempotent
from portal.api.schema import EventOutput
from portal.api.timestamps import iso
from inquiries import permissions, selectors, services
from inquiries.models import Inquiry
from portal.organisation import roles
from portal.organisation.selectors import badge_of


def _person(user) -> str | None:
    return user.get_username() if user is not None else None


# What inquiry_summary and inquiry_detail render, for the schema (tests/api checks every
# answer against it).


class InquirySummaryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    channel = serializers.CharField()
    subject = serializers.CharField(allow_blank=True)
    department = serializers.CharField(allow_null=True, help_text="the department that now answers")
    referred_to = serializers.CharField(allow_null=True)
    owner = serializers.CharField(allow_null=True)
    owner_badge = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    alert = serializers.ChoiceField(choices=["none", "yellow", "red"])


class InquiryCitizenOutput(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    contact = serializers.CharField(allow_blank=True)
    username = serializers.CharField(allow_null=True)


class ReferralOutput(serializers.Serializer):
    department = serializers.CharField()
    note = serializers.CharField(allow_blank=True, help_text="blank for a citizen")
    referred_at = serializers.DateTimeField(allow_null=True)
    referred_by = serializers.CharField(allow_null=True)
    referee = serializers.CharField(allow_null=True)
    referee_badge = serializers.CharField(allow_null=True)
    acknowledged = serializers.BooleanField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class InquiryClockOutput(serializers.Serializer):
    running = serializers.BooleanField()
    remaining_working_days = serializers.IntegerField(allow_null=True)


class InquiryAlertOutput(serializers.Serializer):
    level = serializers.ChoiceField(choices=["yellow", "red"])
    clock = serializers.IntegerField()
    raised_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    owner = serializers.CharField(allow_null=True)


class ConvertedApplicationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    status = serializers.CharField()


class InquiryOutput(InquirySummaryOutput):
    question = serializers.CharField(allow_blank=True)
    concerns = serializers.CharField(allow_null=True, help_text="the department first asked about")
    citizen = InquiryCitizenOutput()
    owner_name = serializers.CharField(allow_null=True)
    first_inquiry_officer = serializers.CharField(allow_null=True)
    first_inquiry_officer_badge = serializers.CharField(allow_null=True)
    claimed_at = serializers.DateTimeField(allow_null=True)
    referral = ReferralOutput(allow_null=True)
    answer = serializers.CharField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    answered_by = serializers.CharField(allow_null=True)
    answered_by_badge = serializers.CharField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    limit_working_days = serializers.IntegerField()
    warn_at = serializers.DateTimeField(allow_null=True)
    due_provisional = serializers.BooleanField()
    clock = InquiryClockOutput()
    alerts = InquiryAlertOutput(many=True)
    application = ConvertedApplicationOutput(allow_null=True)
    converted_at = serializers.DateTimeField(allow_null=True)
    events = EventOutput(many=True, help_text="notes are blank for a citizen (but an answer's)")


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
    official = permissions.is_official(user) or roles.supervises(user)
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
    name = Text(multiline=False, max_length=200, required=False, allow_blank=True, default="")
    contact = Text(multiline=False, max_length=200, required=False, allow_blank=True, default="")


class InquiryApi(ObjectApi):
    """An inquiry the caller may see (a 404 otherwise), as ``inquiry_detail`` shows it to him."""

    output_serializer = InquiryOutput

    def find(self, request, pk):
        return permissions.inquiry_for_user(request.user, pk)

    def show(self, request, inquiry):
        return inquiry_detail(inquiry, request.user)


class InquiryListCreateApi(ObjectListApi, InquiryApi):
    output_serializer = InquirySummaryOutput
    operation_id = "inquiries_list"
    query_parameters = [*[OpenApiParameter(name, str) for name in ("status", "department", "owner", "alert")],
                        OpenApiParameter("application", str, description="application id or number")]

    class InquiryCreateInput(serializers.Serializer):
        subject = Text(multiline=False, max_length=200, required=False, allow_blank=True, default="")
        question = Text(required=False, allow_blank=True, default="")
        channel = Text(required=False, allow_blank=True, default="")
        department = Text(required=False, allow_blank=True, allow_null=True, default="")
        citizen_name = Text(multiline=False, max_length=200, required=False, allow_blank=True, default="")
        citizen_contact = Text(multiline=False, max_length=200, required=False, allow_blank=True, default="")
        citizen = CitizenInput(required=False)

    @extend_schema(request=InquiryCreateInput, responses={201: InquiryOutput})
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
        return Response(self.show(request, self.find(request, inquiry.pk)), status=status.HTTP_201_CREATED)

    def rows(self, request):
        params = request.query_params
        return selectors.inquiry_list(request.user, status=params.get("status"), department=params.get("department"),
                                      owner=params.get("owner"), alert=params.get("alert"),
                                      application=params.get("application"))

    def show_rows(self, request, rows):
        return [inquiry_summary(i) for i in rows]


class InquiryDetailApi(ObjectDetailApi, InquiryApi):
    pass


class InquiryActionApi(ObjectActionApi, InquiryApi):
    """Base of POST /api/inquiries/{id}/<action>/: an inquiry the caller may not see is a
    404 before anything else; then the service decides (403 / 409)."""


class ReferInput(serializers.Serializer):
    department = Text()
    note = Text(required=False, allow_blank=True, default="")
    assignee = Text(required=False, allow_blank=True, default="")


class InquiryAnswerInput(serializers.Serializer):
    answer = Text(allow_blank=True)


class ConvertInput(serializers.Serializer):
    service = Text()
    applicant = ApplicantInput(required=False)


class ClaimApi(InquiryActionApi):
    def act(self, request, inquiry, data):
        services.inquiry_claim(actor=request.user, inquiry_id=inquiry.pk)


class ReferApi(InquiryActionApi):
    serializer_class = ReferInput

    def act(self, request, inquiry, data):
        services.inquiry_refer(actor=request.user, inquiry_id=inquiry.pk, department_code=data["department"],
                               note=data["note"], assignee_username=data["assignee"])


class AcknowledgeApi(InquiryActionApi):
    def act(self, request, inquiry, data):
        services.inquiry_acknowledge(actor=request.user, inquiry_id=inquiry.pk)


class AnswerApi(InquiryActionApi):
    serializer_class = InquiryAnswerInput

    def act(self, request, inquiry, data):
        services.inquiry_answer(actor=request.user, inquiry_id=inquiry.pk, answer=data["answer"])


class CloseApi(InquiryActionApi):
    def act(self, request, inquiry, data):
        services.inquiry_close(actor=request.user, inquiry_id=inquiry.pk)


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
