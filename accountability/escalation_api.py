"""REST endpoints of the three responsible persons per department and of the proposals
to extend accountability to a department's leaders (问责延伸, 一把手)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from portal.validation import Text
from rest_framework.response import Response
from rest_framework.views import APIView

from accountability import escalation, permissions
from accountability.api import CaseSummaryOutput, case_summary
from accountability.selectors import escalated_undecided
from accountability.models import ProposalStatus, ResponsiblePersons, SubjectRole
from portal.api.actions import ObjectActionApi
from portal.api.objects import ObjectApi, ObjectDetailApi, ObjectListApi
from portal.api.timestamps import iso
from portal.errors import NotFound, PermissionDenied
from portal.organisation.models import Department
from portal.organisation.selectors import in_reach
from portal.organisation.roles import is_staff_member


def _username(user) -> str | None:
    return user.get_username() if user else None


class ResponsiblePersonsOutput(serializers.Serializer):
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    direct = serializers.SerializerMethodField(help_text="直接责任人: answers for unclaimed work (default: the head)")
    leader_in_charge = serializers.SerializerMethodField(help_text="分管负责人")
    principal = serializers.SerializerMethodField(help_text="主要负责人 (一把手)")

    def get_direct(self, obj) -> str | None:
        return _username(obj.person(SubjectRole.DIRECT))

    def get_leader_in_charge(self, obj) -> str | None:
        return _username(obj.leader_in_charge)

    def get_principal(self, obj) -> str | None:
        return _username(obj.principal)


class ResponsiblePersonsInput(serializers.Serializer):
    direct = Text(required=False, allow_blank=True, allow_null=True)
    leader_in_charge = Text(required=False, allow_blank=True, allow_null=True)
    principal = Text(required=False, allow_blank=True, allow_null=True)


def _departments(user):
    """The departments within ``user``'s reach (三级政务服务)."""
    return Department.objects.filter(in_reach(user, "center"))


def _persons(department: Department) -> ResponsiblePersons:
    persons = (ResponsiblePersons.objects.select_related("department__head", "direct", "leader_in_charge",
                                                         "principal").filter(department=department).first())
    return persons or ResponsiblePersons(department=department)


def _require_staff(user) -> None:
    if not is_staff_member(user):
        raise PermissionDenied()


class ResponsiblePersonsListApi(APIView):
    """三个责任人 of every department within the caller's reach (staff only)."""

    @extend_schema(operation_id="accountability_responsible_persons_list",
                   responses={200: ResponsiblePersonsOutput(many=True)})
    def get(self, request):
        _require_staff(request.user)
        return Response(ResponsiblePersonsOutput([_persons(d) for d in _departments(request.user).order_by("code")],
                                                 many=True).data)


class ResponsiblePersonsDetailApi(APIView):
    @extend_schema(operation_id="accountability_responsible_persons_retrieve",
                   responses={200: ResponsiblePersonsOutput})
    def get(self, request, code: str):
        _require_staff(request.user)
        department = _departments(request.user).filter(code=code).first()
        if department is None:
            raise NotFound()
        return Response(ResponsiblePersonsOutput(_persons(department)).data)

    @extend_schema(operation_id="accountability_responsible_persons_update", request=ResponsiblePersonsInput,
                   responses={200: ResponsiblePersonsOutput})
    def put(self, request, code: str):
        data = ResponsiblePersonsInput(data=request.data)
        data.is_valid(raise_exception=True)
        escalation.responsible_persons_set(actor=request.user, department_code=code, **data.validated_data)
        return Response(ResponsiblePersonsOutput(_persons(_departments(request.user).get(code=code))).data)


class ProposalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    department = serializers.CharField(source="department.code")
    subject = serializers.CharField(source="subject.username")
    subject_role = serializers.ChoiceField(choices=SubjectRole.choices)
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    proposed_at = serializers.DateTimeField()
    window_start = serializers.DateTimeField()
    case_count = serializers.IntegerField()
    cases = serializers.SerializerMethodField()
    reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    case = serializers.CharField(source="case.number", allow_null=True, default=None,
                                 help_text="number of the case opened on confirmation")

    def get_cases(self, obj) -> list[str]:
        return sorted(c.number for c in obj.cases.all())


class ProposalApi(ObjectApi):
    """The proposals about departments within the caller's reach, for case workers only
    (403 for anybody else; a proposal outside his reach is a 404)."""

    output_serializer = ProposalOutput

    def visible(self, request):
        permissions.require_case_worker(request.user)
        return permissions.proposals_visible_to(request.user).select_related(
            "department", "subject", "decided_by", "case").prefetch_related("cases")


class ProposalListApi(ObjectListApi, ProposalApi):
    """问责延伸 proposals, newest first; filter by ``status`` and ``department``."""

    operation_id = "accountability_proposals_list"
    query_parameters = [OpenApiParameter("status", str, description="one status, or several separated by commas"),
                        OpenApiParameter("department", str)]

    def rows(self, request):
        qs = self.visible(request)
        if request.query_params.get("status"):
            qs = qs.filter(status__in=request.query_params["status"].split(","))
        if request.query_params.get("department"):
            qs = qs.filter(department__code=request.query_params["department"])
        return qs.order_by("-proposed_at", "-id")


class ProposalDetailApi(ObjectDetailApi, ProposalApi):
    operation_id = "accountability_proposals_retrieve"


class ProposalActionApi(ObjectActionApi, ProposalApi):
    pass


class ProposalConfirmInput(serializers.Serializer):
    note = Text(required=False, allow_blank=True, default="")


class ProposalDismissInput(serializers.Serializer):
    reason = Text()


class ProposalConfirmApi(ProposalActionApi):
    serializer_class = ProposalConfirmInput

    def act(self, request, obj, data):
        escalation.proposal_confirm(actor=request.user, proposal_id=obj.pk, note=data["note"])


class ProposalDismissApi(ProposalActionApi):
    serializer_class = ProposalDismissInput

    def act(self, request, obj, data):
        escalation.proposal_dismiss(actor=request.user, proposal_id=obj.pk, reason=data["reason"])


class UndecidedCaseOutput(CaseSummaryOutput):
    escalated_at = serializers.DateTimeField()
    status_then = serializers.CharField()
    escalated_to = serializers.CharField(allow_null=True)


class UndecidedCaseListApi(ObjectListApi):
    """责任追究落实不到位: cases escalated to the discipline office's head for being
    undecided past their limit and still undecided, oldest first (case workers only; those
    of the departments within the caller's reach)."""

    output_serializer = UndecidedCaseOutput
    operation_id = "accountability_undecided_list"

    def rows(self, request):
        permissions.require_case_worker(request.user)
        return escalated_undecided(request.user)

    def show_rows(self, request, rows):
        return [
            {**case_summary(e.case), "escalated_at": iso(e.escalated_at), "status_then": e.status_then,
             "escalated_to": e.escalated_to.get_username() if e.escalated_to_id else None} for e in rows]
