"""中介服务 under 电子监察 (seed 001 line 403: "限时办理、规范运作"): an intermediary service still
running past its own published limit is told — once — to the official who ordered it, the head
of his department and the supervisors of its center, who chase the intermediary organisation.
The departments' clocks are not touched: they stand still until its report is in.

A deadline-sweep step (settings.DEADLINE_STEP_MODULES): it claims the late intermediary rows
themselves (SKIP LOCKED)."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from approvals.emails import staff_message
from approvals.models import IntermediaryStage, IntermediaryStatus
from portal.audit.services import AuditEntry, audit_log_many
from portal.notifications.outbox import enqueue
from portal.organisation.selectors import SupervisorsOf
from portal.sweep import claim_batch


def intermediaries_late_tell(stages: list[IntermediaryStage], *, now) -> None:
    """Tell the orderer, his head and the supervisors of each late intermediary service (rows
    locked by the caller), and record it on the application's history."""
    if not stages:
        return
    supervisors_of = SupervisorsOf()
    entries, messages = [], []
    with translation.override(settings.LANGUAGE_CODE):
        for stage in stages:
            application, orderer = stage.application, stage.started_by
            profile = getattr(orderer, "staff_profile", None)
            department = profile.department if profile is not None else application.service.department
            note = _("%(service)s (%(provider)s) past its limit of %(days)d working days (due %(due)s)") % {
                "service": stage.service.name, "provider": stage.service.provider, "days": stage.days,
                "due": stage.due_at.isoformat()}
            entries.append(AuditEntry(object_type="application", object_id=application.pk,
                                      action="intermediary_late", from_status=application.status,
                                      to_status=application.status, note=note))
            subject = _("Intermediary service late on %(number)s") % {"number": application.number}
            body = _("Application %(number)s: %(note)s. The departments' time limits stand still until its "
                     "report is in; follow it up with the intermediary.") % {"number": application.number,
                                                                                 "note": note}
            messages += [staff_message(p, "intermediary_late", subject, body, ref=application.number)
                         for p in {orderer, department.head, *supervisors_of(department.pk)} if p is not None]
    IntermediaryStage.objects.filter(pk__in=[s.pk for s in stages]).update(late_told_at=now)
    audit_log_many(actor=None, entries=entries, at=now)
    enqueue(messages)


def _intermediary_late_batch(now, batch: int) -> int:
    """Intermediary services still running past their own limit, not yet told."""
    with transaction.atomic():
        rows = claim_batch(
            IntermediaryStage.objects.filter(status=IntermediaryStatus.RUNNING, late_told_at__isnull=True,
                                             due_at__lt=now)
            .select_related("application__service__department__head", "service",
                            "started_by__staff_profile__department__head"),
            "due_at", batch)
        intermediaries_late_tell(rows, now=now)
    return len(rows)


STEPS = (("intermediaries_late", _intermediary_late_batch),)
