"""Who may see and do what with an inquiry — the one place every view and service
asks. An inquiry a person may not see is reported as 404, so its existence does
not leak (the same rule as applications)."""

from django.db.models import Q, QuerySet

from portal.errors import NotFound, PermissionDenied
from inquiries.models import Inquiry, InquiryChannel
from portal.organisation import roles
from portal.organisation.selectors import centers_in_reach, department_id_of

OFFICIAL_ROLES = (roles.WINDOW_CLERK, roles.REVIEWER, roles.DEPARTMENT_HEAD)


def is_official(user) -> bool:
    """Someone a citizen may ask (首问): window clerks, reviewers, department heads."""
    return user.is_authenticated and (user.is_superuser or any(roles.has_role(user, r) for r in OFFICIAL_ROLES))


def is_clerk(user) -> bool:
    return user.is_authenticated and (user.is_superuser or roles.has_role(user, roles.WINDOW_CLERK))


def inquiries_visible_to(user) -> QuerySet[Inquiry]:
    """The owner, the first-inquiry officer, the referred department, the head of the
    owner's department and the supervisors (a township's those its centers own, were asked
    or were referred, ``centers_in_reach``); the citizen his own. Online questions are
    a queue that every clerk (and a department, for those addressed to it) may take
    on: they keep seeing them, so a late claimer learns who was first (409), not 404."""
    qs = Inquiry.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if roles.supervises(user):
        centers = centers_in_reach(user)
        return qs if centers is None else qs.filter(
            Q(owner__staff_profile__department__center_id__in=centers) | Q(department__center_id__in=centers)
            | Q(referred_to__center_id__in=centers))
    visible = Q(citizen=user)
    if is_official(user):
        visible |= Q(owner=user) | Q(first_officer=user) | Q(referee=user)
        department_id = department_id_of(user)
        if is_clerk(user):
            visible |= Q(channel=InquiryChannel.ONLINE)
        if department_id is not None:
            visible |= Q(referred_to_id=department_id) | Q(channel=InquiryChannel.ONLINE,
                                                            department_id=department_id)
            if roles.has_role(user, roles.DEPARTMENT_HEAD):
                visible |= Q(owner__staff_profile__department_id=department_id)
    return qs.filter(visible)


def inquiry_for_user(user, pk) -> Inquiry:
    """The inquiry if ``user`` may see it; NotFound otherwise."""
    try:
        return inquiries_visible_to(user).select_related(
            "owner__staff_profile", "department", "referred_to").get(pk=pk)
    except (Inquiry.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def is_owner(user, inquiry: Inquiry) -> bool:
    return user.is_authenticated and inquiry.owner_id == user.pk


def is_referee_staff(user, inquiry: Inquiry) -> bool:
    """An official of the department the inquiry is referred to."""
    return (inquiry.referred_to_id is not None and is_official(user)
            and department_id_of(user) == inquiry.referred_to_id)


def require_official(user) -> None:
    if not is_official(user):
        raise PermissionDenied()


def require_owner(user, inquiry: Inquiry) -> None:
    """首问负责制: the owner refers, closes and converts; nobody else."""
    if not is_owner(user, inquiry):
        raise PermissionDenied()


def require_owner_or_referee(user, inquiry: Inquiry) -> None:
    if not (is_owner(user, inquiry) or is_referee_staff(user, inquiry)):
        raise PermissionDenied()


def require_referee_staff(user, inquiry: Inquiry) -> None:
    if not is_referee_staff(user, inquiry):
        raise PermissionDenied()
