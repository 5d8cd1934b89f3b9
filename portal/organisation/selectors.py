"""Reads about staff shared by the API and the pages (挂牌上岗, AB岗)."""

from django.db.models import Q, QuerySet

from portal.organisation import roles
from portal.organisation.models import RoutedWork, StaffProfile


def profile_of(user) -> StaffProfile | None:
    """The official's profile, read fresh (absence changes while a user object lives)."""
    if user is None or not user.is_authenticated:
        return None
    return StaffProfile.objects.select_related("department", "window", "backup__user").filter(user_id=user.pk).first()


def department_id_of(user) -> int | None:
    profile = getattr(user, "staff_profile", None) if user is not None and user.is_authenticated else None
    return profile.department_id if profile is not None else None


def staff_directory(*, username: str = "", badge: str = "", department: str = "", q: str = "") -> QuerySet:
    """The public directory: active officials with a badge, by department and badge."""
    qs = StaffProfile.objects.filter(user__is_active=True).select_related(
        "user", "department", "window", "backup__user")
    if username:
        qs = qs.filter(user__username=username)
    if badge:
        qs = qs.filter(badge__iexact=badge)
    if department:
        qs = qs.filter(department__code=department)
    if q:
        qs = qs.filter(Q(badge__icontains=q) | Q(user__first_name__icontains=q) | Q(user__last_name__icontains=q)
                       | Q(user__username__icontains=q) | Q(department__name__icontains=q))
    return qs.order_by("department__code", "badge")


def badge_of(user) -> str | None:
    """The badge number a citizen sees next to an official's name, or None."""
    if user is None:
        return None
    profile = getattr(user, "staff_profile", None)
    return profile.badge if profile is not None else None


def may_manage_posts(user, department_id: int | None) -> bool:
    """A department head manages the posts of his department; the center's supervisors all posts."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or roles.has_role(user, roles.SUPERVISOR):
        return True
    return roles.has_role(user, roles.DEPARTMENT_HEAD) and department_id is not None and \
        department_id_of(user) == department_id


def posts_managed_by(user) -> QuerySet:
    """The posts a head (his department) or a supervisor (all) may manage, with their B posts."""
    qs = staff_directory()
    if user.is_superuser or roles.has_role(user, roles.SUPERVISOR):
        return qs
    if roles.has_role(user, roles.DEPARTMENT_HEAD) and department_id_of(user) is not None:
        return qs.filter(department_id=department_id_of(user))
    return qs.none()


def covering(holder) -> QuerySet:
    """Work of absent colleagues that ``holder`` holds as their B post right now."""
    return RoutedWork.objects.filter(holder=holder, returned_at__isnull=True).select_related("absentee")


def routed_away(absentee) -> QuerySet:
    return RoutedWork.objects.filter(absentee=absentee, returned_at__isnull=True).select_related("holder")
