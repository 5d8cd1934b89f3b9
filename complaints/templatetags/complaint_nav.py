"""Which complaint and rating links the header shows a person (templates/nav/complaints.html)."""

from django import template

from complaints import permissions
from portal.organisation import roles

register = template.Library()


@register.simple_tag
def complaint_nav(user) -> dict:
    department_id = permissions.staff_department_id(user) if user.is_authenticated else None
    return {
        # Department heads may be named investigators.
        "queue": permissions.is_handler(user) or roles.has_role(user, roles.DEPARTMENT_HEAD),
        "follow_ups": permissions.is_supervisor(user) or (
            department_id is not None and permissions.is_unit_member(user, department_id)),
    }
