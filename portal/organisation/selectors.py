"""Reads about staff shared by the API and the pages (挂牌上岗, AB岗)."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from portal.organisation import roles
from portal.organisation.models import Department, RoutedWork, ServiceCenter, ServiceCommitment, StaffProfile
from portal.pagination import Ordering
from portal.prepared import PreparedQuery


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
    return staff_search(qs, q=q).order_by("department__code", "badge")


# The pages' order: by badge (a department's badges share their letter), a key for keyset pages.
DIRECTORY_ORDER = Ordering(("badge", "id"))


def staff_search(profiles: QuerySet, *, q: str = "", department=None, state: str = "") -> QuerySet:
    """``profiles`` whose badge, name or department holds ``q`` (officials are a few thousand, not
    millions), of ``department``, and ``state``: "absent", "on_duty" or "off_duty"."""
    if q:
        profiles = profiles.filter(Q(badge__icontains=q) | Q(user__first_name__icontains=q)
                                   | Q(user__last_name__icontains=q) | Q(user__username__icontains=q)
                                   | Q(department__name__icontains=q))
    if department is not None:
        profiles = profiles.filter(department=department)
    states = {"absent": Q(absent=True), "on_duty": Q(absent=False, on_duty=True),
              "off_duty": Q(absent=False, on_duty=False)}
    if state in states:
        profiles = profiles.filter(states[state])
    return profiles


def commitments_published(*, service: str = "", badge: str = "", window_id: int | None = None
                          ) -> QuerySet[ServiceCommitment]:
    """服务承诺制: the published commitments on quality and attitude — all, those of one item
    (by code), or those of one post (窗口岗位: a window, or the window of the official wearing
    ``badge``)."""
    qs = ServiceCommitment.objects.filter(published=True).select_related("item", "window__center")
    if service:
        qs = qs.filter(item__code=service)
    if badge:
        qs = qs.filter(window__staff__badge__iexact=badge)
    if window_id is not None:
        qs = qs.filter(window_id=window_id)
    return qs.order_by("item__code", "window_id", "order", "id")


# A member of staff's center and its parent (his window's and his department's), asked by nearly
# every request of staff: compiled once per process (portal.prepared).
_post_centers = PreparedQuery(lambda user_id: StaffProfile.objects.filter(user_id=user_id).values_list(
    "window__center_id", "window__center__parent_id", "department__center_id",
    "department__center__parent_id").order_by()[:1], int)


def centers_in_reach(user) -> list[int] | None:
    """三级政务服务 (seed 001 line 403, 分中心): the centers whose work a member of staff reads —
    None for the whole network (a superuser, somebody without a post, or one who works at a
    center at the top of the tree); for one who works at a lower center (a township's
    便民服务中心, a village 代办点), that center and every center below it. So a county
    supervisor or clerk reads the whole county, a township's only his township and its proxy
    points. His center is his window's, else his department's. Read once per request (kept on
    the user object); one query per level of the tree below him."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_centers_in_reach", False)
    if cached is not False:
        return cached
    centers = None
    if not user.is_superuser:
        found = _post_centers(user.pk)
        row = found[0] if found else None
        if row is not None:
            center_id, parent_id = row[:2] if row[0] is not None else row[2:]
            if parent_id is not None:
                centers, level = [center_id], [center_id]
                while level:
                    level = list(ServiceCenter.objects.filter(parent_id__in=level).exclude(pk__in=centers)
                                 .values_list("pk", flat=True))
                    centers += level
    user._centers_in_reach = centers
    return centers


def in_reach(user, center_path: str) -> Q:
    """The condition "belongs to a center in ``user``'s reach" (``centers_in_reach``) on a
    model whose center is at ``center_path`` (e.g. ``"department__center"``): the one
    township rule every list and every fetch by id applies. Matches everything for whoever
    reads the whole network (an empty condition, which an OR would drop: combine it with AND
    only)."""
    centers = centers_in_reach(user)
    return Q() if centers is None else Q(**{f"{center_path}__in": centers})


def badge_of(user) -> str | None:
    """The badge number a citizen sees next to an official's name, or None."""
    if user is None:
        return None
    profile = getattr(user, "staff_profile", None)
    return profile.badge if profile is not None else None


def may_manage_posts(user, department_id: int | None) -> bool:
    """A department head manages the posts of his department; a supervisor those of the
    centers within his reach (``department_id`` None: every post, the county's supervisors)."""
    if not user.is_authenticated:
        return False
    if roles.supervises(user):
        centers = centers_in_reach(user)
        return centers is None or (department_id is not None and Department.objects.filter(
            pk=department_id, center_id__in=centers).exists())
    return roles.has_role(user, roles.DEPARTMENT_HEAD) and department_id is not None and \
        department_id_of(user) == department_id


def posts_managed_by(user) -> QuerySet:
    """The posts a head (his department) or a supervisor (those within his reach) may manage,
    with their B posts."""
    qs = staff_directory()
    if roles.supervises(user):
        return qs.filter(in_reach(user, "department__center"))
    if roles.has_role(user, roles.DEPARTMENT_HEAD) and department_id_of(user) is not None:
        return qs.filter(department_id=department_id_of(user))
    return qs.none()


def covering(holder) -> QuerySet:
    """Work of absent colleagues that ``holder`` holds as their B post right now."""
    return RoutedWork.objects.filter(holder=holder, returned_at__isnull=True).select_related("absentee")


def routed_away(absentee) -> QuerySet:
    return RoutedWork.objects.filter(absentee=absentee, returned_at__isnull=True).select_related("holder")


class SupervisorsOf:
    """电子监察 of the center a department belongs to: who is told when something about
    the department is escalated to the supervisors. The supervisors whose own department
    is at that center or at a center above it (三级政务服务: a county supervisor oversees
    the townships below; a township supervisor only his own), and those without a badge
    (who oversee every center); every supervisor when that leaves nobody, or when no
    department is known. Reads the supervisors once and each department's center once, so
    a sweep batch asks per department, not per row."""

    def __init__(self):
        self.everyone = list(get_user_model().objects.filter(is_active=True, groups__name=roles.SUPERVISOR)
                             .select_related("staff_profile__department").distinct().order_by("pk"))
        self._parents: dict[int, int | None] = {}
        self._scoped: dict[int | None, list] = {}

    def __call__(self, department_id: int | None) -> list:
        if department_id not in self._scoped:
            self._scoped[department_id] = self._scope(department_id)
        return self._scoped[department_id]

    def _chain(self, center_id: int | None) -> set[int]:
        """The center and every center above it (a few levels: one query per level, once)."""
        chain: set[int] = set()
        while center_id is not None and center_id not in chain:
            chain.add(center_id)
            if center_id not in self._parents:
                self._parents[center_id] = ServiceCenter.objects.filter(pk=center_id).values_list(
                    "parent_id", flat=True).first()
            center_id = self._parents[center_id]
        return chain

    def _scope(self, department_id: int | None) -> list:
        if department_id is None:
            return self.everyone
        center_id = Department.objects.filter(pk=department_id).values_list("center_id", flat=True).first()
        chain = self._chain(center_id)
        scoped = [p for p in self.everyone if getattr(p, "staff_profile", None) is None
                  or p.staff_profile.department.center_id in chain]
        return scoped or self.everyone
