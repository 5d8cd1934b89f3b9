"""Pages of case work (纪检监察: 责任追究) and the public typical cases. Thin: parse,
call a service, render. A domain error becomes a message on the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability import decisions, permissions, selectors, services
from accountability.models import CaseSource, CaseStatus, Sanction, SubjectRole
from approvals.models import Application
from complaints.models import Complaint
from portal.errors import DomainError

# Tabs of the case list: what still needs work, what waits for the subject, the rest.
TABS = {
    "open": [CaseStatus.OPENED, CaseStatus.INVESTIGATING, CaseStatus.DECIDED, CaseStatus.APPEALED],
    "notified": [CaseStatus.NOTIFIED],
    "final": [CaseStatus.FINAL],
    "all": None,
}


def _show_error(request, error: DomainError) -> None:
    messages.error(request, error.detail)
    for problems in error.fields.values():
        for problem in problems if isinstance(problems, list) else [problems]:
            messages.error(request, problem)


@login_required
def case_list(request):
    worker = permissions.works_cases(request.user)
    tab = request.GET.get("tab", "open" if worker else "all")
    statuses = TABS.get(tab)
    qs = selectors.case_list(permissions.cases_visible_to(request.user),
                             status=",".join(statuses) if statuses else None,
                             source=request.GET.get("source"), department=request.GET.get("department"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accountability/case_list.html", {
        "page": page, "worker": worker, "tab": tab, "tabs": list(TABS),
    })


@login_required
def case_new(request):
    """监察移送: a referral or a red alert becomes a case."""
    permissions.require_case_worker(request.user)
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            case = services.case_refer(
                actor=request.user, subject_username=values.get("subject", "").strip(),
                subject_role=values.get("subject_role", ""), source=values.get("source", ""),
                source_ref=values.get("source_ref", ""), summary=values.get("summary", ""),
                department_code=values.get("department", ""))
        except DomainError as error:
            _show_error(request, error)
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect("case-detail", pk=case.pk)
    return render(request, "accountability/case_new.html", {
        "values": values, "roles": SubjectRole.choices, "sources": [
            (s, label) for s, label in CaseSource.choices if s in services.REFERRAL_SOURCES],
    })


@login_required
def case_page(request, pk: int):
    case = permissions.case_for_user(request.user, pk)
    worker = permissions.works_cases(request.user) and not permissions.is_subject(request.user, case)
    context = {
        "case": case,
        "worker": worker,
        "subject": permissions.is_subject(request.user, case),
        "events": selectors.case_events(case),
        "sanctions": Sanction.choices,
    }
    if worker:
        repeats = list(selectors.repeat_cases(case))
        context.update({"repeats": repeats, "suggested": selectors.suggested_sanction(case, repeats),
                        "source_link": _source_link(case)})
    return render(request, "accountability/case_detail.html", context)


def _source_link(case) -> str | None:
    """The page of the complaint or the application the case comes from."""
    if case.source == CaseSource.COMPLAINT:
        pk = Complaint.objects.filter(number=case.source_ref).values_list("pk", flat=True).first()
        return reverse("complaint-work", args=[pk]) if pk else None
    pk = Application.objects.filter(number=case.source_ref).values_list("pk", flat=True).first()
    return reverse("application-detail", args=[pk]) if pk else None


def _bool(request, name: str) -> bool:
    return request.POST.get(name) in ("1", "on", "true", "yes")


ACTIONS = {
    "start_investigation": lambda r, c: decisions.case_start_investigation(
        actor=r.user, case_id=c.pk, investigator_username=r.POST.get("investigator", "").strip()),
    "decide": lambda r, c: decisions.case_decide(
        actor=r.user, case_id=c.pk, sanction=r.POST.get("sanction", ""), reasoning=r.POST.get("reasoning", ""),
        publish=_bool(r, "publish"), public_summary=r.POST.get("public_summary", "")),
    "notify": lambda r, c: decisions.case_notify(actor=r.user, case_id=c.pk),
    "appeal": lambda r, c: decisions.case_appeal(actor=r.user, case_id=c.pk, grounds=r.POST.get("grounds", "")),
    "resolve_appeal": lambda r, c: decisions.case_resolve_appeal(
        actor=r.user, case_id=c.pk, upheld=_bool(r, "upheld"), resolution=r.POST.get("resolution", ""),
        sanction=r.POST.get("sanction") or None),
}


@login_required
@require_POST
def case_act(request, pk: int, action: str):
    case = permissions.case_for_user(request.user, pk)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404()
    try:
        handler(request, case)
    except DomainError as error:
        _show_error(request, error)
    else:
        messages.success(request, _("Done."))
    return redirect("case-detail", pk=pk)


def typical_cases(request):
    """典型案例: public, without the names of the people concerned."""
    page = Paginator(selectors.typical_cases(), 20).get_page(request.GET.get("page"))
    return render(request, "accountability/typical_cases.html", {"page": page})
