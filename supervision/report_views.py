"""The page of the monthly report on service targets (考核月报) and its downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portal.errors import DomainError
from supervision import permissions
from supervision.report import month_from, monthly_report, report_csv, report_pdf


def _report(request):
    scope = permissions.reader_scope(request.user)
    today = timezone.localdate()
    try:
        month = month_from(request.GET.get("month"), today=today)
    except DomainError as error:
        messages.error(request, error.detail)
        month = month_from(None, today=today)
    return monthly_report(month, department_id=scope)


@login_required
def monthly_report_page(request):
    report = _report(request)
    download = request.GET.get("download")
    if download == "csv":
        response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    elif download == "pdf":
        response = HttpResponse(report_pdf(report), content_type="application/pdf")
    else:
        return render(request, "supervision/monthly_report.html", {"report": report})
    response["Content-Disposition"] = f'attachment; filename="monthly-report-{report.label}.{download}"'
    return response
