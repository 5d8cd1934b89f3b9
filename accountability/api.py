"""REST endpoints of accountability cases (SPEC §6). One view per operation: parse the
input, call a service, answer with the case as it now is."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accountability import decisions, permissions, selectors, services
from accountability.models import AccountabilityCase, Sanction, SubjectRole
from approvals.api import iso
from portal.api.actions import ObjectActionApi
from portal.api.idempotency import idempotent


def case_summary(case: AccountabilityCase) -> dict:
    return {
        "id": case.pk,
        "number": case.number,
        "subject": case.subject.get_username(),
        "subject_name": case.subject.get_full_name() or case.subject.get_username(),
        "subject_role": case.subject_role,
        "department": case.department.code if case.department_id else None,
        "source": case.source,
        "source_ref": case.source_ref,
        "status": case.status,
        "sanction": case.sanction or None,
        "opened_at": iso(case.opened_at),
        "decided_at": iso(case.decided_at),
    }


def case_detail(case: AccountabilityCase, user) -> dict:
    data = case_summary(case)
    data.update({
        "summary": case.summary,
        "reasoning": case.reasoning,
        "investigator": case.investigator.get_username() if case.investigator_id else None,
        "publish": case.publish,
        "public_summary": case.public_summary,
        "notified_at": iso(case.notified_at),
        "appeal_due_at": iso(case.appeal_due_at),
        "appeal": {
            "grounds": case.appeal_grounds, "appealed_at": iso(case.appealed_at), "upheld": case.appeal_upheld,
            "resolution": case.appeal_resolution, "resolved_at": iso(case.appeal_resolved_at),
            "sanction_before": case.sanction_before_appeal or None,
        } if case.appealed_at else None,
        "final_at": iso(case.final_at),
        "events": [
            {"at": iso(e.at), "actor": e.actor_label, "action": e.action, "from_status": e.from_status,
             "to_status": e.to_status, "note": e.note}
            for e in selectors.case_events(case)
        ],
    })
    if permissions.works_cases(user):
        repeats = list(selectors.repeat_cases(case))
        data["repeat_cases"] = [
            {"id": r.pk, "number": r.number, "source": r.source, "status": r.status, "sanction": r.sanction or None,
             "opened_at": iso(r.opened_at), "decided_at": iso(r.decided_at)}
            for r in repeats
        ]
        data["suggested_sanction"] = selectors.suggested_sanction(case, repeats)
    return data


class CaseListCreateApi(APIView):
    """Case workers list every case; anybody else the cases against himself."""

    class CaseReferInput(serializers.Serializer):
        subject = serializers.CharField()
        subject_role = serializers.ChoiceField(choices=SubjectRole.choices, default=SubjectRole.DIRECT)
        source = serializers.CharField()
        source_ref = serializers.CharField(required=False, allow_blank=True, default="")
        summary = serializers.CharField(required=False, allow_blank=True, default="")
        department = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(operation_id="accountability_cases_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        params = request.query_params
        qs = selectors.case_list(permissions.cases_visible_to(request.user), status=params.get("status"),
                                 source=params.get("source"), subject=params.get("subject"),
                                 department=params.get("department"))
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([case_summary(c) for c in page])

    @extend_schema(request=CaseReferInput, responses={201: OpenApiTypes.OBJECT})
    @idempotent
    def post(self, request):
        data = self.CaseReferInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        case = services.case_refer(actor=request.user, subject_username=v["subject"], subject_role=v["subject_role"],
                                   source=v["source"], source_ref=v["source_ref"], summary=v["summary"],
                                   department_code=v["department"])
        return Response(case_detail(permissions.case_for_user(request.user, case.pk), request.user),
                        status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk: int):
        return Response(case_detail(permissions.case_for_user(request.user, pk), request.user))


class CaseActionApi(ObjectActionApi):
    """POST …/cases/{id}/<action>/: a case the caller cannot see is a 404."""

    def find(self, request, pk):
        return permissions.case_for_user(request.user, pk)

    def show(self, request, case):
        return case_detail(case, request.user)


class StartInvestigationInput(serializers.Serializer):
    investigator = serializers.CharField(required=False, allow_blank=True, default="")


class StartInvestigationApi(CaseActionApi):
    serializer_class = StartInvestigationInput

    def act(self, request, case, data):
        decisions.case_start_investigation(actor=request.user, case_id=case.pk,
                                           investigator_username=data["investigator"])


# Other spellings of the ladder's steps (SPEC §4 names them in prose), accepted on input.
SANCTION_ALIASES = {
    "warning": Sanction.EFFICIENCY_WARNING,
    "admonishment_talk": Sanction.ADMONISHMENT,
    "criticism": Sanction.CIRCULATED_CRITICISM,
    "removal": Sanction.REMOVAL_FROM_POST,
    "referral_for_disciplinary_sanction": Sanction.DISCIPLINARY_REFERRAL,
    "disciplinary_sanction": Sanction.DISCIPLINARY_REFERRAL,
    "none": Sanction.NO_FAULT,
}


class SanctionField(serializers.ChoiceField):
    def to_internal_value(self, data):
        key = str(data).strip().lower().replace(" ", "_").replace("-", "_")
        return super().to_internal_value(SANCTION_ALIASES.get(key, key))


class DecideInput(serializers.Serializer):
    sanction = SanctionField(choices=Sanction.choices)
    reasoning = serializers.CharField(required=False, allow_blank=True, default="")
    publish = serializers.BooleanField(required=False, default=False)
    public_summary = serializers.CharField(required=False, allow_blank=True, default="")
    notify = serializers.BooleanField(required=False, default=True)


class DecideApi(CaseActionApi):
    serializer_class = DecideInput

    def act(self, request, case, data):
        decisions.case_decide(actor=request.user, case_id=case.pk, **data)


class NotifyApi(CaseActionApi):
    def act(self, request, case, data):
        decisions.case_notify(actor=request.user, case_id=case.pk)


class AppealInput(serializers.Serializer):
    grounds = serializers.CharField(required=False, allow_blank=True, default="")


class AppealApi(CaseActionApi):
    serializer_class = AppealInput

    def act(self, request, case, data):
        decisions.case_appeal(actor=request.user, case_id=case.pk, grounds=data["grounds"])


class ResolveAppealInput(serializers.Serializer):
    upheld = serializers.BooleanField()
    resolution = serializers.CharField(required=False, allow_blank=True, default="")
    sanction = serializers.ChoiceField(choices=Sanction.choices, required=False, allow_blank=True, default="")


class ResolveAppealApi(CaseActionApi):
    serializer_class = ResolveAppealInput

    def act(self, request, case, data):
        decisions.case_resolve_appeal(actor=request.user, case_id=case.pk, upheld=data["upheld"],
                                      resolution=data["resolution"], sanction=data["sanction"] or None)


def typical_case(case: AccountabilityCase) -> dict:
    """典型案例 as published: department, role, sanction and summary — never the name."""
    return {
        "number": case.number,
        "department": case.department.code if case.department_id else None,
        "department_name": case.department.name if case.department_id else None,
        "subject_role": case.subject_role,
        "source": case.source,
        "sanction": case.sanction,
        "summary": case.public_summary or case.summary,
        "decided_at": iso(case.decided_at),
    }


class TypicalCaseListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(selectors.typical_cases(), request, view=self)
        return paginator.get_paginated_response([typical_case(c) for c in page])
