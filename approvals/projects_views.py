"""Pages of 项目经理制 and 提前介入: the key projects, each project's own view (its manager and the
supervisors of its center), the pre-reviews waiting for an answer; and the supervisors' view of
the intermediary services (中介服务). Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals import intermediaries, permissions, project_designation, projects, selectors
from approvals.forms import KeyProjectFilter, LateIntermediaryFilter, MyApplicationFilter, PreReviewFilter
from approvals.models import StageStatus, Status
from portal.errors import PermissionDenied
from portal.organisation import roles
from portal.pagination import page_context
from portal.web.confirm import confirmation_page, confirmed
from portal.web.messages import domain_errors_shown
from projects.models import PreReview, PreReviewResult


@login_required
def project_list(request):
    """重点项目: the projects the person manages or supervises, by code, 50 a page; by code, name or
    enterprise, on or off the green channel and the day designated."""
    filters = KeyProjectFilter(request.GET)
    designated_from, designated_until = filters.instants()
    channel = filters.value("channel")
    found = projects.project_search(projects.projects_visible_to(request.user), q=filters.value("q"),
                                    active={"on": True, "off": False}.get(channel),
                                    designated_from=designated_from, designated_until=designated_until)
    pager = page_context(request, found, projects.PROJECT_ORDER, limit=50)
    # A filter or a page asked by htmx gets the table alone (the page keeps its form).
    template = "approvals/_project_results.html" if request.htmx else "approvals/projects.html"
    return render(request, template, {
        **pager, "projects": pager["items"], "filters": filters,
        "may_designate": bool(project_designation.designating_centers(request.user))})


@login_required
def project_suggestions(request):
    """The key-project field's suggestions as one types its code or name (apply and walk-in
    forms): the <option>s of its <datalist>."""
    return render(request, "approvals/_project_suggestions.html", {
        "suggestions": projects.project_suggestions(request.user, request.GET.get("project", ""))})


@login_required
def project_new(request):
    """重点项目 designated by a supervisor: the project, its enterprise, its manager (项目经理) and
    its green-channel limit per stage."""
    centers = project_designation.designating_centers(request.user)
    if not centers:
        raise PermissionDenied()
    if request.method == "POST":
        form = request.POST
        with domain_errors_shown(request) as outcome:
            project = project_designation.key_project_designate(
                actor=request.user, code=form.get("code", ""), name=form.get("name", ""),
                enterprise=form.get("enterprise", ""), manager=form.get("manager", ""),
                stage_days=_whole_number(form.get("stage_days")), center=form.get("center") or None,
                applicant=form.get("applicant") or None, note=form.get("note", ""))
        if not outcome.failed:
            messages.success(request, _("Key project designated."))
            return redirect("project-detail", code=project.code)
    return render(request, "approvals/project_new.html", {
        "centers": centers, "managers": project_designation.project_managers(request.user), "form": request.POST})


def _whole_number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def project_page(request, code: str):
    """项目经理制: the project's own view — every application across departments, stage by stage,
    newest first, 50 a page (by number or service item, status and the day applied; the
    citizen's list's filters); the supervisors of its center also change its manager and its
    applications here."""
    project = projects.project_for_user(request.user, code)
    filters = MyApplicationFilter(request.GET)
    created_from, created_until = filters.instants()
    pager = page_context(request, selectors.own_application_list(
        projects.project_applications(project), q=filters.value("q"), status=filters.value("status"),
        created_from=created_from, created_until=created_until), selectors.APPLICATION_ORDER, limit=50)
    overview = projects.project_overview(project, applications=pager["items"])
    for application in overview["applications"]:
        application["status_label"] = Status(application["status"]).label
        for stage in application["stages"]:
            stage["status_label"] = StageStatus(stage["status"]).label
    may_change = project_designation.may_designate(request.user, project.center)
    context = {**pager, "project": overview, "may_change": may_change, "filters": filters}
    # A filter or a page asked by htmx gets the applications alone (the page keeps the rest).
    if request.htmx:
        return render(request, "approvals/_project_applications.html", context)
    return render(request, "approvals/project.html", {
        **context, "managers": project_designation.project_managers(request.user) if may_change else []})


@login_required
@require_POST
def project_change(request, code: str, action: str):
    """The supervisors' changes of a key project from its page: another manager, an application
    linked or unlinked; taking it off the green channel asks for confirmation first."""
    form = request.POST
    if action == "close" and not confirmed(request):
        project = projects.project_for_user(request.user, code)
        return confirmation_page(
            request, question=_("Take the project off the green channel?"), confirm_label=_("Yes, close it"),
            cancel_url=reverse("project-detail", args=[code]),
            facts=[(_("Key project"), f"{project.code} {project.name}"), (_("Reason"), form.get("reason", ""))],
            consequence=_("Nothing is filed or linked under it any more, and its applications not yet accepted "
                          "run on their item's own limit. Departments already reviewing keep the limit they "
                          "started on. This cannot be undone here."))
    changes = {
        "manager": lambda: project_designation.key_project_manager_assign(
            actor=request.user, code=code, manager=form.get("manager", ""), reason=form.get("reason", "")),
        "link": lambda: project_designation.key_project_application_link(
            actor=request.user, code=code, number=form.get("application", "")),
        "unlink": lambda: project_designation.key_project_application_unlink(
            actor=request.user, code=code, number=form.get("application", ""), reason=form.get("reason", "")),
        "close": lambda: project_designation.key_project_close(actor=request.user, code=code,
                                                               reason=form.get("reason", "")),
    }
    if action not in changes:
        raise Http404()
    with domain_errors_shown(request) as outcome:
        changes[action]()
    if not outcome.failed:
        messages.success(request, _("Key project updated."))
    return redirect("project-detail", code=code)


@login_required
def pre_review_queue(request):
    """预审: the consultations the person may answer, oldest first, 50 a page; by application
    number or applicant, service item, alert and the day requested."""
    filters = PreReviewFilter(request.GET)
    requested_from, requested_until = filters.instants()
    reviews = projects.pre_review_search(
        projects.pre_reviews_waiting_for(request.user), q=filters.value("q"), service=filters.value("service"),
        alert=filters.value("alert"), requested_from=requested_from, requested_until=requested_until)
    pager = page_context(request, reviews, projects.PRE_REVIEW_ORDER, limit=50)
    # A filter or a page asked by htmx gets the table alone (the page keeps its form).
    template = "approvals/_pre_review_results.html" if request.htmx else "approvals/pre_reviews.html"
    return render(request, template, {**pager, "reviews": pager["items"], "filters": filters})


@login_required
@require_POST
def pre_review_request(request, pk: int):
    application = permissions.application_for_user(request.user, pk)
    with domain_errors_shown(request) as outcome:
        projects.pre_review_request(actor=request.user, application_id=application.pk,
                                    question=request.POST.get("question", ""))
    if not outcome.failed:
        messages.success(request, _("Pre-review requested: the center checks your materials; no time limit "
                                    "runs until you submit."))
    return redirect("application-detail", pk=application.pk)


@login_required
@require_POST
def pre_review_answer(request, pk: int):
    review = PreReview.objects.filter(pk=pk).first()
    if review is None:
        return redirect("pre-review-queue")
    application = permissions.application_for_user(request.user, review.application_id)
    findings = [{"material": code, "reason": request.POST.get(f"reason_{code}", "")}
                for code in request.POST.getlist("material")]
    result = PreReviewResult.CHANGES_NEEDED if findings else PreReviewResult.READY
    with domain_errors_shown(request) as outcome:
        projects.pre_review_answer(actor=request.user, pre_review_id=review.pk, result=result, findings=findings,
                                   note=request.POST.get("note", ""))
    if not outcome.failed:
        messages.success(request, _("Pre-review answered."))
    return redirect("application-detail", pk=application.pk)


@login_required
def intermediary_figures(request):
    """电子监察 of 中介服务: how long each intermediary service takes, and those running late,
    soonest due first, 50 a page; by application number or applicant, service and the day due."""
    if not roles.oversees(request.user):
        raise PermissionDenied()
    filters = LateIntermediaryFilter(request.GET)
    due_from, due_until = filters.instants()
    late = intermediaries.intermediary_stage_search(
        intermediaries.intermediary_stages_visible_to(request.user, status="running", overdue=True),
        q=filters.value("q"), service=filters.value("service"), due_from=due_from, due_until=due_until)
    pager = page_context(request, late, intermediaries.INTERMEDIARY_ORDER, limit=50)
    context = {**pager, "late": [intermediaries.intermediary_output(s) for s in pager["items"]], "filters": filters}
    # A filter or a page asked by htmx gets the late list alone (the page keeps its figures and form).
    if request.htmx:
        return render(request, "approvals/_late_intermediary_results.html", context)
    return render(request, "approvals/intermediaries.html", {
        **context, "figures": intermediaries.intermediary_figures(request.user)})
