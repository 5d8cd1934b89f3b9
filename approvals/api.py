"""REST endpoints for applications (SPEC §6). One view per operation: parse input,
call a service, render the output. Errors are mapped in portal.api.errors."""

from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from approvals import permissions, selectors, services
from approvals.documents import document_pdf
from approvals.models import Application, IssuedDocument
from portal.api.idempotency import idempotent
from portal.errors import NotFound, ValidationFailed
from portal.inquiries.selectors import first_inquiry_officer


def iso(value):
    """ISO 8601 in local time with its offset; a due_at (24:00) reads as 23:59:59."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


class ApplicantInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    id_number = serializers.CharField(max_length=18)
    phone = serializers.CharField(max_length=11)
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class StageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    department = serializers.CharField(source="department.code")
    lead = serializers.BooleanField()
    status = serializers.CharField()
    assignee = serializers.SerializerMethodField()
    due_at = serializers.SerializerMethodField()

    def get_assignee(self, stage) -> str | None:
        return stage.assignee.get_username() if stage.assignee_id else None

    def get_due_at(self, stage) -> str | None:
        return iso(stage.due_at)


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


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


def application_detail(application: Application, user) -> dict:
    data = application_summary(application)
    data["applicant"]["phone"] = application.applicant_phone
    if permissions.may_see_tracking_code(user, application):
        data["tracking_code"] = application.tracking_code
    data.update({
        "submitted_at": iso(application.submitted_at),
        "deemed_accepted": application.deemed_accepted,
        "due_provisional": application.due_provisional,
        "clock": selectors.application_clock(application),
        "stages": StageOutput(selectors.stages_of(application), many=True).data,
        "decision": {
            "outcome": application.outcome or None,
            "decided_at": iso(application.decided_at),
            "certificate_number": application.certificate_number or None,
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
        "first_inquiry_officer": _username(first_inquiry_officer(application)),
        "issued_at": iso(application.issued_at),
        "materials": [
            {"material": f.requirement.code, "name": f.requirement.name, "file_id": f.pk,
             "content_type": f.content_type, "size": f.size, "uploaded_at": iso(f.uploaded_at)}
            for f in application.files.select_related("requirement")
        ],
        "correction_notices": [
            {"sequence": n.sequence, "issued_at": iso(n.issued_at),
             "items": [{"material": i.requirement.code, "reason": i.reason} for i in n.items.all()]}
            for n in application.correction_notices.prefetch_related("items__requirement")
        ],
        "documents": [
            {"id": d.pk, "kind": d.kind, "number": d.number, "issued_at": iso(d.issued_at),
             "pdf": f"/api/applications/{application.pk}/documents/{d.pk}/pdf/"}
            for d in application.documents.all()
        ],
        "events": [
            {"at": iso(e.at), "actor": e.actor_label, "action": e.action, "from_status": e.from_status,
             "to_status": e.to_status, "note": e.note}
            for e in selectors.application_events(application)
        ],
    })
    return data


class ApplicationListCreateApi(APIView):
    class CreateInput(serializers.Serializer):
        service = serializers.CharField()
        applicant = ApplicantInput()

    @extend_schema(request=CreateInput, responses={201: inline_serializer("ApplicationCreated", {
        "id": serializers.IntegerField(), "number": serializers.CharField(), "status": serializers.CharField()})})
    @idempotent
    def post(self, request):
        data = self.CreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_create(
            actor=request.user, service_code=data.validated_data["service"],
            applicant=services.ApplicantData(**data.validated_data["applicant"]),
        )
        return Response(application_detail(application, request.user), status=status.HTTP_201_CREATED)

    def get(self, request):
        qs = selectors.application_list(
            permissions.applications_visible_to(request.user),
            status=request.query_params.get("status"),
            department=request.query_params.get("department"),
            alert=request.query_params.get("alert"),
        )
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([application_summary(a) for a in page])


class ApplicationDetailApi(APIView):
    def get(self, request, pk: int):
        application = permissions.application_for_user(request.user, pk)
        return Response(application_detail(application, request.user))


class ApplicationActionApi(APIView):
    """Base of the POST …/{id}/<action>/ endpoints: check visibility, call the service,
    answer with the application as it now is. Subclasses define ``act``."""

    def post(self, request, pk: int):
        application = permissions.application_for_user(request.user, pk)
        self.act(request, application)
        return Response(application_detail(permissions.application_for_user(request.user, pk), request.user))


class MaterialUploadApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": inline_serializer("MaterialUpload", {
        "material": serializers.CharField(), "file": serializers.FileField()})})
    def post(self, request, pk: int):
        application = permissions.application_for_user(request.user, pk)
        upload = request.FILES.get("file")
        if upload is None or not request.data.get("material"):
            raise ValidationFailed(fields={
                **({"file": ["A file is required."]} if upload is None else {}),
                **({"material": ["The material code is required."]} if not request.data.get("material") else {}),
            })
        material = services.material_upload(actor=request.user, application_id=application.pk,
                                            material_code=request.data["material"], uploaded_file=upload)
        return Response({"id": material.pk, "material": material.requirement.code,
                         "content_type": material.content_type, "size": material.size,
                         "sha256": material.sha256}, status=status.HTTP_201_CREATED)


class MaterialFileApi(APIView):
    def get(self, request, pk: int, file_id: int):
        application = permissions.application_for_user(request.user, pk)
        material = get_object_or_404(application.files, pk=file_id)
        response = FileResponse(material.file.open("rb"), content_type=material.content_type,
                                as_attachment=True, filename=material.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class SubmitApi(ApplicationActionApi):
    def act(self, request, application):
        services.application_submit(actor=request.user, application_id=application.pk)


class ResubmitApi(ApplicationActionApi):
    def act(self, request, application):
        services.application_resubmit(actor=request.user, application_id=application.pk)


class CorrectionNoticeApi(ApplicationActionApi):
    class Input(serializers.Serializer):
        class Item(serializers.Serializer):
            material = serializers.CharField()
            reason = serializers.CharField(allow_blank=True)

        items = Item(many=True)
        note = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(request=Input)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, request, application):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        services.correction_notice_issue(actor=request.user, application_id=application.pk,
                                         items=[dict(i) for i in data.validated_data["items"]],
                                         note=data.validated_data["note"])


class AcceptApi(ApplicationActionApi):
    def act(self, request, application):
        services.application_accept(actor=request.user, application_id=application.pk)


class RefuseApi(ApplicationActionApi):
    class Input(serializers.Serializer):
        reason = serializers.CharField(allow_blank=True, required=False, default="")
        legal_basis = serializers.CharField(allow_blank=True, required=False, default="")

    @extend_schema(request=Input)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, request, application):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        services.application_refuse(actor=request.user, application_id=application.pk, **data.validated_data)


class WithdrawApi(ApplicationActionApi):
    def act(self, request, application):
        services.application_withdraw(actor=request.user, application_id=application.pk,
                                      reason=str(request.data.get("reason", "")))


class DocumentPdfApi(APIView):
    def get(self, request, pk: int, doc_id: int):
        application = permissions.application_for_user(request.user, pk)
        document = get_object_or_404(IssuedDocument, application=application, pk=doc_id)
        return pdf_response(document)


def pdf_response(document: IssuedDocument):
    from django.http import HttpResponse

    response = HttpResponse(document_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.number}.pdf"'
    return response


class TrackApi(APIView):
    """公开查询: progress by number and the code printed on the receipt. No personal data;
    a wrong code is a 404 like an unknown number."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "track"

    def get(self, request, number: str):
        code = request.query_params.get("code", "")
        application = Application.objects.select_related("service").filter(number=number).first()
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
                       for s in selectors.stages_of(application)],
            "decision": {"outcome": application.outcome or None, "decided_at": iso(application.decided_at)},
        })
