"""Pages of case work (纪检监察: 责任追究) and the public typical cases. Thin: parse,
call a service, render. A domain error becomes a message on the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability import decisions, permissions, references, selectors, services
from accountability.forms import CaseListFilter
from accountability.models import CaseSource, CaseStatus, Sanction, Severity, SubjectRole
from portal.organisation import roles
from portal.pagination import page_context
from portal.web.messages import domain_errors_shown, page_action_run
from portal.organisation.models import Department

# Tabs of the case list: what still needs work, what waits for the subject, the rest.
TABS = {
    "open": [CaseStatus.OPENED, CaseStatus.INVESTIGATING, CaseStatus.DECIDED, CaseStatus.APPEALED],
    "notified": [CaseStatus.NOTIFIED],
    "final": [CaseStatus.FINAL],
    "all": None,
}


@login_required
def case_list(request):
    worker = roles.oversees(request.user)
    tab = request.GET.get("tab", "open" if worker else "all")
    tab = tab if tab in TABS else "all"
    filters = CaseListFilter(request.GET)
    statuses = [filters.value("status")] if filters.value("status") else TABS[tab]
    opened_from, opened_until = filters.instants()
    qs = selectors.case_list(permissions.cases_visible_to(request.user),
                             status=",".join(statuses) if statuses else None, source=filters.value("source"),
                             department=filters.value("department"), q=filters.value("q"),
                             opened_from=opened_from, opened_until=opened_until)
    pager = page_context(request, qs, selectors.CASE_ORDER, limit=50)
    # A filter or a page asked by htmx gets the table alone (the page keeps its form).
    template = "accountability/_case_results.html" if request.htmx else "accountability/case_list.html"
    return render(request, template, {
        **pager, "cases": pager["items"], "worker": worker, "tab": tab, "tabs": list(TABS), "filters": filters,
        "keep": [("tab", tab)],
    })


@login_required
def case_new(request):
    """监察移送: a referral or a red alert becomes a case."""
    permissions.require_case_worker(request.user)
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        with domain_errors_shown(request) as outcome:
            case = services.case_refer(
                actor=request.user, subject_username=values.get("subject", "").strip(),
                subject_role=values.get("subject_role", ""), source=values.get("source", ""),
                source_ref=values.get("source_ref", ""), summary=values.get("summary", ""),
                department_code=values.get("department", ""),
                severity=values.get("severity") or Severity.ORDINARY)
        if not outcome.failed:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect("case-detail", pk=case.pk)
    return render(request, "accountability/case_new.html", {
        "values": values, "roles": SubjectRole.choices, "subjects": selectors.subject_choices(request.user),
        "severities": Severity.choices,
        "departments": Department.objects.order_by("code"), "sources": [
            (s, label) for s, label in CaseSource.choices if s in services.REFERRAL_SOURCES],
    })


@login_required
def case_page(request, pk: int):
    case = permissions.case_for_user(request.user, pk)
    worker = roles.oversees(request.user) and not permissions.is_subject(request.user, case)
    context = {
        "case": case,
        "worker": worker,
        "subject": permissions.is_subject(request.user, case),
        "events": selectors.case_events(case),
        "sanctions": Sanction.choices,
        "severities": Severity.choices,
        "escalation": getattr(case, "undecided_escalation", None),
    }
    if worker:
        repeats = list(selectors.repeat_cases(case))
        context.update({"repeats": repeats, "suggested": selectors.suggested_sanction(case, repeats),
                        "investigators": selectors.investigator_choices(case),
                        "source_link": _source_link(case)})
    return render(request, "accountability/case_detail.html", context)


def _source_link(case) -> str | None:
    """The page of the complaint or the application the case comes from."""
    record = references.source_find(case.source, case.source_ref)
    return record.url if record else None


def _bool(request, name: str) -> bool:
    return request.POST.get(name) in ("1", "on", "true", "yes")


ACTIONS = {
    "start_investigation": lambda r, c: decisions.case_start_investigation(
        actor=r.user, case_id=c.pk, investigator_username=r.POST.get("investigator", "").strip()),
    "decide": lambda r, c: decisions.case_decide(
        actor=r.user, case_id=c.pk, sanction=r.POST.get("sanction", ""), reasoning=r.POST.get("reasoning", ""),
        publish=_bool(r, "publish"), public_summary=r.POST.get("public_summary", ""),
        severity=r.POST.get("severity", "")),
    "notify": lambda r, c: decisions.case_notify(actor=r.user, case_id=c.pk),
    "appeal": lambda r, c: decisions.case_appeal(actor=r.user, case_id=c.pk, grounds=r.POST.get("grounds", "")),
    "resolve_appeal": lambda r, c: decisions.case_resolve_appeal(
        actor=r.user, case_id=c.pk, upheld=_bool(r, "upheld"), resolution=r.POST.get("resolution", ""),
        sanction=r.POST.get("sanction") or None),
}


@login_required
@require_POST
def case_act(request, pk: int, action: str):
    page_action_run(request, ACTIONS, action, permissions.case_for_user(request.user, pk))
    return redirect("case-detail", pk=pk)


def typical_cases(request):
    """典型案例: public, without the names of the people concerned."""
    pager = page_context(request, selectors.typical_cases(), selectors.TYPICAL_ORDER, limit=20)
    return render(request, "accountability/typical_cases.html", {**pager, "cases": pager["items"]})
