"""Reads of attendance shared by the API and the pages: the day's board (lateness and
unexcused absence visible to supervisors and heads) and who may read it."""

from datetime import date

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from attendance.models import AttendanceRecord, LeaveRequest, LeaveStatus
from attendance.services import workday_start
from portal.errors import NotFound, PermissionDenied
from portal.organisation import roles
from portal.organisation.models import Department, StaffProfile
from portal.organisation.selectors import centers_in_reach, in_reach, may_manage_posts, staff_search
from portal.pagination import Ordering
from portal.web.list_filters import during
from portal.workcalendar.calendar import get_work_calendar

PRESENT, LATE, ON_LEAVE, UNEXCUSED, NOT_YET, REST_DAY = (
    "present", "late", "on_leave", "absent_unexcused", "not_yet_checked_in", "rest_day")
STATES = (PRESENT, LATE, ON_LEAVE, UNEXCUSED, NOT_YET, REST_DAY)


def board_profiles(day: date, *, within: Q | None = None, now=None) -> QuerySet[StaffProfile]:
    """The officials ``within`` (a condition on ``StaffProfile`` from ``board_scope``), each with
    his ``board_state`` on ``day``, worked out in the query (so that a list filters and pages by
    it): present, late, on approved leave, absent without leave (a working day begun with no
    check-in), not checked in yet, or a rest day."""
    now = now or timezone.now()
    working = get_work_calendar().is_working_day(day)
    record = AttendanceRecord.objects.filter(user_id=OuterRef("user_id"), day=day)
    leave = LeaveRequest.objects.filter(user_id=OuterRef("user_id"), status=LeaveStatus.APPROVED,
                                        first_day__lte=day, last_day__gte=day)
    absent = (UNEXCUSED if now > workday_start(day) else NOT_YET) if working else REST_DAY
    profiles = StaffProfile.objects.select_related("user", "department").annotate(board_state=Case(
        When(Exists(record.filter(late=True)), then=Value(LATE)), When(Exists(record), then=Value(PRESENT)),
        When(Exists(leave), then=Value(ON_LEAVE)), default=Value(absent), output_field=CharField()))
    return profiles.filter(within) if within is not None else profiles


def board_rows(profiles, day: date) -> list[dict]:
    """The board's rows of ``profiles`` (from ``board_profiles``): each with its day's record."""
    profiles = list(profiles)
    records = {r.user_id: r for r in AttendanceRecord.objects.filter(day=day,
                                                                     user_id__in=[p.user_id for p in profiles])}
    return [{"profile": p, "record": records.get(p.user_id), "state": p.board_state} for p in profiles]


def attendance_board(day: date, *, within: Q | None = None, now=None) -> list[dict]:
    """Every official's state on ``day`` (of those ``within``; ``board_profiles``), by department."""
    return board_rows(board_profiles(day, within=within, now=now).order_by("department__code", "badge"), day)


# The page's board: by badge (a department's badges share their letter); keyset pages.
BOARD_ORDER = Ordering(("badge", "id"))


def board_search(profiles: QuerySet[StaffProfile], *, q: str = "", department=None,
                 state: str = "") -> QuerySet[StaffProfile]:
    """``profiles`` (``board_profiles``) of officials whose badge or name holds ``q`` (as the
    staff directory finds them), of ``department``, in ``state``."""
    if q or department is not None:
        profiles = staff_search(profiles, q=q, department=department)
    return profiles.filter(board_state=state) if state in STATES else profiles


def board_scope(user, department_code: str = "") -> Q:
    """The officials whose board ``user`` reads, as a condition on ``StaffProfile``: supervisors
    and the discipline office every official of the centers within their reach (三级政务服务:
    the county's all, a township's only its own, ``in_reach``), a head those of his own
    department; PermissionDenied for anybody else, NotFound for a department he may not read."""
    if not user.is_authenticated:
        raise PermissionDenied()
    if roles.oversees(user):
        scope, departments = in_reach(user, "department__center"), Department.objects.filter(in_reach(user, "center"))
    else:
        own = StaffProfile.objects.filter(user_id=user.pk).values_list("department_id", flat=True).first()
        if own is None or not roles.has_role(user, roles.DEPARTMENT_HEAD):
            raise PermissionDenied()
        scope, departments = Q(department_id=own), Department.objects.filter(pk=own)
    if department_code:
        department = departments.filter(code=department_code).first()
        if department is None:
            raise NotFound()
        return scope & Q(department_id=department.pk)
    return scope


def leave_visible_to(user) -> QuerySet[LeaveRequest]:
    """His own requests, and those of the posts he manages (a head: his department; a
    supervisor: those of the centers within his reach, ``centers_in_reach``)."""
    qs = LeaveRequest.objects.select_related("user__staff_profile__department", "decided_by")
    if not user.is_authenticated:
        return qs.none()
    if roles.supervises(user):
        centers = centers_in_reach(user)
        return qs if centers is None else qs.filter(
            Q(user=user) | Q(user__staff_profile__department__center_id__in=centers))
    profile = StaffProfile.objects.filter(user_id=user.pk).first()
    if profile is not None and may_manage_posts(user, profile.department_id):
        return qs.filter(Q(user=user) | Q(user__staff_profile__department_id=profile.department_id))
    return qs.filter(user=user)


# His own leave, the latest first; the leave to decide, the soonest first. Keyset pages.
MY_LEAVE_ORDER = Ordering(("first_day", "id"), descending=True)
TO_DECIDE_ORDER = Ordering(("first_day", "id"))


def leave_search(leave: QuerySet[LeaveRequest], *, q: str = "", department=None, first_from=None,
                 first_until=None) -> QuerySet[LeaveRequest]:
    """``leave`` narrowed by the list's filters: of officials whose badge or name holds ``q``
    (as the staff directory finds them) and of ``department``; beginning on a day in
    [``first_from``, ``first_until``)."""
    if q or department is not None:
        leave = leave.filter(user__staff_profile__in=staff_search(StaffProfile.objects.all(), q=q,
                                                                   department=department))
    return during(leave, "first_day", first_from, first_until)
