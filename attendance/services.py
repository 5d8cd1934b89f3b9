"""考勤与请销假: check in and out at the post, leave requested and decided, and the A/B
post taking over while an approved leave runs (AB岗工作制, ``portal.organisation``).

Each service is keyword-only and runs in one transaction; the A/B handover itself is
``staff_mark_absent``/``staff_mark_returned``, which lock the posts and move the work.
"""

from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import AttendanceRecord, LeaveRequest
from portal.audit.services import audit_log
from portal.errors import PermissionDenied, StateConflict, ValidationFailed
from portal.locking import for_update, locked
from portal.organisation import services as posts
from portal.organisation.models import StaffProfile
from portal.organisation.selectors import may_manage_posts
from portal.transitions import transition_run


def workday_start(day: date) -> datetime:
    """The instant the working day begins (settings.WORKDAY_START, local time); later is late."""
    hour, minute = (int(part) for part in settings.WORKDAY_START.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _profile(user) -> StaffProfile:
    profile = StaffProfile.objects.filter(user_id=user.pk).first() if user.is_authenticated else None
    if profile is None:
        raise PermissionDenied(_("Only officials with a badge check in."))
    return profile


def attendance_check_in(*, actor) -> AttendanceRecord:
    """考勤 签到: the official checks in at his post and is on duty (挂牌上岗); after the
    start of the working day it counts as late. Once a day."""
    profile = _profile(actor)
    now = timezone.now()
    today = timezone.localdate(now)
    if profile.absent:
        raise StateConflict(_("You are marked absent (on leave); your B post holds your work."), code="absent")
    with transaction.atomic():
        record, created = AttendanceRecord.objects.get_or_create(
            user=actor, day=today, defaults={"checked_in_at": now, "late": now > workday_start(today)})
        if not created:
            raise StateConflict(_("You already checked in today."), code="already_checked_in")
        audit_log(actor=actor, obj=record, action="check_in", note="late" if record.late else "", at=now)
        posts.staff_on_duty_set(actor=actor, username=actor.get_username(), on_duty=True)
    return record


def attendance_check_out(*, actor) -> AttendanceRecord:
    """考勤 签退: the official leaves his post and is off duty."""
    _profile(actor)
    now = timezone.now()
    with transaction.atomic():
        record = for_update(AttendanceRecord.objects.all()).filter(user=actor, day=timezone.localdate(now)).first()
        if record is None:
            raise StateConflict(_("Check in first."), code="not_checked_in")
        if record.checked_out_at is not None:
            raise StateConflict(_("You already checked out today."), code="already_checked_out")
        record.checked_out_at = now
        record.save(update_fields=["checked_out_at"])
        audit_log(actor=actor, obj=record, action="check_out", at=now)
        posts.staff_on_duty_set(actor=actor, username=actor.get_username(), on_duty=False)
    return record


def leave_request(*, actor, first_day: date, last_day: date, reason: str) -> LeaveRequest:
    """请假: an official asks his head for leave (not for days already past)."""
    _profile(actor)
    fields = {}
    if last_day < first_day:
        fields["last_day"] = [_("Not before the first day.")]
    if first_day < timezone.localdate():
        fields["first_day"] = [_("Not in the past.")]
    if not (reason or "").strip():
        fields["reason"] = [_("This field is required.")]
    if fields:
        raise ValidationFailed(_("The leave request is not valid."), fields=fields)
    with transaction.atomic():
        leave = LeaveRequest.objects.create(user=actor, first_day=first_day, last_day=last_day,
                                            reason=reason.strip()[:300], requested_at=timezone.now())
        audit_log(actor=actor, obj=leave, action="request", to_status=leave.status,
                  note=f"{first_day.isoformat()}…{last_day.isoformat()}")
    return leave


def _locked(leave_id) -> LeaveRequest:
    return locked(LeaveRequest, leave_id, related=("user",))


def _require_approver(actor, leave: LeaveRequest) -> None:
    department_id = StaffProfile.objects.filter(user_id=leave.user_id).values_list("department_id", flat=True).first()
    if actor.pk == leave.user_id or not may_manage_posts(actor, department_id):
        raise PermissionDenied(_("The head of the department or a supervisor decides on leave."))


def leave_start(*, leave: LeaveRequest, now) -> None:
    """The approved leave begins: the official is absent and his B post takes over his work."""
    posts.staff_mark_absent(actor=leave.decided_by, username=leave.user.get_username(),
                            note=_("On leave %(first)s to %(last)s") % {
                                "first": leave.first_day.isoformat(), "last": leave.last_day.isoformat()})
    leave.started_at = now
    leave.save(update_fields=["started_at"])


def leave_end(*, leave: LeaveRequest, now) -> None:
    """销假: the leave is over; what the B post still holds of his comes back (unless his
    head already reported him back by hand)."""
    try:
        posts.staff_mark_returned(actor=leave.user, username=leave.user.get_username())
    except StateConflict as error:
        if error.code != "not_absent":
            raise
    leave.ended_at = now
    leave.save(update_fields=["ended_at"])


def leave_approve(*, actor, leave_id, note: str = "") -> LeaveRequest:
    """准假 by the head: a leave that has begun hands the post to the B post at once (a
    refusal of the A/B rules — no B post, B absent too — refuses the approval); a later
    one when its first day begins (the deadline sweep)."""
    now = timezone.now()
    with transaction.atomic():
        leave = _locked(leave_id)
        _require_approver(actor, leave)
        before = transition_run(leave, "approve")
        leave.decided_by, leave.decided_at, leave.decision_note = actor, now, (note or "").strip()[:300]
        leave.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_log(actor=actor, obj=leave, action="approve", from_status=before, to_status=leave.status, at=now)
        if leave.first_day <= timezone.localdate(now) <= leave.last_day:
            leave_start(leave=leave, now=now)
    return leave


def leave_reject(*, actor, leave_id, reason: str) -> LeaveRequest:
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the leave is refused."), fields={"reason": [_("This field is required.")]})
    now = timezone.now()
    with transaction.atomic():
        leave = _locked(leave_id)
        _require_approver(actor, leave)
        before = transition_run(leave, "reject")
        leave.decided_by, leave.decided_at, leave.decision_note = actor, now, reason.strip()[:300]
        leave.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_log(actor=actor, obj=leave, action="reject", from_status=before, to_status=leave.status,
                  note=leave.decision_note, at=now)
    return leave


def leave_cancel(*, actor, leave_id) -> LeaveRequest:
    """The official withdraws his request, or an approved leave that has not begun."""
    with transaction.atomic():
        leave = _locked(leave_id)
        if actor.pk != leave.user_id:
            raise PermissionDenied(_("Only the official himself withdraws his leave request."))
        if leave.started_at is not None:
            raise StateConflict(_("The leave has begun; report back instead."), code="leave_started")
        before = transition_run(leave, "cancel")
        leave.save(update_fields=["status"])
        audit_log(actor=actor, obj=leave, action="cancel", from_status=before, to_status=leave.status)
    return leave
