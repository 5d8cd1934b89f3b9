"""Reads of inquiries shared by the API and the pages."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.audit.models import AuditEvent
from inquiries.models import OWNED_OPEN, RUNNING, Inquiry, InquiryStatus
from inquiries.permissions import inquiries_visible_to, is_clerk
from portal.organisation.selectors import department_id_of
from portal.pagination import Ordering
from portal.workcalendar.calendar import get_work_calendar
from portal.web.list_filters import during

RELATED = ("owner__staff_profile", "first_officer__staff_profile", "referee__staff_profile", "answered_by",
           "department", "referred_to", "application")


def inquiry_list(user, *, status=None, department=None, owner=None, alert=None, application=None) -> QuerySet:
    qs = inquiries_visible_to(user).select_related(*RELATED)
    if status:
        qs = qs.filter(status__in=status.split(","))
    if department:
        qs = qs.filter(Q(referred_to__code=department) | Q(department__code=department))
    if owner:
        qs = qs.filter(owner__username=owner)
    if alert:
        qs = qs.filter(alert=alert)
    if application:
        key = str(application)
        qs = qs.filter(application_id=int(key)) if key.isdigit() else qs.filter(application__number=key)
    return qs.order_by("-id")


def owned_by(user) -> QuerySet:
    """The clerk's "my inquiries": what he owns and must still answer, chase or close."""
    return (Inquiry.objects.filter(owner=user, status__in=OWNED_OPEN).select_related(*RELATED)
            .order_by("due_at", "id"))


def recently_finished_by(user, limit: int = 20) -> QuerySet:
    return (Inquiry.objects.filter(owner=user, status__in=[InquiryStatus.CLOSED, InquiryStatus.CONVERTED])
            .select_related(*RELATED).order_by("-id")[:limit])


def unclaimed_for(user) -> QuerySet:
    """Online questions nobody took on yet: the whole hall for clerks, a department's own for its staff."""
    qs = Inquiry.objects.filter(status=InquiryStatus.UNCLAIMED).select_related("department")
    if is_clerk(user):
        return qs.order_by("due_at", "id")
    department_id = department_id_of(user)
    if department_id is None:
        return qs.none()
    return qs.filter(department_id=department_id).order_by("due_at", "id")


def referred_to_department_of(user, *, open_only: bool = True) -> QuerySet:
    """The department's referred inquiries: to acknowledge and answer, due soonest first
    (DUE_ORDER); or (not ``open_only``) those answered, latest answer first (ANSWERED_ORDER)."""
    department_id = department_id_of(user)
    if department_id is None:
        return Inquiry.objects.none()
    qs = Inquiry.objects.filter(referred_to_id=department_id).select_related(*RELATED)
    if open_only:
        return qs.filter(status=InquiryStatus.REFERRED).order_by(*DUE_ORDER.order_by())
    return qs.exclude(status=InquiryStatus.REFERRED).order_by(*ANSWERED_ORDER.order_by())


NEWEST_ORDER = CITIZEN_ORDER = Ordering(("id",), descending=True)
DUE_ORDER = Ordering(("due_at", "id"))
ANSWERED_ORDER = Ordering(("answered_at", "id"), descending=True, nullable=True)


def inquiry_search(qs: QuerySet, *, q: str | None = None, citizen: bool = False, status: str | None = None,
                   department=None, asked_from=None, asked_until=None) -> QuerySet:
    """``qs`` narrowed by a list's filters: the number ``q`` (exact, any case) or, on a citizen's
    own list, a subject holding it, or on an official's list the citizen's name or the owner's
    badge (exact: a contains-search over a whole hall's inquiries would read every row); ``status``; the
    department concerned or referred to; asked in [``asked_from``, ``asked_until``)."""
    if q:
        q = q.strip()
        other = Q(subject__icontains=q) if citizen else Q(citizen_name=q) | Q(owner__staff_profile__badge=q.upper())
        qs = qs.filter(Q(number=q.upper()) | other)
    if status:
        qs = qs.filter(status=status)
    if department is not None:
        qs = qs.filter(Q(department=department) | Q(referred_to=department))
    qs = during(qs, "created_at", asked_from, asked_until)
    return qs


def citizen_inquiries(user) -> QuerySet:
    """The citizen's own questions (paged in CITIZEN_ORDER, newest first)."""
    return Inquiry.objects.filter(citizen=user).select_related(*RELATED)


def inquiry_events(inquiry: Inquiry) -> QuerySet[AuditEvent]:
    return (AuditEvent.objects.filter(object_type="inquiry", object_id=inquiry.pk)
            .select_related("actor__staff_profile").order_by("id"))


def inquiry_clock(inquiry: Inquiry, now=None) -> dict:
    running = inquiry.status in RUNNING
    remaining = get_work_calendar().remaining_working_days(now or timezone.now(), inquiry.due_at) if running else None
    return {"running": running, "remaining_working_days": remaining}
