"""Template helper for staff: the official's
name with his badge number wherever a citizen sees his work (挂牌上岗).

    {% load portal_staff %}
    {% official application.intake_clerk %}     → 王晓窗 · 工号 C0101 (links to /staff/C0101/)
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def official(user):
    """The official's name and badge number, linked to his public badge page."""
    if user is None:
        return "—"
    name = user.get_full_name() or _("official")
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return name
    return format_html('<a class="official" href="{}" data-badge="{}">{} · <span class="badge-no">{} {}</span></a>',
                       reverse("staff-badge", args=[profile.badge]), profile.badge, name, _("Badge"), profile.badge)
