"""Pages of 明查暗访: the visits, a form to record one with a finding per window, and a
case opened from a problem found."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability.models import Severity
from portal.organisation import roles
from portal.organisation.models import Window
from portal.pagination import Ordering, page_context
from portal.web.messages import domain_errors_shown
from supervision import inspections
from supervision.models import FindingOutcome, VisitKind

FORM_ROWS = 4


def _findings(post) -> list[inspections.FindingData]:
    """The rows of the form that name a window."""
    rows = []
    for i in range(FORM_ROWS):
        window = post.get(f"window_{i}", "").strip()
        if window:
            rows.append(inspections.FindingData(window=window, outcome=post.get(f"outcome_{i}", ""),
                                                description=post.get(f"description_{i}", ""),
                                                official=post.get(f"official_{i}", "")))
    return rows


VISIT_ORDER = Ordering(("visited_at", "id"), descending=True)


@login_required
def inspection_list(request):
    """Every visit for supervisors and the discipline office; for a department head, the
    visits with a finding at his department's windows (only those findings); for another
    official, the findings that name him."""
    kind = request.GET.get("kind", "")
    visits = inspections.visits_visible_to(request.user, kind=kind if kind in VisitKind.values else "")
    if request.method == "POST":
        visited_at = parse_datetime(request.POST.get("visited_at", "") or "")
        if visited_at is not None and timezone.is_naive(visited_at):
            visited_at = timezone.make_aware(visited_at)
        with domain_errors_shown(request) as outcome:
            visit = inspections.inspection_record(actor=request.user, kind=request.POST.get("kind", ""),
                                                  visited_at=visited_at, note=request.POST.get("note", ""),
                                                  findings=_findings(request.POST))
        if not outcome.failed:
            messages.success(request, _("Visit %(number)s recorded.") % {"number": visit.number})
            return redirect("inspection-detail", pk=visit.pk)
    return render(request, "supervision/inspections.html", {
        **page_context(request, visits, VISIT_ORDER, limit=30), "kind": kind,
        "inspector": roles.supervises(request.user), "full_reader": roles.oversees(request.user),
        "head": roles.has_role(request.user, roles.DEPARTMENT_HEAD),
        "kinds": VisitKind.choices,
        "outcomes": FindingOutcome.choices,
        "windows": Window.objects.filter(center=inspections.inspected_center(request.user))
        .select_related("department").order_by("number"),
        "officials": inspections.official_choices(request.user), "rows": range(FORM_ROWS), "values": request.POST,
    })


@login_required
def inspection_page(request, pk: int):
    visit = inspections.visit_for_user(request.user, pk)
    return render(request, "supervision/inspection.html", {
        "visit": visit, "findings": visit.findings.all(),
        "inspector": roles.supervises(request.user), "severities": Severity.choices,
    })


@login_required
@require_POST
def finding_open_case(request, pk: int):
    finding = inspections.finding_for_user(request.user, pk)
    with domain_errors_shown(request) as outcome:
        case = inspections.inspection_finding_open_case(actor=request.user, finding_id=finding.pk,
                                                        summary=request.POST.get("summary", ""),
                                                        severity=request.POST.get("severity") or Severity.ORDINARY)
    if not outcome.failed:
        messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
    return redirect("inspection-detail", pk=finding.visit_id)
