"""Who reads which supervision figures — the one place the API and the pages ask.

Supervisors and the discipline office read every department and official; a
department head reads his own department and its officials. Department figures
without officials are also public (``/statistics/``)."""

from django.contrib.auth import get_user_model

from portal.errors import NotFound, PermissionDenied
from portal.organisation import roles
from portal.organisation.models import Department


def reads_everything(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or roles.has_role(user, roles.SUPERVISOR) or roles.has_role(user, roles.DISCIPLINE)
    )


def reader_scope(user) -> int | None:
    """The department a reader is limited to (None: all); PermissionDenied for anybody else."""
    if reads_everything(user):
        return None
    profile = getattr(user, "staff_profile", None) if user.is_authenticated else None
    if profile is not None and roles.has_role(user, roles.DEPARTMENT_HEAD):
        return profile.department_id
    raise PermissionDenied()


def department_for_reader(user, code: str) -> Department:
    scope = reader_scope(user)
    department = Department.objects.filter(code=code).first()
    if department is None or (scope is not None and department.pk != scope):
        raise NotFound()
    return department


def official_for_reader(user, username: str):
    """An official (a user with a badge) whose figures ``user`` may read: for a department
    head, one of his department or one who decided its stages (a chief representative
    at the window); NotFound otherwise."""
    from approvals.models import Stage

    scope = reader_scope(user)
    official = (get_user_model().objects.select_related("staff_profile__department")
                .filter(username=username, staff_profile__isnull=False).first())
    if official is None:
        raise NotFound()
    if scope is not None and official.staff_profile.department_id != scope and \
            not Stage.objects.filter(assignee=official, department_id=scope).exists():
        raise NotFound()
    return official
