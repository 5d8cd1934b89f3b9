"""Template helpers of the supervision pages and the header links by role."""

from django import template

from accountability.permissions import works_cases
from portal.organisation.roles import DEPARTMENT_HEAD, has_role, is_staff_member
from portal.supervision.permissions import reads_everything

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.9523 → "95.2%"; no value → "—"."""
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def dash(value) -> str:
    return "—" if value is None else value


@register.simple_tag(takes_context=True)
def supervision_links(context) -> dict:
    """Which of the supervision and case-work pages the signed-in person uses."""
    user = context["request"].user
    return {
        "dashboard": reads_everything(user) or has_role(user, DEPARTMENT_HEAD),
        "cases": works_cases(user),
        "own_cases": is_staff_member(user) and not works_cases(user),
    }
