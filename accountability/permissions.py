"""Who may see and work accountability cases — the one place every view asks.

The discipline office and the supervisors work the cases of the departments within their
reach (三级政务服务: a county's every case, a township's only its own centers'); the subject
sees his own and may appeal; to anybody else a case does not exist (404)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accountability.models import AccountabilityCase, EscalationProposal
from portal.errors import NotFound, PermissionDenied
from portal.organisation import roles
from portal.organisation.selectors import centers_in_reach, in_reach


def require_case_worker(user) -> None:
    if not roles.oversees(user):
        raise PermissionDenied()


def cases_visible_to(user) -> QuerySet[AccountabilityCase]:
    qs = AccountabilityCase.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if roles.oversees(user):
        centers = centers_in_reach(user)
        return qs if centers is None else qs.filter(Q(department__center_id__in=centers) | Q(subject=user))
    return qs.filter(subject=user)


def case_for_user(user, pk) -> AccountabilityCase:
    """The case if ``user`` may see it; NotFound otherwise."""
    try:
        return cases_visible_to(user).select_related("subject", "department", "investigator").get(pk=pk)
    except (AccountabilityCase.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def reaches_case(user, case: AccountabilityCase) -> bool:
    """Whether the case's department is within ``user``'s reach (三级政务服务): every case for
    the county, a township's own cases for a township's case worker."""
    centers = centers_in_reach(user)
    return centers is None or (case.department_id is not None and case.department.center_id in centers)


def proposals_visible_to(user) -> QuerySet[EscalationProposal]:
    """问责延伸 proposals a case worker reads and decides: those about the departments within
    his reach (三级政务服务: a township's only its own centers', the county's all); none
    for anybody else."""
    if not roles.oversees(user):
        return EscalationProposal.objects.none()
    return EscalationProposal.objects.filter(in_reach(user, "department__center"))


def is_subject(user, case: AccountabilityCase) -> bool:
    return user.is_authenticated and case.subject_id == user.pk


def require_worker_of(user, case: AccountabilityCase) -> None:
    """A case worker, but never on his own case (回避)."""
    require_case_worker(user)
    if is_subject(user, case):
        raise PermissionDenied(_("Nobody works a case against himself."), code="own_case")


def require_subject(user, case: AccountabilityCase) -> None:
    if not is_subject(user, case):
        raise PermissionDenied(_("Only the person the case is against may do this."), code="not_subject")


def require_discipline_office(user) -> None:
    """纪检监察: only the discipline office confirms what the system proposes against leaders."""
    if not roles.in_discipline_office(user):
        raise PermissionDenied(_("Only the discipline office may do this."), code="not_discipline_office")
