"""Pages of the citizen and the window clerk. Thin: parse, call a service, render.
A domain error becomes a message on the page; nothing the user typed is lost."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals import fees, intermediaries, permissions, projects, referrals, review, selectors, services
from portal.organisation.models import ServiceCenter
from approvals.documents import document_pdf as render_document_pdf
from approvals.documents import joint_signatory
from payments.providers import SimulatorProvider, payment_provider
from approvals.forms import (ApplicantForm, DenyForm, MyApplicationFilter, RefuseForm, ReviewQueueFilter, WalkInForm,
                             WindowQueueFilter)
from approvals.uploads import material_file_response
from approvals.models import DECIDED, ApplicantProfile, ExcludedProcedure, IssuedDocument, Status
from portal.catalogue.selectors import published_items
from portal.errors import NotFound, PermissionDenied
from portal.organisation import roles
from portal.pagination import Ordering, page_context
from portal.web.confirm import confirmation_page, confirmed
from portal.web.messages import domain_errors_shown
from portal.web.site import public_base_url
from portal.web.list_filters import during

NEWEST_FIRST = Ordering(("id",), descending=True)


def _clerk_required(request):
    if not permissions.is_clerk(request.user):
        raise PermissionDenied()


@login_required
def my_applications(request):
    """The citizen's (or company's) applications, newest first, 50 a page; by number or service
    item, status and the day applied."""
    filters = MyApplicationFilter(request.GET)
    created_from, created_until = filters.instants()
    applications = selectors.own_application_list(
        permissions.applications_visible_to(request.user).filter(applicant=request.user), q=filters.value("q"),
        status=filters.value("status"), created_from=created_from, created_until=created_until)
    pager = page_context(request, applications, NEWEST_FIRST, limit=50)
    # A filter or a page asked by htmx gets the table alone (the page keeps its form).
    template = "approvals/_my_applications_results.html" if request.htmx else "approvals/my_applications.html"
    return render(request, template, {**pager, "applications": pager["items"], "filters": filters,
                                      "decided_statuses": DECIDED})


@login_required
def apply(request, code: str):
    item = get_object_or_404(published_items(), code=code)
    profile = ApplicantProfile.objects.filter(user=request.user).first()
    initial = ({"name": profile.name, "id_number": profile.id_number, "phone": profile.phone, "email": profile.email,
                "remember": True} if profile else {"name": request.user.get_full_name(), "email": request.user.email})
    suggestions = projects.project_suggestions(request.user, "")
    form = ApplicantForm(request.POST or None, initial=initial, projects=suggestions)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        remember = data.pop("remember")
        project = data.pop("project", "")
        applicant = services.ApplicantData(**data)
        with domain_errors_shown(request, form) as outcome:
            application = services.application_create(actor=request.user, service_code=item.code, applicant=applicant,
                                                      project=project)
            if remember:
                services.applicant_profile_save(user=request.user, applicant=applicant)
        if not outcome.failed:
            return redirect("application-detail", pk=application.pk)
    return render(request, "approvals/apply.html", {"item": item, "form": form, "profile": profile,
                                                    "suggestions": suggestions})


@login_required
def application_page(request, pk: int):
    application = permissions.application_for_user(request.user, pk)
    return _application_response(request, application)


def _application_response(request, application, *, refuse_form=None, status=200):
    """The application page; a form that failed validation comes back with its errors."""
    clerk = permissions.is_clerk(request.user)
    owner = permissions.is_applicant(request.user, application)
    editable = application.status in (Status.DRAFT, Status.CORRECTION_REQUESTED) or (
        clerk and application.status == Status.SUBMITTED)
    notices = list(application.correction_notices.prefetch_related("items__requirement"))
    asked = {i.requirement_id: i.reason for i in notices[-1].items.all()} if notices else {}
    materials = [{**m, "asked": asked.get(m["requirement"].pk)} for m in selectors.material_files(application)]
    first_items = [i.requirement for i in notices[0].items.all()] if notices else None
    return render(request, "approvals/application.html", {
        "application": application,
        "clerk": clerk,
        "owner": owner,
        "editable": editable and (owner or clerk),
        "materials": materials,
        "notices": notices,
        "notice_choices": first_items if first_items is not None else list(application.service.materials.all()),
        "documents": application.documents.all(),
        "events": selectors.application_events(application),
        "stages": selectors.stages_with_roles(application),
        "clock": selectors.application_clock(application),
        "show_code": permissions.may_see_tracking_code(request.user, application),
        "can_rate": owner and application.status in DECIDED,
        "first_inquiry_officer": selectors.first_inquiry_officer(application),
        "refuse_form": refuse_form or RefuseForm(),
        "is_head": _is_head_of(request.user, application),
        "payment": fees.payment_output(application),
        "referral": referrals.referral_output(application),
        "referral_record": referrals.referral_of(application),
        **_pre_review_context(request.user, application, owner=owner, clerk=clerk),
        **_intermediary_context(request.user, application),
        "signature": _joint_signature(application),
        "onsite_possible": clerk and application.status == Status.IN_REVIEW
        and review.is_chief_representative(request.user, application.service.department_id)
        and review.on_site_exclusion(application) is None,
        "procedures": ExcludedProcedure.choices,
        "now": timezone.now(),
        "steps": selectors.journey_steps(application),
        "just_submitted": request.GET.get("submitted") == "1" and application.status == Status.SUBMITTED,
    }, status=status)


def _intermediary_of(application, value: str) -> int:
    stage = application.intermediary_stages.filter(pk=int(value) if value.isdigit() else None).first()
    if stage is None:
        raise NotFound()
    return stage.pk


def _joint_signature(application) -> dict | None:
    """主办部门负责: who signed the approval — the lead department and its official (none when
    the law approved it); None before an approval."""
    if application.outcome not in (Status.APPROVED, Status.DEEMED_APPROVED):
        return None
    stages = list(selectors.stages_of(application))
    lead, official = joint_signatory(stages, application.outcome)
    return {"lead": lead, "official": official, "joint": len(stages) > 1} if lead is not None else None


def _intermediary_context(user, application) -> dict:
    """中介服务 on the application page: each on its own clock; who may order or complete one."""
    running = application.status == Status.SUSPENDED and application.suspension_kind == "intermediary"
    may_order = application.status == Status.IN_REVIEW and intermediaries.may_order(user, application)
    return {
        "intermediary_stages": [intermediaries.intermediary_output(i)
                                for i in intermediaries.intermediaries_of(application)],
        "intermediary_choices": list(application.service.intermediary_services.filter(published=True))
        if may_order else [],
        "may_complete_intermediary": running and intermediaries.may_complete(user, application),
    }


def _pre_review_context(user, application, *, owner: bool, clerk: bool) -> dict:
    """绿色通道 and 提前介入 on the application page: its key project and its pre-reviews."""
    reviews = [projects.pre_review_output(r) for r in projects.pre_reviews_of(application)]
    draft = application.status == Status.DRAFT
    waiting = any(r["status"] == "requested" for r in reviews)
    return {
        "key_project": projects.key_project_output(application),
        "pre_reviews": reviews,
        "can_request_pre_review": draft and not waiting and (owner or clerk),
        "can_answer_pre_review": draft and waiting and projects.may_pre_review(user, application),
        "pre_review_materials": list(application.service.materials.all()) if draft and waiting else [],
    }


def _is_head_of(user, application) -> bool:
    try:
        permissions.require_head_of_application(user, application)
    except PermissionDenied:
        return False
    return True


@login_required
@require_POST
def upload(request, pk: int):
    application = permissions.application_for_user(request.user, pk)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("Choose a file first."))
    else:
        with domain_errors_shown(request):
            services.material_upload(actor=request.user, application_id=application.pk,
                                     material_code=request.POST.get("material", ""), uploaded_file=uploaded)
            messages.success(request, _("File received."))
    return redirect("application-detail", pk=pk)


def _correction_items(request) -> list[dict]:
    return [
        {"material": code, "reason": request.POST.get(f"reason_{code}", "")}
        for code in request.POST.getlist("material")
    ]


ACTIONS = {
    "submit": lambda r, a: services.application_submit(actor=r.user, application_id=a.pk),
    "resubmit": lambda r, a: services.application_resubmit(actor=r.user, application_id=a.pk),
    "withdraw": lambda r, a: services.application_withdraw(actor=r.user, application_id=a.pk,
                                                           reason=r.POST.get("reason", "")),
    "accept": lambda r, a: services.application_accept(actor=r.user, application_id=a.pk),
    "refuse": lambda r, a: services.application_refuse(actor=r.user, application_id=a.pk,
                                                       reason=r.POST.get("reason", ""),
                                                       legal_basis=r.POST.get("legal_basis", "")),
    "correction": lambda r, a: services.correction_notice_issue(actor=r.user, application_id=a.pk,
                                                                items=_correction_items(r),
                                                                note=r.POST.get("note", "")),
    "suspend": lambda r, a: review.application_suspend(
        actor=r.user, application_id=a.pk, reason=r.POST.get("reason", ""), note=r.POST.get("note", ""),
        expected_days=int(r.POST["expected_days"]) if r.POST.get("expected_days", "").isdigit() else None),
    "resume": lambda r, a: review.application_resume(actor=r.user, application_id=a.pk),
    "extend": lambda r, a: review.application_extend(
        actor=r.user, application_id=a.pk, reason=r.POST.get("reason", ""),
        working_days=int(r.POST["working_days"]) if r.POST.get("working_days", "").isdigit() else 0),
    "onsite": lambda r, a: review.application_decide_on_site(actor=r.user, application_id=a.pk),
    "hand_over": lambda r, a: review.application_hand_over(actor=r.user, application_id=a.pk),
    "intermediary": lambda r, a: intermediaries.intermediary_start(actor=r.user, application_id=a.pk,
                                                                   service_code=r.POST.get("service", "")),
    "intermediary_complete": lambda r, a: intermediaries.intermediary_complete(
        actor=r.user, intermediary_id=_intermediary_of(a, r.POST.get("intermediary", "")),
        report=r.POST.get("report", "")),
    "payment": lambda r, a: fees.application_payment_record(actor=r.user, application_id=a.pk,
                                                            method=r.POST.get("method", ""),
                                                            amount=r.POST.get("amount", "")),
}


def _confirm_application(request, application, action: str):
    """The second step of accept, refuse and the on-site decision: what will happen, in words."""
    facts = [(_("Application"), f"{application.number} · {application.service.display_name}"),
             (_("Applicant"), application.applicant_name)]
    if action == "accept":
        question, label = _("Accept this application?"), _("Yes, accept")
        consequence = _("The time limit starts today and the applicant receives the acceptance receipt. "
                        "Acceptance cannot be undone.")
    elif action == "refuse":
        question, label = _("Refuse to accept this application?"), _("Yes, refuse to accept")
        facts += [(_("Reason"), request.POST.get("reason", "")), (_("Legal basis"), request.POST.get("legal_basis", ""))]
        consequence = _("The applicant receives a decision not to accept, with the reason, the legal basis and "
                        "the means of redress.")
    else:
        question, label = _("Decide on site and approve?"), _("Yes, approve on site")
        consequence = _("As chief representative you approve the application at the counter; the certificate "
                        "is issued at once.")
    return confirmation_page(request, question=question, confirm_label=label, facts=facts, consequence=consequence,
                             cancel_url=reverse("application-detail", args=[application.pk]))


CONFIRMED_ACTIONS = ("accept", "refuse", "onsite")


@login_required
@require_POST
def act(request, pk: int, action: str):
    application = permissions.application_for_user(request.user, pk)
    if action == "pay_online":
        with domain_errors_shown(request) as outcome:
            _notice, url = fees.application_payment_online(actor=request.user, application_id=application.pk)
        return redirect("application-detail", pk=pk) if outcome.failed else redirect(url)
    handler = ACTIONS.get(action)
    if handler is None:
        return HttpResponse(status=404)
    if action == "refuse":
        form = RefuseForm(request.POST)
        if not form.is_valid():
            return _application_response(request, application, refuse_form=form, status=400)
    if action in CONFIRMED_ACTIONS and not confirmed(request):
        return _confirm_application(request, application, action)
    done = _run(request, lambda: handler(request, application))
    if done and action in ("submit", "resubmit"):
        # The confirmation panel with the number, the tracking code and what happens next.
        return redirect(reverse("application-detail", args=[pk]) + "?submitted=1")
    return redirect("application-detail", pk=pk)


@login_required
def document_pdf(request, pk: int, doc_id: int):
    application = permissions.application_for_user(request.user, pk)
    document = get_object_or_404(IssuedDocument, application=application, pk=doc_id)
    with domain_errors_shown(request) as outcome:
        fees.require_fee_paid_for_download(request.user, document)
    if outcome.failed:
        return redirect("application-detail", pk=pk)
    response = HttpResponse(render_document_pdf(document, base_url=public_base_url(request)),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.number}.pdf"'
    return response


@login_required
def material_file(request, pk: int, file_id: int):
    application = permissions.application_for_user(request.user, pk)
    material = get_object_or_404(application.files, pk=file_id)
    return material_file_response(material)


@login_required
def window_queue(request):
    """The window's queue: new submissions, awaiting correction, and what is due soon."""
    _clerk_required(request)
    filters = WindowQueueFilter(request.GET)
    # The columns the sections show and page by (_queue_table.html, WINDOW_SECTIONS), not all sixty.
    base = permissions.applications_visible_to(request.user).select_related("service").only(*QUEUE_TABLE_FIELDS)
    q = (filters.value("q") or "").strip()
    if q:
        base = base.filter(Q(number=q.upper()) | Q(applicant_name=q))
    if filters.value("service") is not None:
        base = base.filter(service=filters.value("service"))
    created_from, created_until = filters.instants()
    base = during(base, "created_at", created_from, created_until)
    # Each section pages by its own cursor (keyset: no count, no offset), 50 a page.
    sections = {name: page_context(request, base.filter(condition), order, limit=50, param=param)
                for name, condition, order, param in WINDOW_SECTIONS}
    # A filter or a page asked by htmx gets the sections alone (the page keeps its form).
    template = "approvals/_window_queue_results.html" if request.htmx else "approvals/window_queue.html"
    return render(request, template, {"filters": filters, **sections})


QUEUE_TABLE_FIELDS = ("number", "alert", "applicant_name", "applicant_id_number", "intake_due_at", "due_at",
                      "service__code", "service__name", "service__name_en")
# The window queue's sections: (name, rows, order, cursor parameter).
WINDOW_SECTIONS = [
    ("new", Q(status=Status.SUBMITTED), Ordering(("intake_due_at", "id"), nullable=True), "cursor"),
    ("corrections", Q(status=Status.CORRECTION_REQUESTED), NEWEST_FIRST, "corrections_cursor"),
    ("drafts", Q(status=Status.DRAFT, channel="window"), NEWEST_FIRST, "drafts_cursor"),
    ("due_soon", Q(status=Status.IN_REVIEW), Ordering(("due_at", "id"), nullable=True), "due_cursor"),
]


@login_required
def walk_in(request):
    """Walk-in intake: the clerk opens the application on the applicant's behalf."""
    _clerk_required(request)
    proxy = referrals.is_proxy_point(referrals.center_of(request.user))
    suggestions = [] if proxy else projects.project_suggestions(request.user, "")
    form = WalkInForm(request.POST or None, proxy=proxy, projects=suggestions)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        service = data.pop("service")
        consent = data.pop("proxy_consent", "")
        project = data.pop("project", "")
        with domain_errors_shown(request, form) as outcome:
            application = services.application_create(actor=request.user, service_code=service.code,
                                                      applicant=services.ApplicantData(**data),
                                                      proxy_consent=consent, project=project)
        if not outcome.failed:
            return redirect("application-detail", pk=application.pk)
    return render(request, "approvals/walk_in.html", {"form": form, "suggestions": suggestions})


@login_required
def review_queue(request):
    """并联审批: the department's stages, due soonest first, with alert colours."""
    if not (roles.has_role(request.user, roles.REVIEWER) or roles.has_role(request.user, roles.DEPARTMENT_HEAD)
            or permissions.sees_everything(request.user)):
        raise PermissionDenied()
    filters = ReviewQueueFilter(request.GET)
    stages = selectors.stage_queue(request.user, status=filters.value("status"))
    q, alert = filters.value("q"), filters.value("alert")
    if q:
        stages = stages.filter(application__number=q.upper())
    if alert:
        stages = stages.filter(alert=alert)
    # Keyset pages (portal.pagination): a department's queue may hold a million stages; no
    # page counts them or skips over them.
    pager = page_context(request, stages, selectors.STAGE_QUEUE_ORDER, limit=50)
    # A filter or a page asked by htmx gets the table alone (the page keeps its form).
    template = "approvals/_review_queue_results.html" if request.htmx else "approvals/review_queue.html"
    return render(request, template, {
        "stages": pager["items"], **pager, "now": timezone.now(), "filters": filters,
        "claimable_departments": _claimable_departments(request.user)})


def _claimable_departments(user) -> set[int]:
    """The departments whose stages ``user`` may claim from the queue (a reviewer or head of it)."""
    department_id = permissions.staff_department_id(user)
    if department_id is not None and permissions.is_department_member(user, department_id, roles.REVIEWER,
                                                                      roles.DEPARTMENT_HEAD):
        return {department_id}
    return set()


@login_required
def stage_page(request, pk: int):
    """The full file of one stage: materials, notices, history; and its decisions."""
    return _stage_response(request, permissions.stage_for_user(request.user, pk))


def _stage_response(request, stage, *, deny_form=None, status=200):
    application = stage.application
    can_decide = permissions.is_department_member(request.user, stage.department_id, roles.REVIEWER,
                                                  roles.DEPARTMENT_HEAD) or request.user.is_superuser
    return render(request, "approvals/stage.html", {
        "stage": stage,
        "application": application,
        "can_decide": can_decide,
        "mine": stage.assignee_id == request.user.pk,
        "material_files": selectors.material_files(application),
        "notices": application.correction_notices.prefetch_related("items__requirement"),
        "materials": application.service.materials.all(),
        "events": selectors.application_events(application),
        "siblings": selectors.stages_with_roles(application),
        "deny_form": deny_form or DenyForm(initial={"legal_basis": application.service.legal_basis}),
    }, status=status)


STAGE_ACTIONS = {
    "claim": lambda r, s: review.stage_claim(actor=r.user, stage_id=s.pk),
    "approve": lambda r, s: review.stage_approve(actor=r.user, stage_id=s.pk, opinion=r.POST.get("opinion", "")),
    "deny": lambda r, s: review.stage_deny(actor=r.user, stage_id=s.pk, reason=r.POST.get("reason", ""),
                                           legal_basis=r.POST.get("legal_basis", "")),
    "correction": lambda r, s: review.stage_request_correction(actor=r.user, stage_id=s.pk,
                                                               items=_correction_items(r),
                                                               note=r.POST.get("note", "")),
}


# Claim before decide, on the page: the API keeps SPEC §6's contract, where deciding an
# unclaimed stage claims it on the record (approvals.review._decide_stage).
DECISIONS = ("approve", "deny", "correction")


@login_required
@require_POST
def stage_act(request, pk: int, action: str):
    stage = permissions.stage_for_user(request.user, pk)
    handler = STAGE_ACTIONS.get(action)
    if handler is None:
        return HttpResponse(status=404)
    if action in DECISIONS and stage.assignee_id != request.user.pk:
        messages.error(request, _("Claim the stage before you decide it: the decision is made in the name of "
                                  "whoever claimed it."))
        return redirect("stage-detail", pk=pk)
    if action == "deny":
        form = DenyForm(request.POST)
        if not form.is_valid():
            return _stage_response(request, stage, deny_form=form, status=400)
        if not confirmed(request):
            application = stage.application
            return confirmation_page(
                request, question=_("Deny the licence?"), confirm_label=_("Yes, deny"),
                cancel_url=reverse("stage-detail", args=[pk]),
                facts=[(_("Application"), f"{application.number} · {application.service.display_name}"),
                       (_("Department"), stage.department.display_name),
                       (_("Reason"), form.cleaned_data["reason"]), (_("Legal basis"), form.cleaned_data["legal_basis"])],
                consequence=_("The whole application is denied and the other departments' open stages are "
                              "cancelled. The applicant receives the decision with its reason, legal basis and "
                              "the means of redress."))
    if request.htmx and action == "claim":
        # Claimed from the queue: the row comes back in place, claimed or with the reason why not.
        with domain_errors_shown(request) as outcome:
            handler(request, stage)
        row_error = None
        if outcome.failed:
            row_error = " ".join(str(m) for m in messages.get_messages(request))
        stage = permissions.stage_for_user(request.user, pk)
        return render(request, "approvals/_review_queue_row.html", {
            "s": stage, "row_error": row_error, "claimable_departments": _claimable_departments(request.user)})
    _run(request, lambda: handler(request, stage))
    return redirect("stage-detail", pk=pk)


def _run(request, call) -> bool:
    with domain_errors_shown(request) as outcome:
        call()
    if outcome.failed:
        return False
    messages.success(request, _("Done."))
    return True


def payment_simulator(request, ref: str):
    """The simulated payment provider's page (development and demo only): paying here sends
    the provider's signed notification to the portal, as a real provider's server would."""
    provider = payment_provider()
    if not isinstance(provider, SimulatorProvider):
        return HttpResponse(status=404)
    notice = fees.notice_for_provider_ref(ref)
    if request.method == "POST":
        with domain_errors_shown(request) as outcome:
            fees.payment_provider_callback(body=provider.callback_body(provider_ref=ref, amount=notice.amount))
        if not outcome.failed:
            messages.success(request, _("Payment received."))
        if request.user.is_authenticated:
            return redirect("application-detail", pk=notice.application_id)
    return render(request, "approvals/payment_simulator.html", {"notice": notice, "ref": ref})


@login_required
def center_figures(request, code: str):
    """分中心 supervision: a center's figures with those of every center below it."""
    center = get_object_or_404(ServiceCenter, code=code)
    if not referrals.may_see_center(request.user, center):
        raise NotFound()
    return render(request, "approvals/center_figures.html", {"root": referrals.center_figures(center)})


def register(request):
    """The public register of decisions, deemed approvals included (决定公开), 50 to a page,
    paged by keyset like every other list."""
    pager = page_context(request, selectors.public_register(), selectors.REGISTER_ORDER, limit=50)
    return render(request, "approvals/register.html", {"decisions": pager["items"], **pager})
