"""Reads of applications shared by the API and the pages."""

from django.db import models
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
    ).select_related("actor__staff_profile").order_by("id")


def application_clock(application: Application, now=None) -> dict:
    """Is the clock running, and how many working days remain (SPEC §3)."""
    from approvals.models import Status

    running = application.status == Status.IN_REVIEW and application.due_at is not None
    remaining = None
    if application.status == Status.SUSPENDED:
        remaining = application.remaining_days_frozen
    elif running:
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


def stage_queue(user, *, status=None, department=None) -> QuerySet[Stage]:
    """A reviewer's queue: his department's stages, due soonest first."""
    from approvals.models import OPEN_STAGE
    from approvals.permissions import sees_everything, staff_department_id

    qs = Stage.objects.select_related("application", "department", "assignee")
    if not sees_everything(user):
        department_id = staff_department_id(user)
        if department_id is None:
            return qs.none()
        qs = qs.filter(department_id=department_id)
    if department:
        qs = qs.filter(department__code=department)
    qs = qs.filter(status__in=status.split(",")) if status else qs.filter(status__in=OPEN_STAGE)
    return qs.order_by(models.F("due_at").asc(nulls_last=True), "id")


def public_register() -> QuerySet[Application]:
    """Decisions, deemed approvals included, newest first (决定公开)."""
    return (Application.objects.filter(outcome__in=["approved", "denied", "deemed_approved"])
            .select_related("service").order_by("-decided_at", "-id"))
