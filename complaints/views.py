"""Pages of 效能投诉 and 好差评: the citizen's complaint form, its follow-up by number and
code, the rating form; the discipline office's queue and investigation page; the
handling unit's follow-ups; the published ratings. Thin: parse, call a service,
render. A domain error becomes a message on the page; nothing typed is lost."""

import csv
from datetime import date
from itertools import chain
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals import permissions as application_permissions
from complaints import evaluations, permissions, rectification, selectors, services
from complaints.forms import (
    AssignForm, ComplaintForm, ComplaintListFilter, ConcludeForm, EvaluationForm, FeedbackForm, FollowUpForm, GroundsForm, ReasonForm,
    FollowUpListFilter, RectificationListFilter, RefuseForm, ReplyForm,
)
from complaints.limits import rating_closes_at
from complaints.models import Category, Complaint, ComplaintStatus, Evaluation, Level, RatingSource
from portal.catalogue.models import ServiceItem
from portal.errors import NotFound, PermissionDenied
from portal.organisation import roles
from portal.pagination import page_context
from portal.web.messages import domain_errors_shown, page_action_run


def _track_url(complaint: Complaint) -> str:
    return reverse("complaint-track") + "?" + urlencode({"number": complaint.number, "code": complaint.code})


# The citizen.

def complaint_new(request):
    """效能投诉: anyone, signed in or not, anonymously if he wishes."""
    # The badge page, an overdue application and the menu link here with what they already know.
    initial = {"staff_badge": request.GET.get("badge", "")[:16],
               "application_number": request.GET.get("application", "")[:32]}
    if request.GET.get("category") in Category.values:
        initial["category"] = request.GET["category"]
    if request.GET.get("commitment"):  # 服务承诺: "report a breach" beside the commitment
        initial["commitment"] = request.GET["commitment"][:32]
    form = ComplaintForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors_shown(request, form) as outcome:
            complaint = services.complaint_file(actor=request.user, data=services.ComplaintData(
                category=data["category"], description=data["description"], staff_badge=data["staff_badge"],
                department=data["department"].code if data["department"] else "",
                application_number=data["application_number"], anonymous=data["anonymous"],
                contact=data["contact"], name=data["name"],
                commitment=data["commitment"].code if data["commitment"] else ""))
        if not outcome.failed:
            messages.success(request, _("Your complaint was filed. Keep its number %(number)s and code %(code)s "
                                        "to follow it.") % {"number": complaint.number, "code": complaint.code})
            return redirect(_track_url(complaint))
    return render(request, "complaints/new.html", {"form": form})


def complaint_track(request):
    """公开查询: a complaint's progress and answer by number and code; the feedback form."""
    number = request.GET.get("number", "").strip()
    code = request.GET.get("code", "").strip().upper()
    context = {"number": number, "code": code}
    if number or code:
        try:
            complaint = permissions.complaint_by_code(number, code)
        except NotFound:
            context["error"] = _("No complaint matches this number and code.")
        else:
            context.update(complaint=complaint, events=selectors.complaint_timeline(complaint),
                           feedback_form=FeedbackForm())
    return render(request, "complaints/track.html", context)


@require_POST
def complaint_track_feedback(request):
    number, code = request.POST.get("number", ""), request.POST.get("code", "")
    complaint = permissions.complaint_by_code(number, code)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether you are satisfied."))
    else:
        with domain_errors_shown(request) as outcome:
            services.complaint_feedback(complaint_id=complaint.pk, satisfied=form.cleaned_data["satisfied"],
                                        comment=form.cleaned_data["comment"])
        if not outcome.failed:
            messages.success(request, _("Thank you for your feedback."))
    return redirect(_track_url(complaint))


@login_required
def my_complaints(request):
    """The complainant's own complaints, newest first; by number or badge, status, department and
    the day filed (the queue's filters)."""
    filters = ComplaintListFilter(request.GET)
    status = filters.value("status")
    filed_from, filed_until = filters.instants()
    qs = selectors.complaint_list(Complaint.objects.filter(complainant=request.user),
                                  statuses=[status] if status else ComplaintStatus.values, q=filters.value("q"),
                                  department=filters.value("department"), filed_from=filed_from,
                                  filed_until=filed_until)
    pager = page_context(request, qs, selectors.NEWEST_ORDER, limit=50)
    template = "complaints/_my_results.html" if request.htmx else "complaints/my.html"
    return render(request, template, {**pager, "complaints": pager["items"], "filters": filters})


@login_required
def evaluate(request, pk: int):
    """好差评: the applicant rates his decided application, once, within 7 days."""
    application = application_permissions.application_for_user(request.user, pk)
    if not application_permissions.is_applicant(request.user, application):
        raise PermissionDenied()
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_shown(request, form) as outcome:
            evaluations.evaluation_submit(actor=request.user, application_id=application.pk, **form.cleaned_data)
        if not outcome.failed:
            messages.success(request, _("Thank you for your rating."))
            return redirect("application-evaluate", pk=pk)
    evaluation = Evaluation.objects.filter(application=application).select_related("follow_up").first()
    closes_at = rating_closes_at(application.decided_at) if application.decided_at else None
    return render(request, "complaints/evaluate.html", {
        "application": application, "evaluation": evaluation, "form": form, "closes_at": closes_at,
        "open": evaluation is None and application.status in evaluations.DECIDED and closes_at is not None
        and timezone.now() <= closes_at,
    })


def _date_param(request, name: str) -> date | None:
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None


def ratings(request):
    """好差评公开: ratings per item and per window, items named in the reader's language."""
    since, until = _date_param(request, "from"), _date_param(request, "to")
    summary = selectors.ratings_summary(since=since, until=until)
    codes = [row["service"] for row in summary["items"]]
    items = ServiceItem.objects.filter(code__in=codes).only("code", "name", "name_en")
    names = {item.code: item.display_name for item in items}
    summary["items"] = [{**row, "name": names.get(row["service"], row["name"])} for row in summary["items"]]
    return render(request, "complaints/ratings.html", {"summary": summary, "levels": Level.choices})


# The discipline office and the investigators.

def _require_complaint_staff(user) -> None:
    if not (permissions.is_handler(user) or roles.is_staff_member(user)):
        raise PermissionDenied()


FILTERS = {
    "open": None,
    "answered": f"{ComplaintStatus.REPLIED},{ComplaintStatus.CLOSED},{ComplaintStatus.REFUSED}",
    "all": ",".join(ComplaintStatus.values),
}


@login_required
def complaint_queue(request):
    """The complaint queue: open complaints by their running limit, coloured."""
    _require_complaint_staff(request.user)
    shown = request.GET.get("show", "open")
    shown = shown if shown in FILTERS else "open"
    filters = ComplaintListFilter(request.GET)
    status = filters.value("status")
    statuses = [status] if status else (FILTERS[shown].split(",") if FILTERS[shown] else None)
    filed_from, filed_until = filters.instants()
    qs = selectors.complaint_list(permissions.complaints_visible_to(request.user), statuses=statuses,
                                  q=filters.value("q"), department=filters.value("department"),
                                  filed_from=filed_from, filed_until=filed_until)
    by_limit = statuses is None
    pager = page_context(request, qs, selectors.QUEUE_ORDER if by_limit else selectors.NEWEST_ORDER, limit=50)
    now = timezone.now()
    rows = [(c, selectors.complaint_alert(c, now)) for c in pager["items"]]
    # A filter or a page asked by htmx gets the table alone (the page keeps its form).
    template = "complaints/_queue_results.html" if request.htmx else "complaints/queue.html"
    return render(request, template, {
        **pager, "rows": rows, "shown": shown, "filters": filters, "keep": [("show", shown)], "by_limit": by_limit,
        "handler": permissions.is_handler(request.user)})


EXPORT_COLUMNS = ["number", "category", "status", "department", "staff_badge", "filed_at", "accept_due_at",
                  "accepted_at", "reply_due_at", "replied_at", "finding", "investigator", "reopened", "satisfied",
                  "case"]


class _Echo:
    def write(self, value):
        return value


def _export_row(c: Complaint) -> list:
    def when(value):
        return timezone.localtime(value).isoformat(timespec="seconds") if value else ""

    return [c.number, c.category, c.status, c.department.code if c.department_id else "", c.staff_badge,
            when(c.filed_at), when(c.accept_due_at), when(c.accepted_at), when(c.reply_due_at), when(c.replied_at),
            c.finding, c.investigator.get_username() if c.investigator_id else "", c.reopened,
            "" if c.satisfied is None else c.satisfied, c.case_number]


@login_required
def complaint_export(request):
    """CSV of the complaints the office may see: dates, limits and outcomes, never the
    complainant's identity or words (an export travels further than a page)."""
    if not permissions.is_handler(request.user):
        raise PermissionDenied()
    qs = (permissions.complaints_visible_to(request.user).select_related("department", "investigator")
          .order_by("id").iterator(chunk_size=2000))
    writer = csv.writer(_Echo())
    rows = chain([EXPORT_COLUMNS], (_export_row(c) for c in qs))
    # The byte-order mark makes spreadsheet programs read the file as UTF-8.
    lines = chain(["\ufeff"], (writer.writerow(row) for row in rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="complaints.csv"'
    return response


@login_required
def complaint_work(request, pk: int):
    """The investigation page: accept or refuse, assign, conclude, reply; the history."""
    complaint = permissions.complaint_for_user(request.user, pk)
    user = request.user
    handler = permissions.is_handler(user) and complaint.staff_id != user.pk
    investigator = complaint.investigator_id == user.pk
    return render(request, "complaints/work.html", {
        "complaint": complaint,
        "alert": selectors.complaint_alert(complaint),
        "case": selectors.complaint_case(complaint),
        "events": selectors.complaint_timeline(complaint),
        "handler": handler,
        "investigator": investigator,
        "refuse_form": RefuseForm(),
        "assign_form": AssignForm(candidates=permissions.investigator_candidates(complaint)),
        "conclude_form": ConcludeForm(),
        "reply_form": ReplyForm(),
    })


ACTIONS = {
    "accept": lambda r, c: services.complaint_accept(actor=r.user, complaint_id=c.pk),
    "refuse": lambda r, c: services.complaint_refuse(actor=r.user, complaint_id=c.pk,
                                                     reason=r.POST.get("reason", "")),
    "assign": lambda r, c: services.complaint_assign(actor=r.user, complaint_id=c.pk,
                                                     investigator=r.POST.get("investigator", "")),
    "conclude": lambda r, c: services.complaint_conclude(actor=r.user, complaint_id=c.pk,
                                                         finding=r.POST.get("finding", ""),
                                                         summary=r.POST.get("summary", "")),
    "reply": lambda r, c: services.complaint_reply(actor=r.user, complaint_id=c.pk, text=r.POST.get("text", "")),
}


@login_required
@require_POST
def complaint_act(request, pk: int, action: str):
    page_action_run(request, ACTIONS, action, permissions.complaint_for_user(request.user, pk))
    if permissions.complaints_visible_to(request.user).filter(pk=pk).exists():
        return redirect("complaint-work", pk=pk)
    return redirect("complaint-queue")


# The handling unit and the supervisors.

@login_required
def follow_ups(request):
    """差评整改: the unit's open follow-ups and its bad ratings; the supervisor sees every unit."""
    user = request.user
    supervisor = roles.supervises(user)
    department_id = permissions.staff_department_id(user)
    unit = department_id is not None and permissions.is_unit_member(user, department_id)
    if not (supervisor or unit):
        raise PermissionDenied()
    filters = FollowUpListFilter(request.GET)
    rated_from, rated_until = filters.instants()
    search = {"q": filters.value("q"), "department": filters.value("department"), "rated_from": rated_from,
              "rated_until": rated_until}
    bad = (permissions.evaluations_visible_to(user).filter(score__lte=2, source=RatingSource.CITIZEN)
           .select_related("application", "service", "follow_up"))
    # Two lists, each 50 a page by its own cursor.
    open_ones = page_context(request, selectors.rating_search(
        selectors.open_follow_ups(permissions.follow_ups_visible_to(user)), via="evaluation__", **search),
        selectors.FOLLOW_UP_ORDER, limit=50)
    ratings = page_context(request, selectors.rating_search(bad, **search), selectors.RATED_ORDER, limit=50,
                           param="ratings_cursor")
    template = "complaints/_follow_up_results.html" if request.htmx else "complaints/follow_ups.html"
    return render(request, template, {
        **open_ones, "follow_ups": open_ones["items"], "bad_ratings": ratings["items"], "ratings_pager": ratings,
        "filters": filters, "supervisor": supervisor, "unit": unit,
        "follow_up_form": FollowUpForm(), "reason_form": ReasonForm(), "grounds_form": GroundsForm(),
        "now": timezone.now(),
    })


@login_required
@require_POST
def follow_up_complete(request, pk: int):
    follow_up = permissions.follow_up_for_user(request.user, pk)
    with domain_errors_shown(request) as outcome:
        evaluations.follow_up_complete(actor=request.user, follow_up_id=follow_up.pk,
                                       action=request.POST.get("action", ""), note=request.POST.get("note", ""))
    if not outcome.failed:
        messages.success(request, _("Done. The citizen is told."))
    return redirect("follow-up-list")


EVALUATION_ACTIONS = {
    "appeal": lambda r, e: evaluations.evaluation_appeal(actor=r.user, evaluation_id=e.pk,
                                                         grounds=r.POST.get("grounds", "")),
    "strike": lambda r, e: evaluations.evaluation_strike(actor=r.user, evaluation_id=e.pk,
                                                         reason=r.POST.get("reason", "")),
    "dismiss": lambda r, e: evaluations.evaluation_appeal_dismiss(actor=r.user, evaluation_id=e.pk,
                                                                  reason=r.POST.get("reason", "")),
}


@login_required
@require_POST
def evaluation_act(request, pk: int, action: str):
    page_action_run(request, EVALUATION_ACTIONS, action, permissions.evaluation_for_user(request.user, pk))
    return redirect("follow-up-list")


@login_required
def rectification_list(request):
    """书面说明和整改报告: a principal's reports to write; the supervisors' view of all of them, newest
    first, 50 a page; by complaint number or badge, state, department and the day requested."""
    if not roles.is_staff_member(request.user):
        raise PermissionDenied()
    filters = RectificationListFilter(request.GET)
    requested_from, requested_until = filters.instants()
    reports = rectification.report_search(
        rectification.reports_visible_to(request.user), q=filters.value("q"), state=filters.value("state"),
        department=filters.value("department"), requested_from=requested_from, requested_until=requested_until)
    pager = page_context(request, reports, rectification.REPORT_ORDER, limit=50)
    # A filter or a page asked by htmx gets the table alone (the page keeps its form).
    template = "complaints/_rectification_results.html" if request.htmx else "complaints/rectification_list.html"
    return render(request, template, {**pager, "reports": pager["items"], "filters": filters, "now": timezone.now()})


@login_required
def rectification_page(request, pk: int):
    report = rectification.report_for_user(request.user, pk)
    if request.method == "POST":
        with domain_errors_shown(request) as outcome:
            rectification.rectification_report_submit(actor=request.user, report_id=report.pk,
                                                      explanation=request.POST.get("explanation", ""),
                                                      measures=request.POST.get("measures", ""))
        if not outcome.failed:
            messages.success(request, _("The report was submitted to the supervisors."))
            return redirect("rectification-detail", pk=pk)
    return render(request, "complaints/rectification.html", {
        "report": report, "principal": report.principal_id == request.user.pk, "values": request.POST,
        "now": timezone.now(),
    })
