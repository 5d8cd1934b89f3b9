"""Template helpers for staff: role checks for the navigation, and the official's
name with his badge number wherever a citizen sees his work (挂牌上岗).

    {% load portal_staff %}
    {% official application.intake_clerk %}     → 王晓窗 · 工号 C0101 (links to /staff/C0101/)
    {% if user|has_any_role:"reviewer,department_head" %}…{% endif %}
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from portal.organisation import roles
from portal.organisation.selectors import may_manage_posts

register = template.Library()


@register.filter
def has_any_role(user, names: str) -> bool:
    """Whether ``user`` has one of the comma-separated roles (superusers have all)."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or any(roles.has_role(user, name.strip()) for name in names.split(","))


@register.filter
def manages_posts(user) -> bool:
    """A department head or a supervisor: he names B posts and marks absences."""
    if user is None or not user.is_authenticated:
        return False
    profile = getattr(user, "staff_profile", None)
    return may_manage_posts(user, profile.department_id if profile else None)


@register.simple_tag
def official(user):
    """The official's name and badge number, linked to his public badge page."""
    if user is None:
        return "—"
    name = user.get_full_name() or user.get_username()
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return name
    return format_html('<a class="official" href="{}" data-badge="{}">{} · <span class="badge-no">{} {}</span></a>',
                       reverse("staff-badge", args=[profile.badge]), profile.badge, name, _("Badge"), profile.badge)
