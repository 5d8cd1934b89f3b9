"""Reads of complaints and ratings shared by the API and the pages."""

from datetime import date

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import (
    CASE_FINDINGS, OPEN_COMPLAINT, Complaint, Evaluation, FollowUp, FollowUpStatus, Level, SATISFIED_LEVELS,
)
from portal.audit.models import AuditEvent
from portal.pagination import Ordering
from portal.workcalendar.arithmetic import end_of_day
from portal.workcalendar.calendar import get_work_calendar
from portal.web.list_filters import during
from accountability.models import AccountabilityCase


def complaint_events(complaint: Complaint) -> QuerySet[AuditEvent]:
    """The complaint's history (全程留痕)."""
    return AuditEvent.objects.filter(object_type="complaint", object_id=complaint.pk).order_by("id")


ACTION_LABELS = {
    "file": _("filed"),
    "accept": _("accepted"),
    "refuse": _("refused"),
    "assign": _("investigator assigned"),
    "conclude": _("investigation concluded"),
    "reply": _("answered"),
    "reopen": _("not satisfied: reopened"),
    "close": _("closed"),
    "remind": _("limit missed: reminder sent"),
    "escalate": _("escalated to the supervisor"),
}


def complaint_timeline(complaint: Complaint) -> list[dict]:
    """The history as pages show it; steps of the complainant (and of the sweep) have no actor."""
    return [
        {"at": e.at, "action": e.action, "label": ACTION_LABELS.get(e.action, e.action),
         "actor": e.actor, "note": e.note}
        for e in complaint_events(complaint).select_related("actor__staff_profile")
    ]


def complaint_queue(queryset: QuerySet[Complaint], *, status: str | None = None) -> QuerySet[Complaint]:
    """Open complaints by the running limit, soonest first (or those in ``status``)."""
    qs = queryset.select_related("department", "investigator")
    qs = qs.filter(status__in=status.split(",")) if status else qs.filter(status__in=OPEN_COMPLAINT)
    return qs.order_by(F("due_at").asc(nulls_last=True), "id")


# The queue of open complaints by their running limit; any other list newest first. Keyset
# pages (portal.pagination): a page never counts or skips the rows before it.
QUEUE_ORDER = Ordering(("due_at", "id"), nullable=True)
NEWEST_ORDER = Ordering(("id",), descending=True)


def complaint_list(queryset: QuerySet[Complaint], *, statuses=None, q: str | None = None, department=None,
                   filed_from=None, filed_until=None) -> QuerySet[Complaint]:
    """The complaints of ``queryset`` in ``statuses`` (None: the open ones), with the number or
    the badge ``q`` (exact, any case), of ``department``, filed in [``filed_from``, ``filed_until``)."""
    qs = queryset.select_related("department", "investigator")
    qs = qs.filter(status__in=statuses) if statuses else qs.filter(status__in=OPEN_COMPLAINT)
    if q:
        qs = qs.filter(Q(number=q.strip().upper()) | Q(staff_badge=q.strip().upper()))
    if department is not None:
        qs = qs.filter(department=department)
    qs = during(qs, "filed_at", filed_from, filed_until)
    return qs


def complaint_case(complaint: Complaint) -> dict | None:
    """The accountability case the finding opened: its id and number."""
    if not complaint.case_number:
        return None
    case = AccountabilityCase.objects.filter(number=complaint.case_number).values("id", "number", "status").first()
    return case or {"id": None, "number": complaint.case_number, "status": None}


def complaint_alert(complaint: Complaint, now=None) -> str:
    """The colour of a running limit: red once missed, yellow with at most one working day left."""
    if complaint.due_at is None:
        return "none"
    now = now or timezone.now()
    if now > complaint.due_at:
        return "red"
    if get_work_calendar().remaining_working_days(now, complaint.due_at) <= 1:
        return "yellow"
    return "none"


FOLLOW_UP_ORDER = Ordering(("due_at", "id"))
RATED_ORDER = Ordering(("rated_at", "id"), descending=True)


def rating_search(queryset: QuerySet, *, via: str = "", q: str | None = None, department=None, rated_from=None,
                  rated_until=None) -> QuerySet:
    """Ratings (``via`` "": evaluations; "evaluation__": their follow-ups) of the application
    numbered ``q`` (exact, any case), of the handling unit ``department``, rated in
    [``rated_from``, ``rated_until``)."""
    if q:
        queryset = queryset.filter(**{f"{via}application__number": q.strip().upper()})
    if department is not None:
        queryset = queryset.filter(department=department)
    if rated_from is not None:
        queryset = queryset.filter(**{f"{via}rated_at__gte": rated_from})
    if rated_until is not None:
        queryset = queryset.filter(**{f"{via}rated_at__lt": rated_until})
    return queryset


def open_follow_ups(queryset: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    return (queryset.filter(status=FollowUpStatus.OPEN)
            .select_related("evaluation__application", "evaluation__service", "department").order_by("due_at", "id"))


def _window(since: date | None, until: date | None) -> Q:
    tz = timezone.get_default_timezone()
    q = Q(struck=False)
    if since is not None:
        q &= Q(rated_at__gt=end_of_day(date.fromordinal(since.toordinal() - 1), tz))
    if until is not None:
        q &= Q(rated_at__lte=end_of_day(until, tz))
    return q


def _figures(row: dict) -> dict:
    count = row["count"]
    return {
        "count": count,
        "average": round(row["average"], 2) if row["average"] is not None else None,
        "levels": {str(level): row[f"level_{level}"] for level in Level.values},
        "satisfaction_rate": round(row["satisfied"] / count, 4) if count else None,
    }


def _aggregates() -> dict:
    levels = {f"level_{level}": Count("id", filter=Q(score=level)) for level in Level.values}
    return {"count": Count("id"), "average": Avg("score"), "satisfied": Count("id", filter=Q(score__in=SATISFIED_LEVELS)),
            **levels}


def ratings_summary(*, since: date | None = None, until: date | None = None) -> dict:
    """好差评 published per item and per window: count, average, each level and the
    satisfaction rate (满意率: the three highest levels over all), struck ratings left out.
    Two grouped queries, whatever the number of ratings."""
    rated = Evaluation.objects.filter(_window(since, until))
    per_item = rated.values("service__code", "service__name").annotate(**_aggregates()).order_by("service__code")
    per_window = (rated.filter(window__isnull=False).values("window_id", "window__number", "window__name")
                  .annotate(**_aggregates()).order_by("window__number", "window_id"))
    return {
        "from": since.isoformat() if since else None,
        "to": until.isoformat() if until else None,
        "items": [{"service": r["service__code"], "name": r["service__name"], **_figures(r)} for r in per_item],
        "windows": [{"id": r["window_id"], "window": r["window__number"], "name": r["window__name"], **_figures(r)} for r in per_window],
    }


def substantiated_about(official) -> QuerySet[Complaint]:
    """查明属实: complaints about ``official`` found substantiated, wholly or partly
    (each opened a case), newest first."""
    return Complaint.objects.filter(staff=official, finding__in=CASE_FINDINGS).order_by("-concluded_at", "-id")
