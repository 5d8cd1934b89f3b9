"""The attendance page (考勤与请销假): check in and out, ask for leave, decide on the leave
of one's department, and the day's board for supervisors and heads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attendance import selectors, services
from attendance.forms import BoardFilter, LeaveListFilter
from attendance.models import AttendanceRecord, LeaveStatus
from portal.errors import DomainError, PermissionDenied
from portal.pagination import page_context
from portal.web.messages import domain_errors_shown
from portal.organisation.models import StaffProfile
from portal.organisation.selectors import department_id_of, may_manage_posts


@login_required
def attendance_page(request):
    """考勤与请销假: today's check-in, one's own leave (the latest first), the leave of others to
    decide (the soonest first; by badge or name, department and first day) and, for supervisors
    and heads, the day's board (by badge; by day, badge or name, department and state), each 50
    a page by its own cursor."""
    if not StaffProfile.objects.filter(user_id=request.user.pk).exists():
        raise PermissionDenied()
    # A page or a filter asked by htmx gets the list it targets alone, and reads that list only.
    if request.htmx:
        template, section = HTMX_SECTIONS.get(request.htmx.target, HTMX_SECTIONS["leave-results"])
        return render(request, template, section(request))
    today = timezone.localdate()
    return render(request, "attendance/attendance.html", {
        **_my_leave(request), **_leave_to_decide(request), **_board(request), "today": today,
        "may_decide": may_manage_posts(request.user, department_id_of(request.user)),
        # The leave filters carry the board's along (the board's say keep="").
        "keep": [(name, value) for name, value in request.GET.items() if name.startswith("board-")],
        "record": AttendanceRecord.objects.filter(user=request.user, day=today).first(),
    })


def _my_leave(request) -> dict:
    """One's own leave, the latest first, 50 a page by its own cursor."""
    mine = selectors.leave_visible_to(request.user).filter(user=request.user)
    return {"mine": page_context(request, mine, selectors.MY_LEAVE_ORDER, limit=50, param="mine_cursor")}


def _leave_to_decide(request) -> dict:
    """The leave of others to decide, the soonest first, 50 a page; by badge or name,
    department and first day."""
    filters = LeaveListFilter(request.GET)
    first_from, first_until = filters.days()
    requested = selectors.leave_visible_to(request.user).filter(status=LeaveStatus.REQUESTED).exclude(
        user=request.user)
    found = selectors.leave_search(requested, q=filters.value("q") or "", department=filters.value("department"),
                                   first_from=first_from, first_until=first_until)
    return {"to_decide": page_context(request, found, selectors.TO_DECIDE_ORDER, limit=50), "filters": filters}


def _board(request) -> dict:
    """The day's board for supervisors and heads (``board_scope``), by badge, 50 a page; by
    day, badge or name, department and state. ``board`` None: not his to read."""
    board_filters = BoardFilter(request.GET)
    day = board_filters.value("day") or timezone.localdate()
    try:
        within = selectors.board_scope(request.user)
    except PermissionDenied:  # the board is for heads and supervisors; the rest see their own only
        return {"board": None, "day": day}
    profiles = selectors.board_search(selectors.board_profiles(day, within=within), q=board_filters.value("q") or "",
                                      department=board_filters.value("department"),
                                      state=board_filters.value("state") or "")
    pager = page_context(request, profiles, selectors.BOARD_ORDER, limit=50, param="board_cursor")
    return {"board": selectors.board_rows(pager["items"], day), "board_pager": pager,
            "board_filters": board_filters, "day": day}


# htmx target (the results' element id) → the template swapped in and what it reads.
HTMX_SECTIONS = {"my-leave-results": ("attendance/_my_leave_results.html", _my_leave),
                 "leave-results": ("attendance/_leave_to_decide_results.html", _leave_to_decide),
                 "board-results": ("attendance/_board_results.html", _board)}


@login_required
@require_POST
def attendance_act(request, action: str):
    with domain_errors_shown(request):
        if action == "check-in":
            record = services.attendance_check_in(actor=request.user)
            messages.success(request, _("Checked in (late).") if record.late else _("Checked in."))
        elif action == "check-out":
            services.attendance_check_out(actor=request.user)
            messages.success(request, _("Checked out."))
        elif action == "leave":
            first, last = parse_date(request.POST.get("first_day", "")), parse_date(request.POST.get("last_day", ""))
            if first is None or last is None:
                raise DomainError(_("Give the first and the last day of the leave."))
            services.leave_request(actor=request.user, first_day=first, last_day=last,
                                   reason=request.POST.get("reason", ""))
            messages.success(request, _("Leave requested."))
    return redirect("attendance")


@login_required
@require_POST
def leave_act(request, pk: int, action: str):
    with domain_errors_shown(request):
        if action == "approve":
            services.leave_approve(actor=request.user, leave_id=pk, note=request.POST.get("note", ""))
            messages.success(request, _("Leave approved."))
        elif action == "reject":
            services.leave_reject(actor=request.user, leave_id=pk, reason=request.POST.get("reason", ""))
            messages.success(request, _("Leave refused."))
        elif action == "cancel":
            services.leave_cancel(actor=request.user, leave_id=pk)
            messages.success(request, _("Leave request withdrawn."))
    return redirect("attendance")
