"""Staff roles are Django groups; their names are fixed here and nowhere else."""

from django.utils.translation import gettext_lazy as _

WINDOW_CLERK = "window_clerk"
REVIEWER = "reviewer"
DEPARTMENT_HEAD = "department_head"
SUPERVISOR = "supervisor"
DISCIPLINE = "discipline"

ROLE_LABELS = {
    WINDOW_CLERK: _("window clerk"),
    REVIEWER: _("reviewer"),
    DEPARTMENT_HEAD: _("department head"),
    SUPERVISOR: _("supervisor"),
    DISCIPLINE: _("discipline officer"),
}
ALL_ROLES = tuple(ROLE_LABELS)


def has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._portal_roles = cached
    return role in cached


def is_staff_member(user) -> bool:
    return user.is_authenticated and (user.is_superuser or any(has_role(user, r) for r in ALL_ROLES))
