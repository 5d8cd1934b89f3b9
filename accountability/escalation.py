"""以部门"一把手"为重点的行政问责: repeated cases in one department extend to its
leaders (the three responsible persons: 直接责任人, 分管负责人, 主要负责人).

A step of the deadline sweep counts, per department, the cases against its officials
as directly responsible persons within the last 12 months (a case decided "no fault"
does not count). ``settings.ESCALATION_LEADER_CASES`` of them since the last proposal
against the leader in charge propose a case against him;
``settings.ESCALATION_PRINCIPAL_CASES`` since the last one against the principal
propose one against the principal. A serious case (情节严重, ``severity``) since the
last proposal against the leader in charge proposes one against him at once, without
waiting for the count. The system only proposes: the discipline office
confirms (a case is opened, source ``referral``, the proposal number as reference) or
dismisses with a reason.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accountability import permissions
from accountability.models import (
    AccountabilityCase,
    CaseSource,
    EscalationProposal,
    ProposalStatus,
    ResponsiblePersons,
    Sanction,
    Severity,
    SubjectRole,
)
from accountability.selectors import twelve_months_before
from accountability.services import case_open
from portal.audit.services import audit_log
from portal.errors import NotFound, StateConflict, ValidationFailed
from portal.locking import for_update, locked
from portal.organisation.models import Department
from portal.organisation.selectors import in_reach
from portal.transitions import transition_run

ESCALATED_ROLES = (SubjectRole.LEADER_IN_CHARGE, SubjectRole.PRINCIPAL)


def threshold(role: str) -> int:
    return {SubjectRole.LEADER_IN_CHARGE: settings.ESCALATION_LEADER_CASES,
            SubjectRole.PRINCIPAL: settings.ESCALATION_PRINCIPAL_CASES}[role]


def counted_cases(department_id: int, *, since, limit: int, serious: bool = False) -> list[int]:
    """Ids of up to ``limit`` cases against the department's officials as directly
    responsible persons opened after ``since`` (no-fault decisions left out); only the
    serious ones with ``serious``."""
    qs = AccountabilityCase.objects.filter(department_id=department_id, subject_role=SubjectRole.DIRECT,
                                           opened_at__gt=since)
    if serious:
        qs = qs.filter(severity=Severity.SERIOUS)
    return list(qs.exclude(sanction=Sanction.NO_FAULT).order_by("-opened_at", "-id")
                .values_list("pk", flat=True)[:limit])


def _propose(persons: ResponsiblePersons, role: str, now) -> EscalationProposal | None:
    subject = persons.person(role)
    if subject is None:
        return None
    window_start = twelve_months_before(now)
    last = (EscalationProposal.objects.filter(department_id=persons.department_id, subject_role=role)
            .order_by("-proposed_at").values_list("proposed_at", flat=True).first())
    since = max(window_start, last) if last else window_start
    needed = threshold(role)
    cases = counted_cases(persons.department_id, since=since, limit=needed)
    serious = []
    if len(cases) < needed and role == SubjectRole.LEADER_IN_CHARGE:
        serious = counted_cases(persons.department_id, since=since, limit=needed, serious=True)
    if len(cases) < needed and not serious:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        if serious:
            cases = serious
            reason = _("%(count)d serious case(s) against officials of %(department)s: the %(role)s answers for "
                       "the department.") % {"count": len(cases), "department": persons.department.name,
                                              "role": SubjectRole(role).label}
        else:
            reason = _("%(count)d cases against officials of %(department)s within 12 months: the %(role)s "
                       "answers for the department.") % {"count": len(cases), "department": persons.department.name,
                                                          "role": SubjectRole(role).label}
    proposal = EscalationProposal.objects.create(
        number=f"tmp-{persons.department_id}-{role}-{now.timestamp()}", department_id=persons.department_id,
        subject=subject, subject_role=role, proposed_at=now, window_start=window_start, case_count=len(cases),
        reason=reason)
    proposal.number = f"WZ{timezone.localdate(now):%Y}-{proposal.pk:06d}"
    proposal.save(update_fields=["number"])
    proposal.cases.set(cases)
    audit_log(actor=None, obj=proposal, action="propose", to_status=proposal.status, note=reason, at=now,
              data={"department": persons.department.code, "subject": subject.get_username(), "role": role})
    return proposal


def escalation_proposals_make(now, batch: int):
    """Deadline-sweep step: propose cases against leaders where repeated cases call for it.
    Each department's responsible persons row is claimed with SKIP LOCKED, so two sweeps
    never propose the same thing twice."""
    made = 0
    with transaction.atomic():
        rows = list(for_update(ResponsiblePersons.objects.all(), skip_locked=True)
                    .select_related("department__head", "direct", "leader_in_charge", "principal").order_by("pk"))
        for persons in rows:
            for role in ESCALATED_ROLES:
                made += _propose(persons, role, now) is not None
    # Claimed nothing the sweep should loop on: every department was looked at.
    return made, 0


STEPS = [("escalation_proposals", escalation_proposals_make)]


def _locked(actor, proposal_id) -> EscalationProposal:
    """The proposal under its row lock, if it is within ``actor``'s reach; NotFound otherwise."""
    return locked(permissions.proposals_visible_to(actor), proposal_id, related=("subject", "department"))


def proposal_confirm(*, actor, proposal_id, note: str = "") -> EscalationProposal:
    """问责延伸 confirmed by the discipline office: a case is opened against the leader."""
    permissions.require_discipline_office(actor)
    now = timezone.now()
    with transaction.atomic():
        proposal = _locked(actor, proposal_id)
        if proposal.subject_id == actor.pk:
            raise StateConflict(_("Nobody works a case against himself."), code="own_case")
        transition_run(proposal, "confirm")
        summary = proposal.reason + (f"\n{note.strip()}" if note and note.strip() else "")
        proposal.case = case_open(subject=proposal.subject, subject_role=proposal.subject_role,
                                  source=CaseSource.REFERRAL, source_ref=proposal.number,
                                  department=proposal.department, summary=summary, opened_by=actor, now=now)
        proposal.decided_at, proposal.decided_by = now, actor
        proposal.save(update_fields=["status", "case", "decided_at", "decided_by"])
        audit_log(actor=actor, obj=proposal, action="confirm", from_status=ProposalStatus.PROPOSED,
                  to_status=proposal.status, note=proposal.case.number, at=now)
    return proposal


def proposal_dismiss(*, actor, proposal_id, reason: str) -> EscalationProposal:
    """问责延伸 dismissed by the discipline office, with the reason kept."""
    permissions.require_discipline_office(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the proposal is dismissed."), fields={"reason": [_("This field is required.")]})
    now = timezone.now()
    with transaction.atomic():
        proposal = _locked(actor, proposal_id)
        transition_run(proposal, "dismiss")
        proposal.reason = f"{proposal.reason}\n{reason}"
        proposal.decided_at, proposal.decided_by = now, actor
        proposal.save(update_fields=["status", "reason", "decided_at", "decided_by"])
        audit_log(actor=actor, obj=proposal, action="dismiss", from_status=ProposalStatus.PROPOSED,
                  to_status=proposal.status, note=reason, at=now)
    return proposal


def responsible_persons_set(*, actor, department_code: str, **usernames: str | None) -> ResponsiblePersons:
    """Name a department's three responsible persons (直接责任人, 分管负责人, 主要负责人);
    a role left out keeps its person, an empty username clears it. Only for a department
    within the actor's reach (三级政务服务); NotFound for any other."""
    permissions.require_discipline_office(actor)
    department = Department.objects.filter(in_reach(actor, "center"), code=department_code).first()
    if department is None:
        raise NotFound()
    users = {}
    fields = {}
    for role, username in usernames.items():
        if role not in SubjectRole.values:
            continue
        if not username:
            users[role] = None
            continue
        users[role] = get_user_model().objects.filter(username=username, is_active=True).first()
        if users[role] is None:
            fields[role] = [_("No official with this username.")]
    if fields:
        raise ValidationFailed(_("The responsible persons cannot be set."), fields=fields)
    with transaction.atomic():
        persons, _created = for_update(ResponsiblePersons.objects.all()).get_or_create(department=department)
        for role, user in users.items():
            setattr(persons, role, user)
        persons.save()
        audit_log(actor=actor, obj=persons, action="responsible_persons_set", note=department.code,
                  data={role: (u.get_username() if u else "") for role, u in users.items()})
    return persons
