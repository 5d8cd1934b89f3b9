"""Pages of electronic supervision (电子监察): the supervisor's dashboard per department
and per official with trend charts, drill-down to the applications and alerts behind
the figures, a CSV export, and the public statistics per department."""

import csv
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accountability.models import AccountabilityCase
from accountability.permissions import cases_visible_to
from accountability.selectors import escalated_undecided
from approvals.models import OPEN_STAGE, AlertRecord, Stage, StageStatus
from approvals.referrals import center_of, may_see_center
from portal.web.messages import domain_errors_shown
from supervision import charts, permissions
from supervision.api import official_rows
from supervision.facts import ON_TIME, bounds, department_lookup
from portal.organisation.models import Department
from complaints.rectification import overdue_reports
from complaints.selectors import substantiated_about
from supervision.history import official_history
from supervision.stats import Period, Supervision, dashboard_departments, period_from, serving_departments
from supervision.targets import TargetAssessor

DRILL_PAGE = 50


def _period(request, *, default: Period | None = None) -> Period:
    today = timezone.localdate()
    if default is not None and not request.GET.get("from") and not request.GET.get("to"):
        return default
    with domain_errors_shown(request):
        return period_from(request.GET, today=today)
    return period_from({}, today=today)


def _label(start: date, bucket: str) -> str:
    return start.strftime("%Y-%m") if bucket == "month" else start.strftime("%m-%d")


def _charts(supervision: Supervision, *, ratings: bool, alerts: bool = True) -> list[charts.Chart]:
    """The trend charts of the period (title and inline SVG)."""
    trend = supervision.trend()
    bucket = supervision.period.bucket
    labels = [_label(start, bucket) for start, _figures in trend]
    rows = [figures.as_dict(ratings=ratings, complaints=False) for _start, figures in trend]
    titles = {"on_time": _("On-time rate"), "decisions": _("Decisions"), "alerts": _("Alerts"),
              "satisfaction": _("Satisfaction rate")}
    result = [
        charts.rate_chart(titles["on_time"], labels, [r["on_time_rate"] for r in rows]),
        charts.bar_chart(titles["decisions"], labels, [
            (_("on time"), [r["on_time"] for r in rows], "#1e7b34"),
            (_("late"), [r["decided"] - r["on_time"] - r["deemed_approvals"] for r in rows], "#f2b705"),
            (_("deemed approved"), [r["deemed_approvals"] for r in rows], "#b3261e"),
        ]),
    ]
    if alerts:
        result.append(charts.bar_chart(titles["alerts"], labels, [
            (_("yellow"), [r["alerts"]["yellow"] for r in rows], "#f2b705"),
            (_("red"), [r["alerts"]["red"] for r in rows], "#b3261e"),
        ]))
    if ratings:
        result.append(charts.rate_chart(titles["satisfaction"], labels, [r["satisfaction_rate"] for r in rows]))
    return result


def _department_rows(supervision: Supervision, departments) -> list[dict]:
    figures = supervision.by_department()
    assess = TargetAssessor()
    return [{"department": d, **assess(d, figures[d.pk].as_dict())} for d in departments]


@login_required
def dashboard(request):
    scope = permissions.reader_scope(request.user)
    if isinstance(scope, int):
        return redirect("supervision-department", code=request.user.staff_profile.department.code)
    period = _period(request)
    supervision = Supervision(period, department_id=scope)
    departments = [d for d in dashboard_departments(supervision) if permissions.in_scope(scope, d.pk)]
    return render(request, "supervision/dashboard.html", {
        "period": period, "rows": _department_rows(supervision, departments),
        "total": supervision.total().as_dict(),
        "charts": _charts(supervision, ratings=True),
        "undecided": list(escalated_undecided(request.user)[:DRILL_PAGE]),
        "missing_reports": list(overdue_reports(request.user)[:DRILL_PAGE]),
        # The link to the center's figures only for whoever may open them (a supervisor of it).
        "own_center": own if (own := center_of(request.user)) and may_see_center(request.user, own) else None,
    })


@login_required
def department_page(request, code: str):
    department = permissions.department_for_reader(request.user, code)
    period = _period(request)
    supervision = Supervision(period, department_id=department.pk)
    row = _department_rows(supervision, [department])[0]
    return render(request, "supervision/department.html", {
        "period": period, "department": department, "row": row,
        "officials": official_rows(supervision),
        "charts": _charts(supervision, ratings=True),
        **_cases(request.user, AccountabilityCase.objects.filter(department=department).select_related("subject")),
    })


def _cases(user, cases) -> dict:
    """The latest cases, and which of them the reader may open: a department head reads his
    department's figures but opens only the cases against himself."""
    cases = list(cases.order_by("-opened_at", "-id")[:20])
    openable = set(cases_visible_to(user).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True))
    return {"cases": cases, "openable_cases": openable}


@login_required
def official_page(request, username: str):
    official = permissions.official_for_reader(request.user, username)
    period = _period(request)
    supervision = Supervision(period, official_id=official.pk, department_id=permissions.reader_scope(request.user))
    return render(request, "supervision/official.html", {
        "period": period, "official": official, "profile": official.staff_profile,
        "row": supervision.total().as_dict(ratings=False),
        "charts": _charts(supervision, ratings=False),
        "overdue": Stage.objects.filter(assignee=official, status__in=OPEN_STAGE, due_at__lt=supervision.now)
        .select_related("application", "department").order_by("due_at")[:DRILL_PAGE],
        **_cases(request.user, AccountabilityCase.objects.filter(subject=official)),
        "history": official_history(official),
        "complaints": substantiated_about(official)[:20],
    })


# Drill-down: the stages behind a figure of a department in a period.
DRILLS = {
    "overdue": gettext_lazy("Open past the limit"),
    "deemed": gettext_lazy("Deemed approved"),
    "late": gettext_lazy("Decided after the limit"),
}


def _drill_stages(kind: str, department, period: Period, now):
    qs = Stage.objects.filter(department=department).select_related("application", "assignee")
    start, end = bounds(period.first, period.last)
    if kind == "overdue":
        return qs.filter(status__in=OPEN_STAGE, due_at__lt=now).order_by("due_at", "id")
    decided = qs.filter(decided_at__gte=start, decided_at__lt=end)
    if kind == "deemed":
        return decided.filter(status=StageStatus.DEEMED_APPROVED).order_by("-decided_at", "-id")
    return (decided.filter(status__in=(StageStatus.APPROVED, StageStatus.DENIED)).exclude(ON_TIME)
            .order_by("-decided_at", "-id"))


def _offset(request) -> int:
    try:
        return max(0, int(request.GET.get("offset", 0)))
    except ValueError:
        return 0


@login_required
def department_stages(request, code: str, kind: str):
    department = permissions.department_for_reader(request.user, code)
    if kind not in DRILLS:
        raise Http404()
    period = _period(request)
    offset = _offset(request)
    rows = list(_drill_stages(kind, department, period, timezone.now())[offset:offset + DRILL_PAGE + 1])
    return render(request, "supervision/stages.html", {
        "department": department, "kind": kind, "title": DRILLS[kind], "period": period,
        "stages": rows[:DRILL_PAGE], "offset": offset,
        "next_offset": offset + DRILL_PAGE if len(rows) > DRILL_PAGE else None,
        "previous_offset": max(0, offset - DRILL_PAGE) if offset else None,
    })


@login_required
def alerts_page(request):
    """The alert records behind the figures (红黄牌), newest first."""
    scope = permissions.reader_scope(request.user)
    period = _period(request)
    start, end = bounds(period.first, period.last)
    qs = AlertRecord.objects.filter(raised_at__gte=start, raised_at__lt=end).select_related(
        "application", "department", "assignee")
    department = None
    if request.GET.get("department"):
        department = permissions.department_for_reader(request.user, request.GET["department"])
        qs = qs.filter(department=department)
    elif scope is not None:
        qs = qs.filter(**department_lookup(scope))
    if request.GET.get("official"):
        qs = qs.filter(assignee=permissions.official_for_reader(request.user, request.GET["official"]))
    level = request.GET.get("level")
    if level in ("yellow", "red"):
        qs = qs.filter(level=level)
    offset = _offset(request)
    rows = list(qs.order_by("-raised_at", "-id")[offset:offset + DRILL_PAGE + 1])
    return render(request, "supervision/alerts.html", {
        "period": period, "alerts": rows[:DRILL_PAGE], "department": department, "level": level,
        "official": request.GET.get("official", ""), "offset": offset,
        "next_offset": offset + DRILL_PAGE if len(rows) > DRILL_PAGE else None,
        "previous_offset": max(0, offset - DRILL_PAGE) if offset else None,
    })


# The export is read by people in a spreadsheet: headers in the reader's language, codes
# only beside the names they identify (the department code, the badge number).
CSV_COLUMNS = {
    "decided": gettext_lazy("Stages decided"), "on_time": gettext_lazy("Decided on time"), "on_time_rate": gettext_lazy("On-time rate"),
    "onsite_rate": gettext_lazy("On-site rate"), "overdue_open": gettext_lazy("Open past the limit"),
    "deemed_approvals": gettext_lazy("Deemed approvals"), "average_working_days": gettext_lazy("Average working days used"),
    "average_committed_days": gettext_lazy("Average committed working days"), "satisfaction_rate": gettext_lazy("Satisfaction rate"),
    "complaints_substantiated": gettext_lazy("Substantiated complaints"),
    "commitment_breaches": gettext_lazy("Service commitments broken"),
    "cases_opened": gettext_lazy("Accountability cases opened"), "sanctions": gettext_lazy("Sanctions decided"),
    "assessment_score": gettext_lazy("Assessment score"),
}


@login_required
def export_csv(request):
    """The figures of the period as CSV: per department, or per official with ``by=officials``."""
    scope = permissions.reader_scope(request.user)
    period = _period(request)
    supervision = Supervision(period, department_id=scope)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    by_officials = request.GET.get("by") == "officials"
    name = f"supervision-{'officials' if by_officials else 'departments'}-{period.first}-{period.last}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # so that spreadsheet programs read the Chinese names as UTF-8
    writer = csv.writer(response)
    head = [_("From"), _("To")] + ([_("Official"), _("Badge number"), _("Department"), _("Department code")]
                                   if by_officials else [_("Department"), _("Department code")])
    writer.writerow(head + list(CSV_COLUMNS.values()) + [_("Yellow alerts"), _("Red alerts")])
    if by_officials:
        names = {d.code: d.display_name for d in Department.objects.all()}
        for row in official_rows(supervision):
            writer.writerow([period.first, period.last, row["name"], row["badge"],
                             names.get(row["department"], row["department"]), row["department"]] + _csv_values(row))
    else:
        departments = dashboard_departments(supervision)
        departments = [d for d in departments if permissions.in_scope(scope, d.pk)]
        for row in _department_rows(supervision, departments):
            writer.writerow([period.first, period.last, row["department"].display_name, row["department"].code]
                            + _csv_values(row))
    return response


def _csv_values(row: dict) -> list:
    return [("" if row[c] is None else row[c]) for c in CSV_COLUMNS] + [row["alerts"]["yellow"], row["alerts"]["red"]]


def _year_to_date() -> Period:
    today = timezone.localdate()
    return Period(today.replace(month=1, day=1), today)


def public_statistics(request):
    """政务公开: every department's figures, without officials."""
    period = _period(request, default=_year_to_date())
    supervision = Supervision(period)
    return render(request, "supervision/public.html", {
        "period": period, "rows": _department_rows(supervision, serving_departments()),
    })


def public_department(request, code: str):
    department = serving_departments().filter(code=code).first()
    if department is None:
        raise Http404()
    period = _period(request, default=_year_to_date())
    supervision = Supervision(period, department_id=department.pk)
    return render(request, "supervision/public_department.html", {
        "period": period, "department": department, "row": _department_rows(supervision, [department])[0],
        "charts": _charts(supervision, ratings=True, alerts=False),
    })
