"""Reads of applications shared by the API and the pages."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from approvals.models import Application, Stage
from portal.audit.models import AuditEvent
from portal.workcalendar.calendar import get_work_calendar


def application_events(application: Application) -> QuerySet[AuditEvent]:
    """The application's history (全程留痕), including its stages."""
    stage_ids = list(application.stages.values_list("id", flat=True))
    return AuditEvent.objects.filter(
        Q(object_type="application", object_id=application.pk) | Q(object_type="stage", object_id__in=stage_ids)
    ).order_by("id")


def application_clock(application: Application, now=None) -> dict:
    """Is the clock running, and how many working days remain (SPEC §3)."""
    from approvals.models import Status

    running = application.status == Status.IN_REVIEW and application.due_at is not None
    remaining = None
    if application.due_at is not None and application.status in (Status.IN_REVIEW, Status.SUSPENDED):
        remaining = get_work_calendar().remaining_working_days(now or timezone.now(), application.due_at)
    return {"running": running, "remaining_working_days": remaining}


def application_list(queryset: QuerySet[Application], *, status=None, department=None, alert=None):
    qs = queryset.select_related("service", "service__department")
    if status:
        qs = qs.filter(status__in=status.split(","))
    if department:
        qs = qs.filter(Q(service__department__code=department) | Q(stages__department__code=department)).distinct()
    if alert:
        qs = qs.filter(alert=alert)
    return qs.order_by("-id")


def stages_of(application: Application) -> QuerySet[Stage]:
    return application.stages.select_related("department", "assignee").order_by("id")
