"""电子监察 figures per department and per official for a period of days (the selectors
behind the API, the dashboard, the CSV export and the public statistics).

Days up to the last rolled-up day are summed from ``DailyStat`` in the database; the
days after it are read live from the source tables (``supervision.period_facts``). The number
of queries depends on what is asked, never on how many applications there are.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from portal.catalogue.models import StageRequirement
from portal.catalogue.selectors import catalogue_derived, published_catalogue
from portal.errors import ValidationFailed
from portal.organisation.models import Department
from supervision import facts
from supervision.assessment import assessment_score
from supervision.models import COUNTERS, DailyStat, RollupState
from supervision.period_facts import PeriodFacts, period_facts

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    """Local dates, both included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def bucket(self) -> str:
        """The step of the trend charts: days for a month, weeks for half a year, else months."""
        if self.days <= 45:
            return "day"
        return "week" if self.days <= 183 else "month"


def period_from(params, *, today: date) -> Period:
    """``from``/``to`` (YYYY-MM-DD, both included); by default the last 30 days."""
    errors = {}
    values = {}
    for name in ("from", "to"):
        raw = (params.get(name) or "").strip()
        if raw:
            try:
                values[name] = parse_date(raw)
            except ValueError:
                values[name] = None
            if values[name] is None:
                errors[name] = [_("A date as YYYY-MM-DD.")]
    if errors:
        raise ValidationFailed(_("The period is not valid."), fields=errors)
    last = min(values.get("to") or today, today)
    first = values.get("from") or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValidationFailed(_("The period is not valid."), fields={"from": [_("Not after the end.")]})
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationFailed(_("The period is not valid."),
                               fields={"from": [_("At most %(days)d days.") % {"days": MAX_DAYS}]})
    return Period(first, last)


@dataclass
class Figures:
    """Counters of a department, an official or a trend bucket, and the rates built from them."""

    counters: dict = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    complaints_substantiated: int = 0
    # 服务承诺制: of those, the complaints naming the service commitment that was broken.
    commitment_breaches: int = 0
    overdue_open: int = 0
    cases_opened: int = 0
    sanctions: int = 0
    sanctions_by_kind: Counter = field(default_factory=Counter)

    def add_cases(self, counts: dict) -> None:
        """Cases opened and sanctions decided (``facts.accountability_counts``, one row)."""
        self.cases_opened += counts["cases"]
        self.sanctions += counts["sanctions"]
        self.sanctions_by_kind.update(counts["by_sanction"])

    def add_complaints(self, counts: dict) -> None:
        """Substantiated complaints and the commitment breaches among them
        (``facts.substantiated_complaints``, one row)."""
        self.complaints_substantiated += counts["n"]
        self.commitment_breaches += counts["breaches"]

    def add(self, counters: dict) -> None:
        for name in COUNTERS:
            self.counters[name] += counters.get(name) or 0

    @staticmethod
    def _rate(part: int, whole: int, digits: int = 4):
        return round(part / whole, digits) if whole else None

    def as_dict(self, *, ratings: bool = True, complaints: bool = True) -> dict:
        """``ratings``/``complaints`` false: not counted for this kind of row (ratings are
        given to a unit, not to an official; complaints are not split into trend buckets)."""
        c = self.counters
        return {
            "decided": c["decided"],
            "on_time": c["on_time"],
            "on_time_rate": self._rate(c["on_time"], c["decided"]),
            "onsite": c["onsite"],
            "onsite_rate": self._rate(c["onsite"], c["decided"]),
            "overdue_open": self.overdue_open,
            "deemed_approvals": c["deemed"],
            "average_working_days": self._rate(c["working_days"], c["decided"], 2),
            "average_committed_days": self._rate(c["committed_days"], c["decided"], 2),
            "evaluations": c["evaluations"] if ratings else None,
            "satisfaction_rate": self._rate(c["satisfied"], c["evaluations"]) if ratings else None,
            "complaints_substantiated": self.complaints_substantiated if complaints else None,
            "commitment_breaches": self.commitment_breaches if complaints else None,
            # 绩效考评: accountability cases opened and sanctions decided in the period.
            "cases_opened": self.cases_opened if complaints else None,
            "sanctions": self.sanctions if complaints else None,
            # 绩效考评得分: 100 less the weights of the cases, sanctions and commitment breaches
            # (supervision.assessment).
            "assessment_score": assessment_score(self.cases_opened, self.sanctions_by_kind,
                                                 self.commitment_breaches) if complaints else None,
            "alerts": {"yellow": c["yellow_alerts"], "red": c["red_alerts"]},
        }


def bucket_of(day: date, bucket: str) -> date:
    if bucket == "day":
        return day
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


class Supervision:
    """The figures of one period, optionally narrowed to a department or an official.

    Reads the rollup state once, then everything the groupings need at once
    (``period_facts``: one statement on PostgreSQL); the trend reads the rollup per day.
    """

    def __init__(self, period: Period, *, now=None, department_id=None, official_id=None):
        self.period = period
        self.now = now or timezone.now()
        self.department_id = department_id
        self.official_id = official_id
        rolled = _rolled_through()
        self.rolled_last = min(rolled, period.last) if rolled and rolled >= period.first else None
        self.live_first = period.first if self.rolled_last is None else self.rolled_last + timedelta(days=1)

    def _facts(self) -> PeriodFacts:
        if not hasattr(self, "_period_facts"):
            self._period_facts = period_facts(
                self.period.first, self.period.last, rolled_last=self.rolled_last, live_first=self.live_first,
                now=self.now, department_id=self.department_id, official_id=self.official_id)
        return self._period_facts

    @property
    def live(self) -> facts.Facts:
        """The counters of the days after the rollup, per (day, department, official)."""
        return self._facts().live

    def by_department(self) -> dict[int, Figures]:
        if not hasattr(self, "_by_department"):
            self._by_department = self._departments()
        return self._by_department

    def _departments(self) -> dict[int, Figures]:
        found = self._facts()
        result: dict[int, Figures] = defaultdict(Figures)
        for (department_id, _official), counters in found.rolled.items():
            result[department_id].add(counters)
        for (_day, department_id, _official), counters in found.live.items():
            result[department_id].add(counters)
        for (department_id, _official), counts in found.complaints.items():
            if department_id is not None:
                result[department_id].add_complaints(counts)
        for (department_id, _official), n in found.overdue.items():
            result[department_id].overdue_open += n
        for (department_id, _official), counts in found.cases.items():
            if department_id is not None:
                result[department_id].add_cases(counts)
        return result

    def by_official(self) -> dict[int, Figures]:
        found = self._facts()
        result: dict[int, Figures] = defaultdict(Figures)
        for (_department, official_id), counters in found.rolled.items():
            if official_id is not None:
                result[official_id].add(counters)
        for (_day, _department, official_id), counters in found.live.items():
            if official_id is not None:
                result[official_id].add(counters)
        for (_department, official_id), counts in found.complaints.items():
            if official_id is not None:
                result[official_id].add_complaints(counts)
        for (_department, official_id), n in found.overdue.items():
            if official_id is not None:
                result[official_id].overdue_open += n
        for (_department, official_id), counts in found.cases.items():
            result[official_id].add_cases(counts)
        return result

    def total(self) -> Figures:
        found = self._facts()
        figures = Figures()
        for counters in found.rolled.values():
            figures.add(counters)
        for counters in found.live.values():
            figures.add(counters)
        for counts in found.complaints.values():
            figures.add_complaints(counts)
        figures.overdue_open = sum(found.overdue.values())
        for counts in found.cases.values():
            figures.add_cases(counts)
        return figures

    def trend(self) -> list[tuple[date, Figures]]:
        """Figures per bucket (day, week or month) of the period, oldest first, gaps included."""
        bucket = self.period.bucket
        result: dict[date, Figures] = {}
        day = self.period.first
        while day <= self.period.last:
            result.setdefault(bucket_of(day, bucket), Figures())
            day += timedelta(days=1)
        if self.rolled_last is not None:
            qs = DailyStat.objects.filter(day__gte=self.period.first, day__lte=self.rolled_last,
                                          **facts.department_lookup(self.department_id))
            if self.official_id is not None:
                qs = qs.filter(official_id=self.official_id)
            for row in qs.values("day").annotate(**{c: Sum(c) for c in COUNTERS}).order_by():
                result[bucket_of(row["day"], bucket)].add(row)
        for (day, _department, _official), counters in self.live.items():
            result[bucket_of(day, bucket)].add(counters)
        return sorted(result.items())


_ROLLED_THROUGH_SQL = f"SELECT rolled_through FROM {RollupState._meta.db_table} WHERE id = 1"


def _rolled_through() -> date | None:
    """The last day in the rollup (a statement written once: the ORM's compiling it cost more
    than running it)."""
    with connection.cursor() as cursor:
        cursor.execute(_ROLLED_THROUGH_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


def dashboard_departments(supervision: "Supervision") -> list[Department]:
    """The serving departments and any other with a substantiated complaint or an
    accountability case in the period (the service center's own office, whose window
    clerks are complained about, serves no catalogue item)."""
    departments = serving_department_list()
    figures = supervision.by_department()
    known = {d.pk for d in departments}
    extra = [pk for pk, f in figures.items()
             if pk not in known and (f.complaints_substantiated or f.cases_opened or f.sanctions)]
    return departments + (list(Department.objects.filter(pk__in=extra).order_by("code")) if extra else [])


def serving_departments():
    """Departments that answer for a catalogue item or a stage of one."""
    return (Department.objects.filter(Q(service_items__isnull=False)
                                      | Q(pk__in=StageRequirement.objects.values("department_id")))
            .distinct().order_by("code"))


def serving_department_list() -> list[Department]:
    """``serving_departments()``, kept in each process beside the catalogue: any save or delete
    of an item, a stage or a department drops the catalogue's version token and this with it
    (``catalogue_derived``)."""
    return catalogue_derived(published_catalogue(), ("serving-departments",), lambda: list(serving_departments()))
