"""Pages of the citizen and the window clerk. Thin: parse, call a service, render.
A domain error becomes a message on the page; nothing the user typed is lost."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals import permissions, review, selectors, services
from approvals.documents import document_pdf as render_document_pdf
from approvals.forms import ApplicantForm, RefuseForm, WalkInForm
from approvals.models import ExcludedProcedure, IssuedDocument, Status
from portal.catalogue.selectors import published_items
from portal.errors import DomainError, PermissionDenied
from portal.inquiries.selectors import first_inquiry_officer
from portal.organisation import roles


# 好差评: an application can be rated once it is decided.
DECIDED = (Status.APPROVED, Status.DENIED, Status.DEEMED_APPROVED, Status.ISSUED, Status.NOT_ACCEPTED)


def _clerk_required(request):
    if not permissions.is_clerk(request.user):
        raise PermissionDenied()


@login_required
def my_applications(request):
    applications = (
        permissions.applications_visible_to(request.user).filter(applicant=request.user)
        .select_related("service").order_by("-id")[:100]
    )
    return render(request, "approvals/my_applications.html", {"applications": applications,
                                                               "decided_statuses": DECIDED})


@login_required
def apply(request, code: str):
    item = get_object_or_404(published_items(), code=code)
    initial = {"name": request.user.get_full_name(), "email": request.user.email}
    form = ApplicantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user, service_code=item.code, applicant=services.ApplicantData(**form.cleaned_data),
            )
        except DomainError as error:
            messages.error(request, error.detail)
        else:
            return redirect("application-detail", pk=application.pk)
    return render(request, "approvals/apply.html", {"item": item, "form": form})


@login_required
def application_page(request, pk: int):
    application = permissions.application_for_user(request.user, pk)
    clerk = permissions.is_clerk(request.user)
    owner = permissions.is_applicant(request.user, application)
    editable = application.status in (Status.DRAFT, Status.CORRECTION_REQUESTED) or (
        clerk and application.status == Status.SUBMITTED)
    latest = {}
    for f in application.files.select_related("requirement").order_by("id"):
        latest[f.requirement_id] = f
    notices = list(application.correction_notices.prefetch_related("items__requirement"))
    asked = {i.requirement_id: i.reason for i in notices[-1].items.all()} if notices else {}
    materials = [
        {"requirement": r, "file": latest.get(r.pk), "asked": asked.get(r.pk)}
        for r in application.service.materials.all()
    ]
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
        "stages": selectors.stages_of(application),
        "clock": selectors.application_clock(application),
        "show_code": permissions.may_see_tracking_code(request.user, application),
        "can_rate": owner and application.status in DECIDED,
        "first_inquiry_officer": first_inquiry_officer(application),
        "refuse_form": RefuseForm(),
        "is_head": _is_head_of(request.user, application),
        "procedures": ExcludedProcedure.choices,
        "now": timezone.now(),
    })


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
        try:
            services.material_upload(actor=request.user, application_id=application.pk,
                                     material_code=request.POST.get("material", ""), uploaded_file=uploaded)
            messages.success(request, _("File received."))
        except DomainError as error:
            messages.error(request, error.detail)
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
}


@login_required
@require_POST
def act(request, pk: int, action: str):
    application = permissions.application_for_user(request.user, pk)
    handler = ACTIONS.get(action)
    if handler is None:
        return HttpResponse(status=404)
    _run(request, lambda: handler(request, application))
    return redirect("application-detail", pk=pk)


@login_required
def document_pdf(request, pk: int, doc_id: int):
    application = permissions.application_for_user(request.user, pk)
    document = get_object_or_404(IssuedDocument, application=application, pk=doc_id)
    response = HttpResponse(render_document_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.number}.pdf"'
    return response


@login_required
def material_file(request, pk: int, file_id: int):
    application = permissions.application_for_user(request.user, pk)
    material = get_object_or_404(application.files, pk=file_id)
    response = FileResponse(material.file.open("rb"), content_type=material.content_type, as_attachment=True,
                            filename=material.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def window_queue(request):
    """The window's queue: new submissions, awaiting correction, and what is due soon."""
    _clerk_required(request)
    base = permissions.applications_visible_to(request.user).select_related("service")
    return render(request, "approvals/window_queue.html", {
        "new": base.filter(status=Status.SUBMITTED).order_by("intake_due_at")[:100],
        "corrections": base.filter(status=Status.CORRECTION_REQUESTED).order_by("-id")[:100],
        "drafts": base.filter(status=Status.DRAFT, channel="window").order_by("-id")[:50],
        "due_soon": base.filter(status=Status.IN_REVIEW).order_by("due_at")[:50],
    })


@login_required
def walk_in(request):
    """Walk-in intake: the clerk opens the application on the applicant's behalf."""
    _clerk_required(request)
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        service = data.pop("service")
        try:
            application = services.application_create(actor=request.user, service_code=service.code,
                                                      applicant=services.ApplicantData(**data))
        except DomainError as error:
            messages.error(request, error.detail)
        else:
            return redirect("application-detail", pk=application.pk)
    return render(request, "approvals/walk_in.html", {"form": form})


@login_required
def review_queue(request):
    """并联审批: the department's stages, due soonest first, with alert colours."""
    if not (roles.has_role(request.user, roles.REVIEWER) or roles.has_role(request.user, roles.DEPARTMENT_HEAD)
            or permissions.sees_everything(request.user)):
        raise PermissionDenied()
    stages = selectors.stage_queue(request.user, status=request.GET.get("status"))[:200]
    return render(request, "approvals/review_queue.html", {"stages": stages, "now": timezone.now()})


@login_required
def stage_page(request, pk: int):
    """The full file of one stage: materials, notices, history; and its decisions."""
    stage = permissions.stage_for_user(request.user, pk)
    application = stage.application
    can_decide = permissions.is_department_member(request.user, stage.department_id, roles.REVIEWER,
                                                  roles.DEPARTMENT_HEAD) or request.user.is_superuser
    return render(request, "approvals/stage.html", {
        "stage": stage,
        "application": application,
        "can_decide": can_decide,
        "files": application.files.select_related("requirement").order_by("requirement__order", "-id"),
        "notices": application.correction_notices.prefetch_related("items__requirement"),
        "materials": application.service.materials.all(),
        "events": selectors.application_events(application),
        "siblings": selectors.stages_of(application),
    })


STAGE_ACTIONS = {
    "claim": lambda r, s: review.stage_claim(actor=r.user, stage_id=s.pk),
    "approve": lambda r, s: review.stage_approve(actor=r.user, stage_id=s.pk, opinion=r.POST.get("opinion", "")),
    "deny": lambda r, s: review.stage_deny(actor=r.user, stage_id=s.pk, reason=r.POST.get("reason", "")),
    "correction": lambda r, s: review.stage_request_correction(actor=r.user, stage_id=s.pk,
                                                               items=_correction_items(r),
                                                               note=r.POST.get("note", "")),
}


@login_required
@require_POST
def stage_act(request, pk: int, action: str):
    stage = permissions.stage_for_user(request.user, pk)
    handler = STAGE_ACTIONS.get(action)
    if handler is None:
        return HttpResponse(status=404)
    _run(request, lambda: handler(request, stage))
    return redirect("stage-detail", pk=pk)


def _run(request, call) -> bool:
    try:
        call()
    except DomainError as error:
        messages.error(request, error.detail)
        for problems in error.fields.values():
            for problem in problems if isinstance(problems, list) else [problems]:
                messages.error(request, problem["name"] if isinstance(problem, dict) else problem)
        return False
    messages.success(request, _("Done."))
    return True


def register(request):
    """The public register of decisions, deemed approvals included."""
    return render(request, "approvals/register.html", {"decisions": selectors.public_register()[:200]})
