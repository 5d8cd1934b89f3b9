"""An official's record over time (绩效考评 of a person): month by month, his decisions,
the accountability cases against him and their sanctions, the substantiated complaints
about him and the ratings (好差评) of the applications he handled. A handful of
grouped queries, whatever the number of months."""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accountability.models import AccountabilityCase, Sanction
from accountability.selectors import DECIDED as CASE_DECIDED
from complaints.models import CASE_FINDINGS, SATISFIED_LEVELS, Complaint, Evaluation
from supervision.facts import bounds
from supervision.stats import Period, Supervision

MONTHS = 12


def _months_back(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def _month(field: str) -> TruncMonth:
    return TruncMonth(field, tzinfo=timezone.get_current_timezone())


def _by_month(qs, field: str, **counts) -> dict[date, dict[str, int]]:
    rows = qs.annotate(month=_month(field)).values("month").annotate(**counts).order_by()
    return {(r["month"].date() if hasattr(r["month"], "date") else r["month"]): r for r in rows}


def official_history(official, *, today: date | None = None, months: int = MONTHS) -> list[dict]:
    """One row per month of the last ``months`` (oldest first): decided, on-time rate,
    cases opened, sanctions decided, substantiated complaints, ratings and satisfaction."""
    today = today or timezone.localdate()
    period = Period(_months_back(today, months), today)
    start, end = bounds(period.first, period.last)
    trend = dict(Supervision(period, official_id=official.pk).trend()) if period.bucket == "month" else {}
    cases = AccountabilityCase.objects.filter(subject=official)
    opened = _by_month(cases.filter(opened_at__gte=start, opened_at__lt=end), "opened_at", n=Count("id"))
    sanctioned = _by_month(cases.filter(decided_at__gte=start, decided_at__lt=end, status__in=CASE_DECIDED)
                           .exclude(sanction__in=("", Sanction.NO_FAULT)), "decided_at", n=Count("id"))
    complaints = _by_month(Complaint.objects.filter(staff=official, finding__in=CASE_FINDINGS,
                                                    concluded_at__gte=start, concluded_at__lt=end),
                           "concluded_at", n=Count("id"))
    handled = Evaluation.objects.filter(
        pk__in=Evaluation.objects.filter(Q(application__stages__assignee=official)
                                         | Q(application__intake_clerk=official)).values("pk"))
    ratings = _by_month(handled.filter(struck=False, rated_at__gte=start, rated_at__lt=end), "rated_at",
                        n=Count("id"), good=Count("id", filter=Q(score__in=SATISFIED_LEVELS)))
    empty: dict = defaultdict(int)
    rows = []
    month = period.first
    while month <= period.last:
        figures = trend[month].as_dict(ratings=False, complaints=False) if month in trend else None
        rated = ratings.get(month, empty)
        rows.append({
            "month": month.strftime("%Y-%m"),
            "decided": figures["decided"] if figures else 0,
            "on_time_rate": figures["on_time_rate"] if figures else None,
            "cases_opened": opened.get(month, empty)["n"],
            "sanctions": sanctioned.get(month, empty)["n"],
            "complaints_substantiated": complaints.get(month, empty)["n"],
            "evaluations": rated["n"],
            "satisfaction_rate": round(rated["good"] / rated["n"], 4) if rated["n"] else None,
        })
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return rows
