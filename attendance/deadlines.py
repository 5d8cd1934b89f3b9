"""Steps of the one deadline sweep (approvals.deadlines): approved leave begins on its first
day (the B post takes over) and ends after its last day (the work comes back)."""

from django.db import transaction
from django.utils import timezone

from attendance import services
from attendance.models import LeaveRequest, LeaveStatus
from portal.errors import DomainError
from portal.sweep import claim_batch


def _claim(queryset, order: str, batch: int) -> list[LeaveRequest]:
    return claim_batch(queryset.select_related("user", "decided_by"), order, batch)


def leaves_start(now, batch: int):
    """请假 begins: mark the official absent so his B post takes over (AB岗工作制)."""
    today = timezone.localdate(now)
    started = 0
    with transaction.atomic():
        leaves = _claim(LeaveRequest.objects.filter(status=LeaveStatus.APPROVED, started_at__isnull=True,
                                                    first_day__lte=today, last_day__gte=today), "first_day", batch)
        for leave in leaves:
            try:
                with transaction.atomic():
                    services.leave_start(leave=leave, now=now)
                    started += 1
            except DomainError:
                # The A/B rules refused (B absent too, no B post): the head sees the leave not
                # taken over on the attendance board; the step tries again next time.
                continue
    return started, 0 if started < len(leaves) else len(leaves)


def leaves_end(now, batch: int):
    """销假: the day after the last day of leave the post comes back to the official."""
    today = timezone.localdate(now)
    with transaction.atomic():
        leaves = _claim(LeaveRequest.objects.filter(started_at__isnull=False, ended_at__isnull=True,
                                                    last_day__lt=today), "last_day", batch)
        for leave in leaves:
            services.leave_end(leave=leave, now=now)
    return len(leaves)


STEPS = [("leaves_started", leaves_start), ("leaves_ended", leaves_end)]
