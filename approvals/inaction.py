"""行政不作为: every overdue item is answered for, not only deemed approvals.

An item that excludes deemed approval (e.g. FIRE-002) raises a red alert when a stage's
limit passes. If the red alert is left without a decision for
``settings.INACTION_GRACE_WORKING_DAYS`` working days (the day it was raised not
counted, SPEC §3), this step of the deadline sweep opens an accountability case
(source ``red_alert``) against the stage's assignee or, when nobody claimed it, the
department's directly responsible person (by default its head) — once per stage.

Rows are claimed like every sweep step: the alert and its application with
``FOR UPDATE SKIP LOCKED`` (a reviewer deciding the stage holds the application, so a
decision and this step serialise), and an ``InactionRecord`` per alert (unique) marks
it answered for.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accountability.models import CaseSource, InactionRecord, ResponsiblePersons, SubjectRole
from accountability.services import case_open
from approvals.models import OPEN_STAGE, Alert, AlertRecord, Status
from portal.sweep import claim_batch
from portal.workcalendar.calendar import left_since


def _claim(now, batch: int) -> list[AlertRecord]:
    cutoff = left_since(now, settings.INACTION_GRACE_WORKING_DAYS)
    return claim_batch(
        AlertRecord.objects.filter(level=Alert.RED, stage__isnull=False, raised_at__lte=cutoff,
                                   stage__status__in=OPEN_STAGE, application__status=Status.IN_REVIEW,
                                   inaction__isnull=True)
        .select_related("application", "stage__assignee", "stage__department__head"),
        "raised_at", batch, along=("application",))


def _answerable(stage):
    """经办人 if somebody claimed the stage, else the department's directly responsible person."""
    if stage.assignee_id:
        return stage.assignee
    persons = ResponsiblePersons.objects.filter(department_id=stage.department_id).select_related(
        "direct", "department__head").first()
    return persons.person(SubjectRole.DIRECT) if persons else stage.department.head


def inaction_cases_open(now, batch: int) -> int:
    """Deadline-sweep step: open one case per red alert left undecided past the grace period."""
    with transaction.atomic():
        alerts = _claim(now, batch)
        records = []
        for alert in alerts:
            stage, application = alert.stage, alert.application
            subject = _answerable(stage)
            case = None
            if subject is not None:
                with translation.override(settings.LANGUAGE_CODE):
                    summary = _("%(application)s %(department)s: red alert raised on %(raised)s and no decision "
                                "within %(days)d working days (administrative inaction).") % {
                        "application": application.number, "department": stage.department.name,
                        "raised": timezone.localdate(alert.raised_at).isoformat(),
                        "days": settings.INACTION_GRACE_WORKING_DAYS}
                case = case_open(subject=subject, subject_role=SubjectRole.DIRECT, source=CaseSource.RED_ALERT,
                                 source_ref=application.number, department=stage.department, summary=summary,
                                 now=now)
            records.append(InactionRecord(alert=alert, case=case, checked_at=now))
        InactionRecord.objects.bulk_create(records)
    return len(alerts)


STEPS = [("inaction_cases", inaction_cases_open)]
