"""Who reads which supervision figures — the one place the API and the pages ask.

Supervisors and the discipline office read every department and official of their
center and the centers below it (三级政务服务: a county supervisor the whole county, a
township supervisor only his township); a department head reads his own department and
its officials. Department figures without officials are also public (``/statistics/``)."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from portal.errors import NotFound, PermissionDenied
from portal.organisation import roles
from portal.organisation.models import Department
from portal.organisation.selectors import centers_in_reach, in_reach
from approvals.models import Stage
from supervision.facts import department_lookup

# A reader's scope: one department (a head), the departments of a township's centers (a
# tuple of ids), or every department (None).
Scope = int | tuple[int, ...] | None


def reader_scope(user) -> Scope:
    """The departments a reader is limited to; PermissionDenied for anybody else. Whoever
    oversees from a township (or a proxy point) reads the departments of his center and the
    centers below it; from the county center (or with no center: a superuser), all."""
    if roles.oversees(user):
        if centers_in_reach(user) is None:
            return None
        return tuple(Department.objects.filter(in_reach(user, "center")).order_by("pk").values_list("pk", flat=True))
    profile = getattr(user, "staff_profile", None) if user.is_authenticated else None
    if profile is not None and roles.has_role(user, roles.DEPARTMENT_HEAD):
        return profile.department_id
    raise PermissionDenied()


def in_scope(scope: Scope, department_id: int | None) -> bool:
    if scope is None:
        return True
    return department_id in scope if isinstance(scope, tuple) else department_id == scope


def department_for_reader(user, code: str) -> Department:
    scope = reader_scope(user)
    department = Department.objects.filter(code=code).first()
    if department is None or not in_scope(scope, department.pk):
        raise NotFound()
    return department


def official_for_reader(user, username: str):
    """An official (a user with a badge) whose figures ``user`` may read: for a department
    head, one of his department or one who decided its stages (a chief representative
    at the window); NotFound otherwise."""
    scope = reader_scope(user)
    official = (get_user_model().objects.select_related("staff_profile__department")
                .filter(username=username, staff_profile__isnull=False).first())
    if official is None:
        raise NotFound()
    if not in_scope(scope, official.staff_profile.department_id) and \
            not Stage.objects.filter(assignee=official, **department_lookup(scope)).exists():
        raise NotFound()
    return official


def inspection_findings_scope(user) -> Q | None:
    """明查暗访, who reads which findings of the visits: supervisors and the discipline office
    every finding of the visits to a center in their reach (None: every finding; a township's
    only the visits to his township, ``in_reach``); a department head the findings at his department's windows or about
    his department's officials; any other official the findings that name him (the official
    concerned); PermissionDenied for anybody else (a condition on ``InspectionFinding``). A
    visit exists here only once recorded, after it took place, so nobody learns of an
    unannounced visit (暗访) ahead of it."""
    if roles.oversees(user):
        return None if centers_in_reach(user) is None else in_reach(user, "visit__center")
    profile = getattr(user, "staff_profile", None) if user.is_authenticated else None
    if profile is None:
        raise PermissionDenied()
    concerned = Q(official_id=user.pk)
    if roles.has_role(user, roles.DEPARTMENT_HEAD):
        department_id = profile.department_id
        return (concerned | Q(department_id=department_id) | Q(window__department_id=department_id)
                | Q(official__staff_profile__department_id=department_id))
    return concerned
