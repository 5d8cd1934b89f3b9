"""REST endpoints of accountability cases (SPEC §6). One view per operation: parse the
input, call a service, answer with the case as it now is."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from portal.validation import Text
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accountability import decisions, permissions, selectors, services
from accountability.models import AccountabilityCase, Sanction, Severity, SubjectRole
from portal.api.actions import ObjectActionApi
from portal.api.objects import ObjectApi, ObjectDetailApi, ObjectListApi
from portal.api.idempotency import idempotent
from portal.api.schema import EventOutput
from portal.api.timestamps import iso
from portal.organisation import roles


# What case_summary, case_detail and typical_case render, for the schema (tests/api checks
# every answer against it).


class CaseSummaryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    subject = serializers.CharField()
    subject_name = serializers.CharField()
    subject_role = serializers.ChoiceField(choices=SubjectRole.choices)
    department = serializers.CharField(allow_null=True)
    source = serializers.CharField(help_text="complaint | deemed_approval | red_alert | referral | …")
    source_ref = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    sanction = serializers.CharField(allow_null=True)
    severity = serializers.CharField()
    opened_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class CaseAppealOutput(serializers.Serializer):
    grounds = serializers.CharField(allow_blank=True)
    appealed_at = serializers.DateTimeField()
    upheld = serializers.BooleanField(allow_null=True)
    resolution = serializers.CharField(allow_blank=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    sanction_before = serializers.CharField(allow_null=True)


class UndecidedEscalationOutput(serializers.Serializer):
    """责任追究落实不到位: when the case was escalated for being undecided past its limit."""

    escalated_at = serializers.DateTimeField()
    status_then = serializers.CharField()
    escalated_to = serializers.CharField(allow_null=True)


class RepeatCaseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    source = serializers.CharField()
    status = serializers.CharField()
    sanction = serializers.CharField(allow_null=True)
    opened_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class CaseOutput(CaseSummaryOutput):
    summary = serializers.CharField(allow_blank=True)
    reasoning = serializers.CharField(allow_blank=True)
    investigator = serializers.CharField(allow_null=True)
    publish = serializers.BooleanField()
    public_summary = serializers.CharField(allow_blank=True)
    notified_at = serializers.DateTimeField(allow_null=True)
    appeal_due_at = serializers.DateTimeField(allow_null=True)
    appeal = CaseAppealOutput(allow_null=True)
    final_at = serializers.DateTimeField(allow_null=True)
    appeal_open = serializers.BooleanField()
    undecided_escalation = UndecidedEscalationOutput(allow_null=True)
    events = EventOutput(many=True)
    repeat_cases = RepeatCaseOutput(many=True, required=False, help_text="for those who oversee cases only")
    suggested_sanction = serializers.CharField(required=False, allow_null=True,
                                               help_text="for those who oversee cases only")


class TypicalCaseOutput(serializers.Serializer):
    number = serializers.CharField()
    department = serializers.CharField(allow_null=True)
    department_name = serializers.CharField(allow_null=True)
    subject_role = serializers.ChoiceField(choices=SubjectRole.choices)
    source = serializers.CharField()
    sanction = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    decided_at = serializers.DateTimeField(allow_null=True)


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
        "severity": case.severity,
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
        # Notified and still appealable: not final (办结) until the appeal period ends.
        "appeal_open": case.appeal_open,
        "undecided_escalation": _escalation(case),
        "events": [
            {"at": iso(e.at), "actor": e.actor_label, "action": e.action, "from_status": e.from_status,
             "to_status": e.to_status, "note": e.note}
            for e in selectors.case_events(case)
        ],
    })
    if roles.oversees(user):
        repeats = list(selectors.repeat_cases(case))
        data["repeat_cases"] = [
            {"id": r.pk, "number": r.number, "source": r.source, "status": r.status, "sanction": r.sanction or None,
             "opened_at": iso(r.opened_at), "decided_at": iso(r.decided_at)}
            for r in repeats
        ]
        data["suggested_sanction"] = selectors.suggested_sanction(case, repeats)
    return data


def _escalation(case: AccountabilityCase) -> dict | None:
    """责任追究落实不到位: when the case was escalated for being undecided past its limit."""
    escalation = getattr(case, "undecided_escalation", None)
    if escalation is None:
        return None
    return {"escalated_at": iso(escalation.escalated_at), "status_then": escalation.status_then,
            "escalated_to": escalation.escalated_to.get_username() if escalation.escalated_to_id else None}


class CaseListCreateApi(ObjectListApi):
    """Case workers list every case; anybody else the cases against himself."""

    output_serializer = CaseSummaryOutput
    operation_id = "accountability_cases_list"
    query_parameters = [OpenApiParameter(name, str) for name in ("status", "source", "subject", "department")]

    class CaseReferInput(serializers.Serializer):
        subject = Text(multiline=False)
        subject_role = serializers.ChoiceField(choices=SubjectRole.choices, default=SubjectRole.DIRECT)
        source = Text()
        source_ref = Text(required=False, allow_blank=True, default="")
        summary = Text(required=False, allow_blank=True, default="")
        department = Text(required=False, allow_blank=True, default="")
        severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.ORDINARY)

    def rows(self, request):
        params = request.query_params
        return selectors.case_list(permissions.cases_visible_to(request.user), status=params.get("status"),
                                   source=params.get("source"), subject=params.get("subject"),
                                   department=params.get("department"))

    def show_rows(self, request, rows):
        return [case_summary(c) for c in rows]

    @extend_schema(request=CaseReferInput, responses={201: CaseOutput})
    @idempotent
    def post(self, request):
        data = self.CaseReferInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        case = services.case_refer(actor=request.user, subject_username=v["subject"], subject_role=v["subject_role"],
                                   source=v["source"], source_ref=v["source_ref"], summary=v["summary"],
                                   department_code=v["department"], severity=v["severity"])
        return Response(case_detail(permissions.case_for_user(request.user, case.pk), request.user),
                        status=status.HTTP_201_CREATED)


class CaseApi(ObjectApi):
    """A case the caller may see (a 404 otherwise), as ``case_detail`` shows it to him."""

    output_serializer = CaseOutput

    def find(self, request, pk):
        return permissions.case_for_user(request.user, pk)

    def show(self, request, case):
        return case_detail(case, request.user)


class CaseDetailApi(ObjectDetailApi, CaseApi):
    pass


class CaseActionApi(ObjectActionApi, CaseApi):
    """POST …/cases/{id}/<action>/: a case the caller cannot see is a 404."""


class StartInvestigationInput(serializers.Serializer):
    investigator = Text(required=False, allow_blank=True, default="")


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
    reasoning = Text(allow_blank=True)
    publish = serializers.BooleanField(required=False, default=False)
    public_summary = Text(required=False, allow_blank=True, default="")
    notify = serializers.BooleanField(required=False, default=True)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False, allow_blank=True, default="")


class DecideApi(CaseActionApi):
    serializer_class = DecideInput

    def act(self, request, case, data):
        decisions.case_decide(actor=request.user, case_id=case.pk, **data)


class NotifyApi(CaseActionApi):
    def act(self, request, case, data):
        decisions.case_notify(actor=request.user, case_id=case.pk)


class AppealInput(serializers.Serializer):
    grounds = Text(allow_blank=True)


class AppealApi(CaseActionApi):
    serializer_class = AppealInput

    def act(self, request, case, data):
        decisions.case_appeal(actor=request.user, case_id=case.pk, grounds=data["grounds"])


class ResolveAppealInput(serializers.Serializer):
    upheld = serializers.BooleanField()
    resolution = Text(required=False, allow_blank=True, default="")
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


class TypicalCaseListApi(ObjectListApi):
    permission_classes = [AllowAny]
    output_serializer = TypicalCaseOutput
    operation_id = "accountability_typical_cases_list"

    def rows(self, request):
        return selectors.typical_cases()

    def show_rows(self, request, rows):
        return [typical_case(c) for c in rows]
