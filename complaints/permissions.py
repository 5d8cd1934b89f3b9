"""Who may see and do what with complaints and ratings — the one place every view and
service asks. A complaint a person may not see is a 404, so its existence does not leak.

The official a complaint is about never sees it: not in a list, not by id, not even
when he is himself a supervisor or a discipline officer (SPEC §2: the accused never
sees who complained).
"""

import secrets

from django.contrib.auth.models import User
from django.db.models import QuerySet

from complaints.models import Complaint, Evaluation, FollowUp
from portal.errors import NotFound, PermissionDenied
from portal.organisation import roles
from portal.organisation.selectors import centers_in_reach, in_reach

INVESTIGATOR_ROLES = (roles.DISCIPLINE, roles.SUPERVISOR, roles.DEPARTMENT_HEAD)


def is_handler(user) -> bool:
    """The discipline office and the supervisors accept, refuse and assign complaints."""
    return roles.oversees(user)


def complaints_visible_to(user) -> QuerySet[Complaint]:
    qs = Complaint.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if is_handler(user):
        # 三级政务服务: a township's supervisor handles the complaints about his centers' departments.
        return qs.exclude(staff=user).filter(in_reach(user, "department__center"))
    return qs.filter(investigator=user).exclude(staff=user)


def complaint_for_user(user, pk) -> Complaint:
    """The complaint if ``user`` may see it as staff; NotFound otherwise."""
    try:
        return complaints_visible_to(user).select_related(
            "staff__staff_profile", "department", "application", "investigator").get(pk=pk)
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def is_complainant(user, complaint: Complaint) -> bool:
    return user.is_authenticated and complaint.complainant_id == user.pk


def complaint_by_code(number: str, code: str) -> Complaint:
    """公开查询: the complaint whose number and follow-up code both match; NotFound otherwise."""
    number, code = (number or "").strip(), (code or "").strip().upper()
    complaint = Complaint.objects.filter(number=number).first() if number and code else None
    if complaint is None or not secrets.compare_digest(complaint.code.encode(), code.encode()):
        raise NotFound()
    return complaint


def complaint_for_complainant(user, pk, *, number: str = "", code: str = "") -> Complaint:
    """The complaint ``pk`` if the caller is its complainant: signed in as him, or holding
    its number and code. Staff who may see it get 403, everyone else 404."""
    if number or code:
        complaint = complaint_by_code(number, code)
        if str(complaint.pk) != str(pk):
            raise NotFound()
        return complaint
    complaint = Complaint.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if complaint is not None and is_complainant(user, complaint):
        return complaint
    if complaint is not None and complaints_visible_to(user).filter(pk=complaint.pk).exists():
        raise PermissionDenied()
    raise NotFound()


def require_handler(user, complaint: Complaint) -> None:
    if not is_handler(user) or complaint.staff_id == user.pk:
        raise PermissionDenied()
    centers = centers_in_reach(user)
    if centers is not None and not (complaint.department_id and complaint.department.center_id in centers):
        raise PermissionDenied()


def require_investigator(user, complaint: Complaint) -> None:
    """Only the assigned investigator concludes."""
    if not (user.is_authenticated and complaint.investigator_id == user.pk):
        raise PermissionDenied()


def require_replier(user, complaint: Complaint) -> None:
    """The reply goes out from the investigator or the office."""
    if complaint.investigator_id == user.pk and user.is_authenticated:
        return
    require_handler(user, complaint)


def investigator_candidates(complaint: Complaint) -> QuerySet[User]:
    """Who may investigate: active discipline officers, supervisors and department heads —
    never the official complained about, the complainant, or, after a reopening, the
    previous investigator (复查换人)."""
    qs = User.objects.filter(is_active=True, groups__name__in=INVESTIGATOR_ROLES).distinct()
    excluded = [pk for pk in (complaint.staff_id, complaint.complainant_id, complaint.excluded_investigator_id) if pk]
    return qs.exclude(pk__in=excluded).order_by("username")


def staff_department_id(user) -> int | None:
    profile = getattr(user, "staff_profile", None)
    return profile.department_id if profile is not None else None


def is_unit_member(user, department_id: int) -> bool:
    """A reviewer or the head of the handling unit."""
    return user.is_authenticated and staff_department_id(user) == department_id and (
        roles.has_role(user, roles.REVIEWER) or roles.has_role(user, roles.DEPARTMENT_HEAD)
    )


def evaluations_visible_to(user) -> QuerySet[Evaluation]:
    """Supervisors: the ratings of the units within their reach (a township's its own); a
    reviewer or head his unit's; anybody else the ratings of his own applications."""
    qs = Evaluation.objects.all()
    if roles.supervises(user):
        return qs.filter(in_reach(user, "department__center"))
    department_id = staff_department_id(user) if user.is_authenticated else None
    if department_id is not None and (roles.has_role(user, roles.REVIEWER)
                                      or roles.has_role(user, roles.DEPARTMENT_HEAD)):
        return qs.filter(department_id=department_id)
    if user.is_authenticated:
        return qs.filter(application__applicant=user)
    return qs.none()


def evaluation_for_user(user, pk) -> Evaluation:
    try:
        return evaluations_visible_to(user).select_related("application", "service", "department").get(pk=pk)
    except (Evaluation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def follow_ups_visible_to(user) -> QuerySet[FollowUp]:
    qs = FollowUp.objects.all()
    if roles.supervises(user):
        return qs.filter(in_reach(user, "department__center"))
    department_id = staff_department_id(user) if user.is_authenticated else None
    if department_id is not None and is_unit_member(user, department_id):
        return qs.filter(department_id=department_id)
    return qs.none()


def follow_up_for_user(user, pk) -> FollowUp:
    try:
        return follow_ups_visible_to(user).select_related("evaluation__application", "department").get(pk=pk)
    except (FollowUp.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def require_unit_member(user, department_id: int) -> None:
    if not (user.is_superuser or is_unit_member(user, department_id)):
        raise PermissionDenied()


def require_supervisor(user) -> None:
    if not roles.supervises(user):
        raise PermissionDenied()
