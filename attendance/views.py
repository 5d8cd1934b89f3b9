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
from attendance.models import AttendanceRecord, LeaveStatus
from portal.errors import DomainError, PermissionDenied
from portal.web.messages import domain_errors_shown
from portal.organisation.models import StaffProfile



@login_required
def attendance_page(request):
    if not StaffProfile.objects.filter(user_id=request.user.pk).exists():
        raise PermissionDenied()
    today = timezone.localdate()
    day = parse_date(request.GET.get("day") or "") or today
    try:
        board = selectors.attendance_board(day, within=selectors.board_scope(request.user))
    except PermissionDenied:  # the board is for heads and supervisors; the rest see their own only
        board = None
    leave = selectors.leave_visible_to(request.user)
    return render(request, "attendance/attendance.html", {
        "today": today, "day": day, "board": board,
        "record": AttendanceRecord.objects.filter(user=request.user, day=today).first(),
        "mine": leave.filter(user=request.user).order_by("-first_day", "-id")[:20],
        "to_decide": leave.filter(status=LeaveStatus.REQUESTED).exclude(user=request.user)
        .order_by("first_day", "id")[:50],
    })


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
