"""Provisional deadlines (SPEC §3): a deadline counted over a year without the official
holiday schedule is recomputed when that year's calendar is loaded or edited."""

import logging

from django.db import transaction

from approvals import green_channel
from approvals.models import OPEN_STAGE, Application, Stage, Status
from portal.audit.services import audit_log
from portal.locking import for_update
from portal.workcalendar.calendar import get_work_calendar

log = logging.getLogger(__name__)


def provisional_deadlines_recompute(*, years=None) -> int:
    """Recompute the running clocks marked provisional; return how many deadlines moved.
    Each application is locked like any other change; the applicant is told of a move
    through the audit trail and the application page."""
    calendar = get_work_calendar()
    moved = 0
    ids = list(Application.objects.filter(status=Status.IN_REVIEW, due_provisional=True,
                                          clock_start__isnull=False).values_list("pk", flat=True))
    for application_id in ids:
        with transaction.atomic():
            application = for_update(Application.objects.filter(pk=application_id,
                                                                status=Status.IN_REVIEW)).first()
            if application is None:
                continue
            deadline = calendar.due_at(application.clock_start, application.clock_days)
            if years is not None and not ({application.clock_start.year, deadline.due_date.year}
                                          | {application.due_at.year}) & set(years):
                continue
            before = application.due_at
            application.due_at, application.due_provisional = deadline.due_at, deadline.provisional
            application.warn_at = calendar.warn_at(application.clock_start, application.clock_days,
                                                   limit=green_channel.committed_limit(application))
            application.save(update_fields=["due_at", "due_provisional", "warn_at"])
            for stage in for_update(Stage.objects.filter(application=application, status__in=OPEN_STAGE,
                                                         clock_start__isnull=False).order_by("id")):
                stage.due_at = calendar.due_at(stage.clock_start, stage.clock_days).due_at
                stage.warn_at = calendar.warn_at(stage.clock_start, stage.clock_days, limit=stage.days)
                stage.save(update_fields=["due_at", "warn_at"])
            if before != application.due_at:
                moved += 1
                audit_log(actor=None, obj=application, action="deadline_recomputed",
                          from_status=application.status, to_status=application.status,
                          note="official calendar loaded",
                          data={"before": before.isoformat(), "after": application.due_at.isoformat()})
    if moved:
        log.info("recomputed %s provisional deadlines", moved)
    return moved


def on_calendar_changed(sender, years, **kwargs) -> None:
    provisional_deadlines_recompute(years=years)
