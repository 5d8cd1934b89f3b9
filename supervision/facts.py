"""The facts behind every supervision figure, read from the source tables for a range of
days with a handful of grouped queries (never one row per application).

A department's work is its stages (并联审批: each department answers for its own
stage): a stage decided on a day counts on that day; it was on time when decided by
its due instant; a deemed-approved stage lapsed (超期默许). Alerts count on the day
they were raised, ratings (好差评) on the day they were given.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from approvals.models import OPEN_STAGE, AlertRecord, Stage, StageStatus
from accountability.models import LADDER, AccountabilityCase, Sanction
from accountability.selectors import DECIDED as CASE_DECIDED
from complaints.models import CASE_FINDINGS, SATISFIED_LEVELS, Complaint, Evaluation
from supervision.models import COUNTERS
from portal.workcalendar.calendar import get_work_calendar

DECIDED_STAGE = (StageStatus.APPROVED, StageStatus.DENIED, StageStatus.DEEMED_APPROVED)
ON_TIME = Q(status__in=(StageStatus.APPROVED, StageStatus.DENIED), decided_at__lte=F("due_at"))

# (day, department id, official id or None) → counters
Facts = dict[tuple[date, int, int | None], dict[str, int]]


def department_lookup(department_id, field: str = "department_id") -> dict:
    """The filter of a reader's scope (``supervision.permissions.reader_scope``): one
    department (an id), the departments of a township's centers (a tuple of ids) or every
    department (None)."""
    if department_id is None:
        return {}
    if isinstance(department_id, (tuple, list, frozenset, set)):
        return {f"{field}__in": list(department_id)}
    return {field: department_id}


def new_facts() -> Facts:
    return defaultdict(lambda: dict.fromkeys(COUNTERS, 0))


def start_of(day: date) -> datetime:
    """Local midnight at the start of ``day``."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The instants [start of ``first``, start of the day after ``last``)."""
    return start_of(first), start_of(last + timedelta(days=1))


def _day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def collect(first: date, last: date, *, department_id=None, official_id=None) -> Facts:
    """Every counter of every (day, department, official) in ``first``…``last``."""
    facts = new_facts()
    start, end = bounds(first, last)
    _stage_facts(facts, start, end, department_id, official_id)
    _alert_facts(facts, start, end, department_id, official_id)
    if official_id is None:
        _rating_facts(facts, start, end, department_id)
    return facts


def _stage_facts(facts: Facts, start, end, department_id, official_id) -> None:
    qs = Stage.objects.filter(decided_at__gte=start, decided_at__lt=end, status__in=DECIDED_STAGE)
    if department_id is not None:
        qs = qs.filter(**department_lookup(department_id))
    if official_id is not None:
        qs = qs.filter(assignee_id=official_id)
    rows = (
        qs.annotate(day=_day("decided_at"), start_day=_day("started_at"))
        .values("day", "start_day", "department_id", "assignee_id")
        .annotate(
            n=Count("id"),
            on_time_n=Count("id", filter=ON_TIME),
            deemed_n=Count("id", filter=Q(status=StageStatus.DEEMED_APPROVED)),
            onsite_n=Count("id", filter=Q(application__onsite=True)),
            suspended_days=Sum("application__suspended_days_total"),
            limit_days=Sum("days"),
        )
        .order_by()
    )
    stage_rows_into(facts, rows)


def stage_rows_into(facts: Facts, rows) -> None:
    """Adds the grouped stage rows (``_stage_facts``' columns) to ``facts``."""
    calendar = get_work_calendar()
    # One row per (decision day, start day, department, official): the working days
    # between the two dates are the same for every stage of the row.
    for row in rows:
        counters = facts[(row["day"], row["department_id"], row["assignee_id"])]
        counters["decided"] += row["n"]
        counters["on_time"] += row["on_time_n"]
        counters["deemed"] += row["deemed_n"]
        counters["onsite"] += row["onsite_n"]
        counters["committed_days"] += row["limit_days"] or 0
        used = calendar.working_days_between(row["start_day"], row["day"]) * row["n"] - (row["suspended_days"] or 0)
        counters["working_days"] += max(0, used)


def _alert_facts(facts: Facts, start, end, department_id, official_id) -> None:
    qs = AlertRecord.objects.filter(raised_at__gte=start, raised_at__lt=end)
    if department_id is not None:
        qs = qs.filter(**department_lookup(department_id))
    if official_id is not None:
        qs = qs.filter(assignee_id=official_id)
    rows = (
        qs.annotate(day=_day("raised_at")).values("day", "department_id", "assignee_id")
        .annotate(yellow=Count("id", filter=Q(level="yellow")), red=Count("id", filter=Q(level="red")))
        .order_by()
    )
    alert_rows_into(facts, rows)


def alert_rows_into(facts: Facts, rows) -> None:
    for row in rows:
        counters = facts[(row["day"], row["department_id"], row["assignee_id"])]
        counters["yellow_alerts"] += row["yellow"]
        counters["red_alerts"] += row["red"]


def _rating_facts(facts: Facts, start, end, department_id) -> None:
    """好差评: 满意率 counts the three highest levels; a struck rating does not count."""
    qs = Evaluation.objects.filter(rated_at__gte=start, rated_at__lt=end, struck=False)
    if department_id is not None:
        qs = qs.filter(**department_lookup(department_id))
    rows = (
        qs.annotate(day=_day("rated_at")).values("day", "department_id")
        .annotate(n=Count("id"), good=Count("id", filter=Q(score__in=SATISFIED_LEVELS))).order_by()
    )
    rating_rows_into(facts, rows)


def rating_rows_into(facts: Facts, rows) -> None:
    for row in rows:
        counters = facts[(row["day"], row["department_id"], None)]
        counters["evaluations"] += row["n"]
        counters["satisfied"] += row["good"]


def substantiated_complaints(first: date, last: date, *, department_id=None,
                             official_id=None) -> dict[tuple[int | None, int | None], dict[str, int]]:
    """查明必究: complaints concluded as substantiated (属实, wholly or partly: either opens
    a case) in the period, per (department, official): ``n`` in all, and ``breaches`` of
    them naming a published service commitment (服务承诺制, seed 003: a broken promise on
    quality or attitude, ``Complaint.commitment``), in one grouped query. Complaints are
    few, so they are read live, never rolled up: a reopened complaint can change its
    finding long after the day it was first concluded."""
    start, end = bounds(first, last)
    qs = Complaint.objects.filter(finding__in=CASE_FINDINGS, concluded_at__gte=start, concluded_at__lt=end)
    if department_id is not None:
        qs = qs.filter(**department_lookup(department_id))
    if official_id is not None:
        qs = qs.filter(staff_id=official_id)
    return complaint_counts(qs.values("department_id", "staff_id").annotate(
        n=Count("id"), breaches=Count("id", filter=Q(commitment__isnull=False))).order_by())


def complaint_counts(rows) -> dict[tuple[int | None, int | None], dict[str, int]]:
    return {(r["department_id"], r["staff_id"]): {"n": r["n"], "breaches": r["breaches"]} for r in rows}


def overdue_open(now, *, department_id=None, official_id=None) -> dict[tuple[int, int | None], int]:
    """Stages still open past their limit now (a suspended stage has no running limit)."""
    qs = Stage.objects.filter(status__in=OPEN_STAGE, due_at__lt=now)
    if department_id is not None:
        qs = qs.filter(**department_lookup(department_id))
    if official_id is not None:
        qs = qs.filter(assignee_id=official_id)
    # COUNT(*): an index on the open stages' due_at, department and assignee answers it alone.
    return overdue_counts(qs.values("department_id", "assignee_id").annotate(n=Count("*")).order_by())


def overdue_counts(rows) -> dict[tuple[int, int | None], int]:
    return {(r["department_id"], r["assignee_id"]): r["n"] for r in rows}


def accountability_counts(first: date, last: date, *, department_id=None,
                          official_id=None) -> dict[tuple[int | None, int], dict[str, int]]:
    """绩效考评 counts accountability: per (department, official) the cases opened in the
    period and the sanctions decided in it (in all and per step of the ladder, ``by_sanction``) (a decision quashed to no fault on appeal is
    no sanction), in one grouped query. Cases are few and their outcome changes on
    appeal, so they are read live, never rolled up."""
    start, end = bounds(first, last)
    qs = AccountabilityCase.objects.all()
    if department_id is not None:
        qs = qs.filter(**department_lookup(department_id))
    if official_id is not None:
        qs = qs.filter(subject_id=official_id)
    opened = Q(opened_at__gte=start, opened_at__lt=end)
    sanctioned = (Q(decided_at__gte=start, decided_at__lt=end, status__in=CASE_DECIDED)
                  & ~Q(sanction__in=("", Sanction.NO_FAULT)))
    by_kind = {f"sanction_{kind}": Count("id", filter=sanctioned & Q(sanction=kind)) for kind in LADDER}
    rows = (qs.filter(opened | sanctioned).values("department_id", "subject_id")
            .annotate(cases=Count("id", filter=opened), sanctions=Count("id", filter=sanctioned), **by_kind)
            .order_by())
    return case_counts(rows)


def case_counts(rows) -> dict[tuple[int | None, int], dict[str, int]]:
    return {(r["department_id"], r["subject_id"]): {
        "cases": r["cases"], "sanctions": r["sanctions"],
        "by_sanction": {kind: r[f"sanction_{kind}"] for kind in LADDER if r[f"sanction_{kind}"]}} for r in rows}
