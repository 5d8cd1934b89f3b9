"""考核月报: the monthly report of the departments against the center's targets (现场办结率,
按时办结率, 群众评价满意率), as data, as CSV and as a formal PDF document."""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.documents.formal_document import FormalDocument
from portal.documents.rendering import render_pdf
from portal.errors import ValidationFailed
from portal.organisation.models import ServiceCenter
from supervision.facts import department_lookup
from supervision.stats import Period, Supervision, serving_departments
from supervision.targets import TARGETS, TargetAssessor, breach_text


@dataclass(frozen=True)
class MonthlyReport:
    month: date
    period: Period
    rows: list[dict]

    @property
    def below(self) -> list[dict]:
        """The departments with at least one figure below its target."""
        return [r for r in self.rows if r["below_target"]]

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"


def month_from(raw: str | None, *, today: date) -> date:
    """``YYYY-MM`` → its first day; by default the last full month. A month not begun is refused."""
    if not raw:
        return (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    try:
        year, month = (int(part) for part in raw.split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise ValidationFailed(_("The month is not valid."), fields={"month": [_("A month as YYYY-MM.")]}) from None
    if first > today:
        raise ValidationFailed(_("The month is not valid."), fields={"month": [_("This month has not begun.")]})
    return first


def monthly_report(month: date, *, department_id=None, today: date | None = None) -> MonthlyReport:
    """Every serving department's figures of ``month`` (up to today for the running month)."""
    today = today or timezone.localdate()
    last = min((month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1), today)
    period = Period(month, last)
    supervision = Supervision(period, department_id=department_id)
    figures = supervision.by_department()
    departments = serving_departments()
    if department_id is not None:
        departments = departments.filter(**department_lookup(department_id, "pk"))
    assess = TargetAssessor()
    rows = [{"department": d, **assess(d, figures[d.pk].as_dict())} for d in departments]
    return MonthlyReport(month=month, period=period, rows=rows)


CSV_FIGURES = ["decided", "onsite_rate", "on_time_rate", "satisfaction_rate", "complaints_substantiated",
               "commitment_breaches", "cases_opened", "sanctions", "assessment_score"]
# Column headings in words (issue 12: no codes where a person reads); the department's code
# stays beside its name for whoever joins the sheet with other data.
CSV_LABELS = {
    "month": gettext_lazy("Month"), "department": gettext_lazy("Department code"), "name": gettext_lazy("Department"),
    "decided": gettext_lazy("Stages decided"), "onsite_rate": gettext_lazy("On-site rate"),
    "on_time_rate": gettext_lazy("On-time rate"), "satisfaction_rate": gettext_lazy("Satisfaction rate"),
    "complaints_substantiated": gettext_lazy("Substantiated complaints"),
    "commitment_breaches": gettext_lazy("Service commitments broken"),
    "cases_opened": gettext_lazy("Accountability cases opened"), "sanctions": gettext_lazy("Sanctions decided"),
    "assessment_score": gettext_lazy("Assessment score"),
    "below_target": gettext_lazy("Below target"),
}


def csv_header() -> list[str]:
    """The report's column headings in the active language, in column order."""
    targets = [_("Target: %(figure)s") % {"figure": TARGETS[n]} for n in TARGETS]
    return [str(CSV_LABELS[c]) for c in ("month", "department", "name", *CSV_FIGURES)] + targets + \
        [str(CSV_LABELS["below_target"])]


def report_csv(report: MonthlyReport) -> str:
    """One line per department: figures, targets, and the figures below target (in words)."""
    out = io.StringIO()
    out.write("\ufeff")  # spreadsheet programs read the Chinese names as UTF-8
    writer = csv.writer(out)
    writer.writerow(csv_header())
    for row in report.rows:
        writer.writerow([report.label, row["department"].code, row["department"].name,
                         *("" if row[c] is None else row[c] for c in CSV_FIGURES),
                         *(row["targets"][n] for n in TARGETS),
                         "、".join(str(TARGETS[n]) for n in row["below_target"])])
    return out.getvalue()


def report_document(report: MonthlyReport) -> FormalDocument:
    """The report as a formal document in the active language: the departments below target, numbered."""
    center = ServiceCenter.objects.order_by("pk").first()
    issuer = center.name if center else _("Service center")
    now = timezone.now()
    below = report.below
    items = [(row["department"].name, "；".join(breach_text(row)) if translation.get_language() != "en"
              else "; ".join(breach_text(row))) for row in below]
    paragraphs = [_("Figures of the stages decided from %(first)s to %(last)s against the targets of the center: "
                    "on-site completion rate, on-time completion rate and satisfaction rate.")
                  % {"first": report.period.first.isoformat(), "last": report.period.last.isoformat()}]
    if below:
        paragraphs.append(_("The following departments are below target and are asked to rectify:"))
    else:
        paragraphs.append(_("Every department met its targets this month."))
    return FormalDocument(
        title=_("Monthly report on service targets"), issuer=issuer, number=f"JX{report.month:%Y%m}",
        issued_at=now, fields=[(_("Month"), report.label), (_("Departments"), str(len(report.rows))),
                               (_("Below target"), str(len(below)))],
        paragraphs=paragraphs, items=items, stamp_text=issuer,
        language="en" if translation.get_language() == "en" else "zh-hans", time_zone=settings.TIME_ZONE)


def report_pdf(report: MonthlyReport) -> bytes:
    return render_pdf(report_document(report))
