"""Reads of accountability cases shared by the API and the pages: the ladder
suggestion for repeat cases, the case history and the public typical cases."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from accountability.models import (
    LADDER, AccountabilityCase, CaseStatus, EscalationProposal, Sanction, UndecidedEscalation,
)
from accountability.permissions import reaches_case
from portal.audit.models import AuditEvent
from portal.organisation import roles
from portal.organisation.models import Department, StaffProfile, official_label
from portal.organisation.selectors import in_reach
from portal.pagination import Ordering
from portal.transitions import transition_sources
from portal.web.list_filters import during

# A sanction counts for the ladder once decided, unless an upheld appeal removed it.
DECIDED = (CaseStatus.DECIDED, CaseStatus.NOTIFIED, CaseStatus.APPEALED, CaseStatus.FINAL)
# Undecided: the states from which a case can still be decided (or first investigated),
# read from the state machine.
UNDECIDED = transition_sources(AccountabilityCase, "decide") | transition_sources(AccountabilityCase,
                                                                                    "start_investigation")


def twelve_months_before(moment: datetime) -> datetime:
    """The same local date and time a year earlier (29 February → 28 February)."""
    local = timezone.localtime(moment)
    try:
        return local.replace(year=local.year - 1)
    except ValueError:
        return local.replace(year=local.year - 1, day=28)


def repeat_cases(case: AccountabilityCase) -> QuerySet[AccountabilityCase]:
    """Earlier cases against the same person opened in the 12 months before this one."""
    return (
        AccountabilityCase.objects.filter(subject_id=case.subject_id,
                                          opened_at__gte=twelve_months_before(case.opened_at))
        .filter(Q(opened_at__lt=case.opened_at) | Q(opened_at=case.opened_at, pk__lt=case.pk))
        .select_related("department").order_by("-opened_at", "-id")
    )


def next_step(sanctions) -> str:
    """One step above the heaviest of ``sanctions`` on the ladder (the first step when
    there is none; the top step stays the top)."""
    ranks = [LADDER.index(s) for s in sanctions if s in LADDER]
    if not ranks:
        return LADDER[0]
    return LADDER[min(max(ranks) + 1, len(LADDER) - 1)]


def suggested_sanction(case: AccountabilityCase, repeats: list[AccountabilityCase]) -> str:
    """再次被追责的，从重: the step after the heaviest sanction of the repeat cases."""
    return next_step(r.sanction for r in repeats if r.status in DECIDED and r.sanction != Sanction.NO_FAULT)


# Newest first; keyset pages (portal.pagination) never count or skip the rows before a page.
CASE_ORDER = Ordering(("opened_at", "id"), descending=True)


def case_list(queryset: QuerySet[AccountabilityCase], *, status=None, source=None, subject=None,
              department=None, q: str | None = None, opened_from=None,
              opened_until=None) -> QuerySet[AccountabilityCase]:
    """Cases of ``queryset`` in ``status``/``source`` (comma-separated codes), of ``subject``
    (username) and ``department`` (code or object), with the number or the subject's badge
    ``q`` (exact, any case), opened in [``opened_from``, ``opened_until``), newest first."""
    qs = queryset.select_related("subject", "department")
    if status:
        qs = qs.filter(status__in=status.split(","))
    if source:
        qs = qs.filter(source__in=source.split(","))
    if subject:
        qs = qs.filter(subject__username=subject)
    if isinstance(department, Department):
        qs = qs.filter(department=department)
    elif department:
        qs = qs.filter(department__code=department)
    if q:
        qs = qs.filter(Q(number=q.strip().upper()) | Q(subject__staff_profile__badge=q.strip().upper()))
    qs = during(qs, "opened_at", opened_from, opened_until)
    return qs.order_by("-opened_at", "-id")


# 问责延伸 proposals, newest first; keyset pages.
PROPOSAL_ORDER = Ordering(("proposed_at", "id"), descending=True)


def proposal_search(proposals: QuerySet[EscalationProposal], *, status: str | None = None, q: str | None = None,
                    department=None, subject_role: str | None = None, proposed_from=None,
                    proposed_until=None) -> QuerySet[EscalationProposal]:
    """``proposals`` narrowed by the list's filters: one ``status``; the proposal's number or the
    subject's badge ``q`` (exact, any case); the ``department``; the leader proposed against
    (``subject_role``); proposed in [``proposed_from``, ``proposed_until``)."""
    if status:
        proposals = proposals.filter(status=status)
    if q:
        q = q.strip().upper()
        proposals = proposals.filter(Q(number=q) | Q(subject__staff_profile__badge=q))
    if department is not None:
        proposals = proposals.filter(department=department)
    if subject_role:
        proposals = proposals.filter(subject_role=subject_role)
    return during(proposals, "proposed_at", proposed_from, proposed_until)


def case_events(case: AccountabilityCase) -> QuerySet[AuditEvent]:
    return (AuditEvent.objects.filter(object_type=case._meta.model_name, object_id=case.pk)
            .select_related("actor__staff_profile").order_by("id"))


# Newest decision first (a decided case has its decision time); keyset pages.
TYPICAL_ORDER = Ordering(("decided_at", "id"), descending=True)


def typical_cases() -> QuerySet[AccountabilityCase]:
    """典型案例: decisions marked for publication once served on the subject; one under
    appeal is withdrawn until the appeal is decided, one quashed to no fault is gone."""
    return (
        AccountabilityCase.objects.filter(publish=True, status__in=[CaseStatus.NOTIFIED, CaseStatus.FINAL])
        .exclude(sanction=Sanction.NO_FAULT).select_related("department").order_by("-decided_at", "-id")
    )


def investigator_choices(case: AccountabilityCase) -> list[tuple[str, str]]:
    """Case workers who may investigate ``case`` (not its subject, and reaching its department:
    a township's supervisor never gets a county case he could not read), by name and badge."""
    people = (get_user_model().objects.filter(is_active=True, groups__name__in=[roles.DISCIPLINE, roles.SUPERVISOR])
              .exclude(pk=case.subject_id).select_related("staff_profile").distinct().order_by("last_name", "id"))
    return [(u.get_username(), official_label(u)) for u in people if reaches_case(u, case)]


def subject_choices(actor) -> list[tuple[str, str]]:
    """Officials ``actor`` may open a case against (those of the centers within his reach),
    by department, name and badge."""
    profiles = (StaffProfile.objects.filter(in_reach(actor, "department__center"))
                .select_related("user", "department").order_by("department__code", "badge"))
    return [(p.user.get_username(), f"{p.department.display_name} · {official_label(p.user)}") for p in profiles]


def escalated_undecided(reader) -> QuerySet[UndecidedEscalation]:
    """责任追究落实不到位: the escalated cases still undecided, oldest first (the dashboard's
    list), of the departments within ``reader``'s reach (三级政务服务: a township's only
    its own centers', the county's all)."""
    return (UndecidedEscalation.objects.filter(case__status__in=UNDECIDED)
            .filter(in_reach(reader, "case__department__center"))
            .select_related("case__subject", "case__department", "escalated_to").order_by("escalated_at", "id"))
