"""Pages of 问责延伸: the department's three responsible persons and the proposals the
system makes against leaders, confirmed or dismissed by the discipline office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accountability import escalation, permissions, selectors
from accountability.forms import ProposalListFilter
from accountability.models import ProposalStatus, ResponsiblePersons
from portal.organisation import roles
from portal.organisation.selectors import in_reach
from portal.pagination import page_context
from portal.web.messages import domain_errors_shown


@login_required
def proposal_list(request):
    """问责延伸 proposals of one status (the tab), newest first, 50 a page; by number or the
    subject's badge, department, the leader proposed against and the day proposed."""
    permissions.require_case_worker(request.user)
    status = request.GET.get("status", ProposalStatus.PROPOSED)
    filters = ProposalListFilter(request.GET)
    proposed_from, proposed_until = filters.instants()
    found = selectors.proposal_search(
        permissions.proposals_visible_to(request.user).select_related("department", "subject", "case")
        .prefetch_related("cases"), status=status if status in ProposalStatus.values else None,
        q=filters.value("q"), department=filters.value("department"), subject_role=filters.value("subject_role"),
        proposed_from=proposed_from, proposed_until=proposed_until)
    pager = page_context(request, found, selectors.PROPOSAL_ORDER, limit=50)
    # A filter or a page asked by htmx gets the table alone (the page keeps its form).
    template = "accountability/_proposal_results.html" if request.htmx else "accountability/proposals.html"
    return render(request, template, {
        **pager, "proposals": pager["items"], "status": status, "filters": filters, "keep": [("status", status)],
        "statuses": ProposalStatus.choices,
        "may_decide": roles.in_discipline_office(request.user),
        "persons": ResponsiblePersons.objects.filter(in_reach(request.user, "department__center")).select_related(
            "department__head", "direct", "leader_in_charge", "principal").order_by("department__code"),
    })


@login_required
@require_POST
def proposal_act(request, pk: int, action: str):
    permissions.require_case_worker(request.user)
    if action not in ("confirm", "dismiss") or not permissions.proposals_visible_to(request.user).filter(pk=pk).exists():
        raise Http404()
    with domain_errors_shown(request):
        if action == "confirm":
            proposal = escalation.proposal_confirm(actor=request.user, proposal_id=pk,
                                                   note=request.POST.get("note", ""))
            messages.success(request, _("Confirmed: case %(number)s opened.") % {"number": proposal.case.number})
        else:
            escalation.proposal_dismiss(actor=request.user, proposal_id=pk, reason=request.POST.get("reason", ""))
            messages.success(request, _("Proposal dismissed."))
    return redirect("proposal-list")
