"""Pages of inquiries: the official's "my inquiries" with the progress of what he
referred, the department's referred inquiries, the citizen's online question and
its status with the owner's badge. Thin: parse, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.forms import WalkInForm
from approvals.services import ApplicantData
from portal.errors import PermissionDenied
from portal.organisation import roles
from portal.pagination import page_context
from portal.web.messages import domain_errors_shown, page_action_run
from inquiries import permissions, selectors, services
from inquiries.forms import AnswerForm, InquiryListFilter, OnlineInquiryForm, RecordInquiryForm, ReferForm
from inquiries.models import OWNED_OPEN, InquiryStatus


def _data(form) -> services.InquiryData:
    values = dict(form.cleaned_data)
    department = values.pop("department", None)
    return services.InquiryData(department=department.code if department else "", **values)


@login_required
def inquiry_list(request):
    """Officials: what they own (with the referred ones' progress) and the unclaimed
    questions they may take on, each list 50 a page. Supervisors: every open inquiry in reach,
    newest first. Citizens: their own questions. Each searchable and filtered."""
    user = request.user
    if permissions.is_official(user):
        filters = InquiryListFilter(request.GET, statuses=OWNED_OPEN)
        search = _search(filters)
        owned = page_context(request, selectors.inquiry_search(selectors.owned_by(user), **search),
                             selectors.DUE_ORDER, limit=50)
        search.pop("status")
        unclaimed = page_context(request, selectors.inquiry_search(selectors.unclaimed_for(user), **search),
                                 selectors.DUE_ORDER, limit=50, param="unclaimed_cursor")
        return _staff_list(request, {**owned, "owned": owned["items"], "unclaimed": unclaimed["items"],
                                     "unclaimed_pager": unclaimed, "filters": filters,
                                     "finished": selectors.recently_finished_by(user)})
    if roles.supervises(user):
        filters = InquiryListFilter(request.GET)
        search = _search(filters)
        # Every inquiry in reach, the open ones unless a status is asked for.
        visible = selectors.inquiry_list(user, status=search.pop("status") or ",".join(OWNED_OPEN))
        pager = page_context(request, selectors.inquiry_search(visible, **search), selectors.NEWEST_ORDER, limit=50)
        return _staff_list(request, {**pager, "owned": pager["items"], "overview": True, "filters": filters})
    if getattr(user, "staff_profile", None) is not None:
        raise PermissionDenied()
    filters = InquiryListFilter(request.GET, citizen=True)
    pager = page_context(request, selectors.inquiry_search(selectors.citizen_inquiries(user), citizen=True,
                                                           **_search(filters)), selectors.CITIZEN_ORDER, limit=50)
    template = "inquiries/_citizen_results.html" if request.htmx else "inquiries/citizen_list.html"
    return render(request, template, {**pager, "inquiries": pager["items"], "filters": filters})


def _search(filters: InquiryListFilter) -> dict:
    asked_from, asked_until = filters.instants()
    return {"q": filters.value("q"), "status": filters.value("status"), "department": filters.value("department"),
            "asked_from": asked_from, "asked_until": asked_until}


def _staff_list(request, context: dict):
    # A filter or a page asked by htmx gets the tables alone (the page keeps its form).
    template = "inquiries/_mine_results.html" if request.htmx else "inquiries/mine.html"
    return render(request, template, context)


@login_required
def ask(request):
    """A citizen's online question."""
    if permissions.is_official(request.user):
        return redirect("inquiry-record")
    form = OnlineInquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_shown(request) as outcome:
            inquiry = services.inquiry_create(actor=request.user, data=_data(form))
        if not outcome.failed:
            messages.success(request, _("Your question was received."))
            return redirect("inquiry-detail", pk=inquiry.pk)
    return render(request, "inquiries/ask.html", {"form": form})


@login_required
def record(request):
    """An official records the walk-in or telephone question he was asked, and owns it."""
    permissions.require_official(request.user)
    form = RecordInquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_shown(request) as outcome:
            inquiry = services.inquiry_create(actor=request.user, data=_data(form))
        if not outcome.failed:
            return redirect("inquiry-detail", pk=inquiry.pk)
    return render(request, "inquiries/record.html", {"form": form})


@login_required
def referred(request):
    """The department's referred inquiries: acknowledge them and answer; those answered below,
    each list 50 a page, by number, citizen's name or owner's badge and the day asked."""
    permissions.require_official(request.user)
    filters = InquiryListFilter(request.GET, statuses=None, department=False)
    search = _search(filters)
    del search["status"], search["department"]
    waiting = page_context(request, selectors.inquiry_search(selectors.referred_to_department_of(request.user),
                                                             **search), selectors.DUE_ORDER, limit=50)
    done = page_context(request, selectors.inquiry_search(
        selectors.referred_to_department_of(request.user, open_only=False), **search), selectors.ANSWERED_ORDER,
        limit=50, param="done_cursor")
    template = "inquiries/_referred_results.html" if request.htmx else "inquiries/referred.html"
    return render(request, template, {**waiting, "open": waiting["items"], "done": done["items"], "done_pager": done,
                                      "filters": filters})


@login_required
def detail(request, pk: int):
    inquiry = permissions.inquiry_for_user(request.user, pk)
    user = request.user
    owner = permissions.is_owner(user, inquiry)
    referee = permissions.is_referee_staff(user, inquiry)
    status = inquiry.status
    return render(request, "inquiries/detail.html", {
        "inquiry": inquiry,
        "official": permissions.is_official(user),
        "may_claim": status == InquiryStatus.UNCLAIMED and permissions.is_official(user),
        "may_refer": owner and status in (InquiryStatus.OPEN, InquiryStatus.REFERRED),
        "may_acknowledge": referee and status == InquiryStatus.REFERRED and inquiry.acknowledged_at is None,
        "may_answer": (owner or referee) and status in (InquiryStatus.OPEN, InquiryStatus.REFERRED),
        "may_close": owner and status == InquiryStatus.ANSWERED,
        "may_convert": owner and permissions.is_clerk(user) and status in OWNED_OPEN,
        "clock": selectors.inquiry_clock(inquiry),
        "events": selectors.inquiry_events(inquiry),
        "alerts": inquiry.alerts.order_by("id"),
        "refer_form": ReferForm(),
        "answer_form": AnswerForm(),
        "convert_form": WalkInForm(initial={"name": inquiry.citizen_name}, prefix="convert"),
    })


def _convert(request, inquiry):
    form = WalkInForm(request.POST, prefix="convert")
    if not form.is_valid():
        for field, problems in form.errors.items():
            for problem in problems:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {problem}")
        return None
    data = dict(form.cleaned_data)
    service = data.pop("service")
    return services.inquiry_convert(actor=request.user, inquiry_id=inquiry.pk, service_code=service.code,
                                    applicant=ApplicantData(**data))


def _refer(request, inquiry):
    form = ReferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the department to refer to."))
        return None
    return services.inquiry_refer(actor=request.user, inquiry_id=inquiry.pk,
                                  department_code=form.cleaned_data["department"].code,
                                  note=form.cleaned_data["note"])


ACTIONS = {
    "claim": lambda r, q: services.inquiry_claim(actor=r.user, inquiry_id=q.pk),
    "refer": _refer,
    "acknowledge": lambda r, q: services.inquiry_acknowledge(actor=r.user, inquiry_id=q.pk),
    "answer": lambda r, q: services.inquiry_answer(actor=r.user, inquiry_id=q.pk, answer=r.POST.get("answer", "")),
    "close": lambda r, q: services.inquiry_close(actor=r.user, inquiry_id=q.pk),
    "convert": _convert,
}


@login_required
@require_POST
def act(request, pk: int, action: str):
    done = page_action_run(request, ACTIONS, action, permissions.inquiry_for_user(request.user, pk))
    if done is not None and action == "convert":
        return redirect("application-detail", pk=done.application_id)
    back = request.POST.get("next", "")
    if back in ("inquiry-list", "inquiry-referred"):
        return redirect(back)
    return redirect("inquiry-detail", pk=pk)
