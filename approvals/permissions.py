"""Who may see and do what with an application — the one place every view and
service asks (healthchecks' ``_get_check_for_user``). Objects a person may not
see are reported as 404, so their existence does not leak."""

from collections.abc import Callable
from typing import NamedTuple

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from approvals.models import Application, Channel, ConcernedDepartment, Stage, Status
from portal.errors import NotFound, PermissionDenied
from portal.organisation import roles
from portal.organisation.selectors import centers_in_reach, in_reach
from portal.prepared import PreparedQuery
from projects.models import KeyProject, PreReview


def staff_department_id(user) -> int | None:
    profile = getattr(user, "staff_profile", None)
    return profile.department_id if profile is not None else None


def is_clerk(user) -> bool:
    return user.is_authenticated and (user.is_superuser or roles.has_role(user, roles.WINDOW_CLERK))


def sees_everything(user) -> bool:
    """The window (one queue for all), supervisors (电子监察) and the discipline office,
    which reads the applications its cases are about — every one within their reach
    (``portal.organisation.selectors.in_reach``)."""
    return roles.oversees(user) or roles.has_role(user, roles.WINDOW_CLERK)


def concerning_department(department_id: int) -> Q:
    """Applications for the department's own items or with a stage of it (并联审批): those
    ``ConcernedDepartment`` records for it. One EXISTS, which PostgreSQL joins (not a test per
    row): a department's list newest first is a walk of that table's key backwards, however many
    newer applications of other departments there are."""
    return Q(Exists(ConcernedDepartment.objects.filter(application=OuterRef("pk"), department_id=department_id)))


def drafts_visible_to(user) -> Q:
    """Applications not yet submitted belong to whoever is writing them: an online draft
    (its phone, tracking code and files) to the applicant alone, a walk-in draft the window
    is taking down to the clerks. Everyone else, supervisors included, sees an application
    from its submission on — or from the applicant's request for a pre-review (提前介入 预审),
    which shows the draft to the staff who may check it."""
    return _drafts_visible(user, clerk=is_clerk(user), staff=roles.is_staff_member(user))


def _drafts_visible(applicant, *, clerk: bool, staff: bool) -> Q:
    """``drafts_visible_to`` a user who is ``applicant`` (the user or his id), a clerk or not,
    a member of staff or not."""
    visible = ~Q(status=Status.DRAFT) | Q(applicant=applicant)
    if clerk:
        # A proxy officer (代办) writes his draft at the proxy point's window.
        visible |= Q(status=Status.DRAFT, channel__in=[Channel.WINDOW, Channel.PROXY])
    if staff:
        visible |= Q(status=Status.DRAFT) & Exists(PreReview.objects.filter(application=OuterRef("pk")))
    return visible


def managed_projects(user) -> list[int]:
    """项目经理制: the key projects ``user`` manages (their applications are his to follow)."""
    if not roles.has_role(user, roles.PROJECT_MANAGER):
        return []
    return list(KeyProject.objects.filter(manager=user).values_list("pk", flat=True))


def applications_visible_to(user) -> QuerySet[Application]:
    qs = Application.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if sees_everything(user):
        # 三级政务服务: a township's supervisors and clerks read only the applications taken in
        # at their center and its proxy points; the county's, every one.
        return qs.filter(drafts_visible_to(user)).filter(in_reach(user, "intake_center"))
    # 项目经理制: a project manager follows every application of his projects, in every department.
    managed = managed_projects(user)
    department_id = _reading_department(user)
    if department_id is not None:
        visible = concerning_department(department_id) & drafts_visible_to(user)
    else:
        visible = Q(applicant=user)
    if managed:
        visible |= Q(key_project__in=managed) & drafts_visible_to(user)
    return qs.filter(visible)


def reads_by_department(user) -> bool:
    """Whether ``applications_visible_to(user)`` are those of his department (a reviewer's, a head's)."""
    return user.is_authenticated and not sees_everything(user) and _reading_department(user) is not None


def _reading_department(user) -> int | None:
    """The department whose applications a reviewer or department head reads (None for others)."""
    department_id = staff_department_id(user)
    if department_id is not None and (
        roles.has_role(user, roles.REVIEWER) or roles.has_role(user, roles.DEPARTMENT_HEAD)
    ):
        return department_id
    return None


def sees_own_applications_only(user) -> bool:
    """True when ``applications_visible_to(user)`` is exactly the applications he applied for
    (a citizen; its last rule, with no project managed): a caller may then look one up by
    applicant and id alone (``approvals.locks.application_lock``)."""
    return (user.is_authenticated and not sees_everything(user) and _reading_department(user) is None
            and not managed_projects(user))


def application_for_user(user, pk) -> Application:
    """The application if ``user`` may see it; NotFound otherwise."""
    try:
        return applications_visible_to(user).select_related("service", "service__department").get(pk=pk)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def application_visible_check(user, pk: int) -> None:
    """NotFound unless ``user`` may see the application ``pk``: for a caller that needs only the
    check (an upload, whose service locks and reads the row itself), one EXISTS query instead
    of reading the row with its item and department. For the window and the overseers (every
    decision of intake), the query of ``applications_visible_to`` compiled once per process for
    each shape it takes (portal.prepared): compiling it was a quarter of an acceptance's CPU."""
    check = _overseer_check(user, pk)
    visible = check() if check is not None else applications_visible_to(user).filter(pk=pk).exists()
    if not visible:
        raise NotFound()


# The most centers in reach (a township with its proxy points) a prepared statement takes; a
# wider reach is read by the ordinary query.
_PREPARED_REACH = 8


class OverseerRule(NamedTuple):
    """``applications_visible_to`` a user who ``sees_everything``, in parts a statement prepared
    once per ``shape`` takes (portal.prepared): ``visible(*values)`` is his queryset."""

    shape: tuple  # (clerk, staff member, number of centers in reach or None for the whole network)
    values: tuple  # his id, then the centers in reach
    visible: Callable[..., QuerySet[Application]]


def overseer_rule(user) -> OverseerRule | None:
    """The rule of the window and the overseers (``sees_everything``) in parts, or None for
    anybody else and for a reach wider than _PREPARED_REACH."""
    if not user.is_authenticated or not sees_everything(user):
        return None
    centers = centers_in_reach(user)
    if centers is not None and not 0 < len(centers) <= _PREPARED_REACH:
        return None
    clerk, staff = is_clerk(user), roles.is_staff_member(user)

    def visible(applicant, *reach) -> QuerySet[Application]:  # as applications_visible_to builds it
        return (Application.objects.filter(_drafts_visible(applicant, clerk=clerk, staff=staff))
                .filter(Q() if centers is None else Q(intake_center__in=reach)))

    return OverseerRule((clerk, staff, None if centers is None else len(centers)), (user.pk, *(centers or ())),
                        visible)


def _an_id(pk) -> bool:
    """An int the primary key's column holds: the ORM answers any other id with no row without
    asking the database, which would refuse it (an error, not a 404)."""
    low, high = connection.ops.integer_field_range(Application._meta.pk.get_internal_type())
    return type(pk) is int and (low is None or low <= pk) and (high is None or pk <= high)


# shape → the check of an overseer's rule.
_overseer_checks: dict[tuple, PreparedQuery] = {}


def _overseer_check(user, pk):
    """For a ``user`` who ``sees_everything``: a callable answering whether ``pk`` is visible to
    him, by the statement of ``applications_visible_to(user).filter(pk=pk).exists()`` prepared
    for his shape; None for anybody else (and an id that is no int)."""
    rule = overseer_rule(user) if _an_id(pk) else None
    if rule is None:
        return None
    query = _overseer_checks.get(rule.shape)
    if query is None:
        visible = rule.visible

        def build(application_id, *values):
            return visible(*values).filter(pk=application_id).values_list("pk")[:1]

        query = _overseer_checks.setdefault(rule.shape, PreparedQuery(build, int, *[int] * len(rule.values)))
    return lambda: bool(query(pk, *rule.values))


def application_reloaded(application: Application) -> Application:
    """The application as it is now, read again by its key (after an action of a caller who
    found it visible in the same request: ``application_for_user``, ``application_visible_check``)."""
    return Application.objects.select_related("service", "service__department").get(pk=application.pk)


def is_applicant(user, application: Application) -> bool:
    return user.is_authenticated and application.applicant_id == user.pk


def require_clerk(user) -> None:
    """一窗受理: intake decisions belong to the window."""
    if not is_clerk(user):
        raise PermissionDenied()


def require_applicant_or_clerk(user, application: Application) -> None:
    if not (is_applicant(user, application) or is_clerk(user)):
        raise PermissionDenied()


def may_see_tracking_code(user, application: Application) -> bool:
    return is_applicant(user, application) or (user.is_authenticated and getattr(user, "staff_profile", None) is not None) or user.is_superuser


def is_department_member(user, department_id: int, *roles_allowed: str) -> bool:
    return (
        user.is_authenticated
        and staff_department_id(user) == department_id
        and any(roles.has_role(user, r) for r in roles_allowed)
    )


def stage_for_user(user, pk):
    """The stage if ``user`` may see its application; NotFound otherwise."""
    try:
        stage = Stage.objects.select_related("department", "application").get(pk=pk)
    except (Stage.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if not applications_visible_to(user).filter(pk=stage.application_id).exists():
        raise NotFound()
    return stage


def require_stage_reviewer(user, stage: Stage) -> None:
    """并联审批: only the stage's own department (its reviewers and head) decides it."""
    if not (user.is_superuser or is_department_member(user, stage.department_id, roles.REVIEWER,
                                                      roles.DEPARTMENT_HEAD)):
        raise PermissionDenied()


def require_head_of_application(user, application: Application) -> None:
    """Suspension and extension: a head of a department reviewing it, or a supervisor."""
    if user.is_superuser or roles.has_role(user, roles.SUPERVISOR):
        return
    department_id = staff_department_id(user)
    if roles.has_role(user, roles.DEPARTMENT_HEAD) and department_id is not None and (
        application.service.department_id == department_id
        or application.stages.filter(department_id=department_id).exists()
    ):
        return
    raise PermissionDenied()
