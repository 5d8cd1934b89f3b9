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
    questions they may take on. Citizens: their own questions."""
    user = request.user
    if permissions.is_official(user):
        return render(request, "inquiries/mine.html", {
            "owned": selectors.owned_by(user),
            "unclaimed": selectors.unclaimed_for(user)[:100],
            "finished": selectors.recently_finished_by(user),
        })
    if roles.supervises(user):
        return render(request, "inquiries/mine.html", {
            "owned": selectors.inquiry_list(user, status=",".join(OWNED_OPEN))[:100], "overview": True})
    if getattr(user, "staff_profile", None) is not None:
        raise PermissionDenied()
    filters = InquiryListFilter(request.GET, citizen=True)
    asked_from, asked_until = filters.instants()
    qs = selectors.inquiry_search(selectors.citizen_inquiries(user), q=filters.value("q"), citizen=True,
                                  status=filters.value("status"), department=filters.value("department"),
                                  asked_from=asked_from, asked_until=asked_until)
    pager = page_context(request, qs, selectors.CITIZEN_ORDER, limit=50)
    template = "inquiries/_citizen_results.html" if request.htmx else "inquiries/citizen_list.html"
    return render(request, template, {**pager, "inquiries": pager["items"], "filters": filters})


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
    """The department's referred inquiries: acknowledge them and answer."""
    permissions.require_official(request.user)
    return render(request, "inquiries/referred.html", {
        "open": selectors.referred_to_department_of(request.user),
        "done": selectors.referred_to_department_of(request.user, open_only=False),
    })


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
