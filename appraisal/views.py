"""Pages of 评议: the campaigns, the questionnaire to answer, the published results and the
principal's written reply."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal import selectors, services
from appraisal.forms import CampaignListFilter
from appraisal.models import Campaign, CampaignStatus
from portal.errors import NotFound
from portal.pagination import page_context
from portal.web.messages import domain_errors_shown


def campaign_list(request):
    """评议 campaigns, public: newest first, 50 a page; by number or title, where each stands,
    department and the day it opens."""
    filters = CampaignListFilter(request.GET)
    opens_from, opens_until = filters.instants()
    found = selectors.campaign_search(selectors.campaigns(), q=filters.value("q"), state=filters.value("state"),
                                      department=filters.value("department"), opens_from=opens_from,
                                      opens_until=opens_until)
    pager = page_context(request, found, selectors.CAMPAIGN_ORDER, limit=50)
    # A filter or a page asked by htmx gets the table alone (the page keeps its form).
    template = "appraisal/_campaign_results.html" if request.htmx else "appraisal/list.html"
    return render(request, template, {**pager, "campaigns": pager["items"], "filters": filters})


def campaign_page(request, pk: int):
    campaign = selectors.campaigns().filter(pk=pk).first()
    if campaign is None:
        raise Http404()
    now = timezone.now()
    return render(request, "appraisal/detail.html", {
        "campaign": campaign,
        "open": campaign.status == CampaignStatus.RUNNING and campaign.opens_at <= now <= campaign.closes_at,
        "results": selectors.campaign_results(campaign) if selectors.results_visible(request.user, campaign) else None,
        "runner": services.runs_campaign(request.user, campaign),
        "may_reply": services.is_principal_of(request.user, campaign),
        "scores": range(1, 6),
    })



@login_required
@require_POST
def campaign_act(request, pk: int, action: str):
    # 三级政务服务: a campaign outside the runner's reach does not exist for him (404).
    with domain_errors_shown(request, passing=(NotFound,)):
        if action == "answer":
            campaign = Campaign.objects.prefetch_related("questions").filter(pk=pk).first()
            if campaign is None:
                raise Http404()
            scores = {}
            for question in campaign.questions.all():
                raw = request.POST.get(f"q{question.pk}", "")
                if raw.isdigit():
                    scores[question.pk] = int(raw)
            services.response_submit(actor=request.user, campaign_id=pk, scores=scores,
                                     comment=request.POST.get("comment", ""))
            messages.success(request, _("Thank you: your answers are recorded."))
        elif action == "publish":
            services.campaign_publish(actor=request.user, campaign_id=pk)
            messages.success(request, _("The results are published."))
        elif action == "reply":
            services.campaign_reply(actor=request.user, campaign_id=pk, text=request.POST.get("text", ""))
            messages.success(request, _("Your written reply is published."))
    return redirect("appraisal-campaign", pk=pk)
