"""Everything the figures of one period read, in one statement on PostgreSQL.

A supervisor's statistics read the rollup summed per (department, official), the live days'
stages, alerts and ratings, the substantiated complaints, the stages open past their limit
now and the accountability cases. Asked one ``facts`` function at a time that was eight
statements, and Django compiling them cost ten times PostgreSQL running them (bench.percall:
``GET /api/stats/departments/`` 13 statements, 12.5 ms CPU). On PostgreSQL the same grouped
queries are written here as SQL, each answered as a JSON array in one column of a single
row, prepared once per database session (``portal.prepared.prepared_sql``: the server parses
it once, not on every call); the rows go through the same functions of ``supervision.facts``
as the ORM's. Other databases (SQLite in development) run the ORM queries of
``supervision.facts``.
tests/supervision/test_period_facts.py checks that both give the same figures.
"""

import json
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from accountability.models import LADDER, Sanction
from accountability.selectors import DECIDED as CASE_DECIDED
from approvals.models import OPEN_STAGE, StageStatus
from complaints.models import CASE_FINDINGS, SATISFIED_LEVELS
from portal.prepared import prepared_sql
from supervision import facts
from supervision.models import COUNTERS, DailyStat

# (department id, official id or None) → the rollup's counters summed over the rolled days
Rolled = dict[tuple[int, int | None], dict[str, int]]


@dataclass
class PeriodFacts:
    rolled: Rolled = field(default_factory=dict)
    live: facts.Facts = field(default_factory=facts.new_facts)
    complaints: dict = field(default_factory=dict)
    overdue: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)


def period_facts(first: date, last: date, *, rolled_last: date | None, live_first: date, now,
                 department_id=None, official_id=None) -> PeriodFacts:
    """The rollup of ``first``…``rolled_last`` (none if None), the live facts of
    ``live_first``…``last`` (none if after ``last``), the complaints and cases of
    ``first``…``last`` and the stages overdue at ``now``, narrowed to a reader's scope
    (``facts.department_lookup``) and to an official."""
    read = _one_statement if connection.vendor == "postgresql" else _queries
    return read(first, last, rolled_last, live_first, now, department_id, official_id)


def _queries(first, last, rolled_last, live_first, now, department_id, official_id) -> PeriodFacts:
    """One ORM query per kind of fact (``supervision.facts``)."""
    result = PeriodFacts(
        complaints=facts.substantiated_complaints(first, last, department_id=department_id, official_id=official_id),
        overdue=facts.overdue_open(now, department_id=department_id, official_id=official_id),
        cases=facts.accountability_counts(first, last, department_id=department_id, official_id=official_id),
    )
    if live_first <= last:
        result.live = facts.collect(live_first, last, department_id=department_id, official_id=official_id)
    if rolled_last is not None:
        qs = DailyStat.objects.filter(day__gte=first, day__lte=rolled_last, **facts.department_lookup(department_id))
        if official_id is not None:
            qs = qs.filter(official_id=official_id)
        result.rolled = rolled_counts(qs.values("department_id", "official_id")
                                      .annotate(**{c: Sum(c) for c in COUNTERS}).order_by())
    return result


def rolled_counts(rows) -> Rolled:
    return {(r["department_id"], r["official_id"]): {c: r[c] for c in COUNTERS} for r in rows}


class _Sql:
    """One statement being written: the SQL of each part and the parameters in order."""

    def __init__(self, department_id, official_id):
        self.department_id = department_id
        self.official_id = official_id
        self.columns: list[str] = []
        self.params: list = []

    def narrowed(self, department: str, official: str | None) -> str:
        """The conditions of the reader's scope and of the official on these columns."""
        sql = ""
        if isinstance(self.department_id, (tuple, list, frozenset, set)):
            sql += f" AND {department} = ANY(%s)"
            self.params.append(list(self.department_id))
        elif self.department_id is not None:
            sql += f" AND {department} = %s"
            self.params.append(self.department_id)
        if self.official_id is not None and official is not None:
            sql += f" AND {official} = %s"
            self.params.append(self.official_id)
        return sql

    def part(self, name: str, select: str, params: list, where: str, group: str) -> None:
        """``params``: those of ``select``, then those of ``where``."""
        self.params.extend(params)
        narrowed = self.narrowed(*_SCOPED[name])
        self.columns.append(f"(SELECT COALESCE(json_agg(p), '[]') FROM ({select} WHERE {where}{narrowed} "
                            f"GROUP BY {group}) p) AS {name}")


# The columns of each part's department and official.
_SCOPED = {
    "rolled": ("d.department_id", "d.official_id"),
    "stages": ("s.department_id", "s.assignee_id"),
    "alerts": ("a.department_id", "a.assignee_id"),
    "ratings": ("e.department_id", None),
    "complaints": ("c.department_id", "c.staff_id"),
    "overdue": ("s.department_id", "s.assignee_id"),
    "cases": ("k.department_id", "k.subject_id"),
}


def _one_statement(first, last, rolled_last, live_first, now, department_id, official_id) -> PeriodFacts:
    """The queries of ``_queries`` as the columns of one row (PostgreSQL)."""
    sql = _Sql(department_id, official_id)
    zone = timezone.get_current_timezone_name()
    start, end = facts.bounds(first, last)
    if rolled_last is not None:
        sql.part("rolled", "SELECT d.department_id, d.official_id, "
                 + ", ".join(f"SUM(d.{c}) AS {c}" for c in COUNTERS) + " FROM supervision_dailystat d",
                 [first, rolled_last], "d.day >= %s AND d.day <= %s", "1, 2")
    live = live_first <= last
    if live:
        live_start, live_end = facts.bounds(live_first, last)
        sql.part(
            "stages",
            "SELECT (s.decided_at AT TIME ZONE %s)::date AS day, (s.started_at AT TIME ZONE %s)::date AS start_day, "
            "s.department_id, s.assignee_id, COUNT(*) AS n, "
            "COUNT(*) FILTER (WHERE s.decided_at <= s.due_at AND s.status = ANY(%s)) AS on_time_n, "
            "COUNT(*) FILTER (WHERE s.status = %s) AS deemed_n, "
            "COUNT(*) FILTER (WHERE a.onsite) AS onsite_n, "
            "SUM(a.suspended_days_total) AS suspended_days, SUM(s.days) AS limit_days "
            "FROM approvals_stage s INNER JOIN approvals_application a ON s.application_id = a.id",
            [zone, zone, [StageStatus.APPROVED.value, StageStatus.DENIED.value], StageStatus.DEEMED_APPROVED.value,
             live_start, live_end, [s.value for s in facts.DECIDED_STAGE]],
            "s.decided_at >= %s AND s.decided_at < %s AND s.status = ANY(%s)", "1, 2, 3, 4")
        sql.part("alerts", "SELECT (a.raised_at AT TIME ZONE %s)::date AS day, a.department_id, a.assignee_id, "
                 "COUNT(*) FILTER (WHERE a.level = 'yellow') AS yellow, "
                 "COUNT(*) FILTER (WHERE a.level = 'red') AS red FROM approvals_alertrecord a",
                 [zone, live_start, live_end], "a.raised_at >= %s AND a.raised_at < %s", "1, 2, 3")
        if official_id is None:
            sql.part("ratings", "SELECT (e.rated_at AT TIME ZONE %s)::date AS day, e.department_id, COUNT(*) AS n, "
                     "COUNT(*) FILTER (WHERE e.score = ANY(%s)) AS good FROM complaints_evaluation e",
                     [zone, [int(level) for level in SATISFIED_LEVELS], live_start, live_end],
                     "e.rated_at >= %s AND e.rated_at < %s AND NOT e.struck", "1, 2")
    sql.part("complaints", "SELECT c.department_id, c.staff_id, COUNT(*) AS n, "
             "COUNT(*) FILTER (WHERE c.commitment_id IS NOT NULL) AS breaches FROM complaints_complaint c",
             [start, end, [str(f) for f in CASE_FINDINGS]],
             "c.concluded_at >= %s AND c.concluded_at < %s AND c.finding = ANY(%s)", "1, 2")
    # COUNT(*): an index on the open stages' due_at, department and assignee answers it alone.
    sql.part("overdue", "SELECT s.department_id, s.assignee_id, COUNT(*) AS n FROM approvals_stage s",
             [now, [str(s) for s in OPEN_STAGE]], "s.due_at < %s AND s.status = ANY(%s)", "1, 2")
    sanctioned = ("k.decided_at >= %s AND k.decided_at < %s AND k.status = ANY(%s) "
                  "AND NOT (k.sanction = ANY(%s))")
    sanctioned_params = [start, end, [str(s) for s in CASE_DECIDED], ["", Sanction.NO_FAULT.value]]
    by_kind = "".join(f", COUNT(*) FILTER (WHERE {sanctioned} AND k.sanction = %s) AS sanction_{kind}"
                      for kind in LADDER)
    sql.part("cases", "SELECT k.department_id, k.subject_id, "
             "COUNT(*) FILTER (WHERE k.opened_at >= %s AND k.opened_at < %s) AS cases, "
             f"COUNT(*) FILTER (WHERE {sanctioned}) AS sanctions{by_kind} "
             "FROM accountability_accountabilitycase k",
             [start, end, *sanctioned_params, *[p for kind in LADDER for p in (*sanctioned_params, str(kind))],
              start, end, *sanctioned_params],
             f"((k.opened_at >= %s AND k.opened_at < %s) OR ({sanctioned}))", "1, 2")
    with connection.cursor() as cursor:
        # On the generic plan: PostgreSQL would plan it anew for every call (its estimate of a
        # custom plan for the live day is far lower), 1.5-2.5 ms of its CPU a call where the
        # generic plan takes 0.5-1 for the same answer (default period, a day, a month, a year;
        # the supervisor and a department head; BENCHMARKS.md).
        cursor.execute(*prepared_sql(connection, "SELECT " + ", ".join(sql.columns), sql.params, generic_plan=True))
        names = [column.name for column in cursor.description]
        row = dict(zip(names, (json.loads(v) if isinstance(v, str) else v for v in cursor.fetchone())))
    result = PeriodFacts(complaints=facts.complaint_counts(row["complaints"]),
                         overdue=facts.overdue_counts(row["overdue"]), cases=facts.case_counts(row["cases"]))
    if rolled_last is not None:
        result.rolled = rolled_counts(row["rolled"])
    if live:
        facts.stage_rows_into(result.live, [{**r, "day": _date(r["day"]), "start_day": _date(r["start_day"])}
                                            for r in row["stages"]])
        facts.alert_rows_into(result.live, [{**r, "day": _date(r["day"])} for r in row["alerts"]])
        if official_id is None:
            facts.rating_rows_into(result.live, [{**r, "day": _date(r["day"])} for r in row["ratings"]])
    return result


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None
