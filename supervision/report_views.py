"""The page of the monthly report on service targets (考核月报) and its downloads."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portal.web.messages import domain_errors_shown
from supervision import permissions
from supervision.report import month_from, monthly_report, report_csv, report_pdf


class MonthForm(forms.Form):
    """The month asked for; only here to show a refused month next to its field."""
    month = forms.CharField(required=False)


def _report(request, form: MonthForm):
    """The report of the month asked for; a month refused is shown, and the last full month given."""
    scope = permissions.reader_scope(request.user)
    today = timezone.localdate()
    month = None
    with domain_errors_shown(request, form):
        month = month_from(request.GET.get("month"), today=today)
    return monthly_report(month or month_from(None, today=today), department_id=scope)


@login_required
def monthly_report_page(request):
    form = MonthForm(request.GET)
    report = _report(request, form)
    download = request.GET.get("download")
    if download == "csv":
        response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    elif download == "pdf":
        response = HttpResponse(report_pdf(report), content_type="application/pdf")
    else:
        return render(request, "supervision/monthly_report.html", {"report": report, "form": form})
    response["Content-Disposition"] = f'attachment; filename="monthly-report-{report.label}.{download}"'
    return response
