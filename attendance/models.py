"""考勤 (attendance at the post) and 请销假 (leave requested, approved, taken, ended)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class AttendanceRecord(models.Model):
    """One official's day at his post: when he checked in (late after the start of the
    working day) and out. 挂牌上岗: the on-duty state of the badge follows it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendance")
    day = models.DateField(_("day"))
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="attendance_once_a_day")]
        indexes = [models.Index(fields=["day"], name="attendance_day_idx")]


class LeaveStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("cancelled")


class LeaveRequest(models.Model):
    TRANSITION_REFUSED = _("This leave request is %(status)s.")
    """请假: requested by the official, approved or rejected by his head (or a supervisor).
    While an approved leave runs the official is absent and his B post holds his work."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("official"), on_delete=models.PROTECT,
                             related_name="leave_requests")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=300)
    status = FSMField(_("status"), default=LeaveStatus.REQUESTED, choices=LeaveStatus.choices, protected=True)
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note on the decision"), max_length=300, blank=True)
    # 销假: when the B post took over, and when the post came back.
    started_at = models.DateTimeField(_("B post took over at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-first_day", "-id"]
        indexes = [
            models.Index(fields=["first_day"], name="leave_to_start_idx",
                         condition=models.Q(status="approved", started_at__isnull=True)),
            models.Index(fields=["last_day"], name="leave_to_end_idx",
                         condition=models.Q(started_at__isnull=False, ended_at__isnull=True)),
            models.Index(fields=["user", "-first_day"], name="leave_user_idx"),
        ]

    @transition(field=status, source=[LeaveStatus.REQUESTED], target=LeaveStatus.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=[LeaveStatus.REQUESTED], target=LeaveStatus.REJECTED)
    def reject(self):
        pass

    @transition(field=status, source=[LeaveStatus.REQUESTED, LeaveStatus.APPROVED], target=LeaveStatus.CANCELLED)
    def cancel(self):
        pass
