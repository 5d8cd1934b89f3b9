"""超期默许制: what happens when a stage's limit passes with no decision.

Written for batches: the sweep hands over a batch of locked applications and this
module changes them in memory and writes everything with a handful of bulk
statements — stages, applications, certificates, accountability cases, audit
entries and outbox messages — all in the sweep's transaction.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from accountability.models import AccountabilityCase
from accountability.services import build_lapse_case
from approvals.documents import build_certificate
from approvals.emails import applicant_message, staff_message
from approvals.models import OPEN_STAGE, Alert, Application, IssuedDocument, Stage, StageStatus, Status
from approvals.review import certificate_number
from portal.audit.services import AuditEntry, audit_log_many
from portal.notifications.outbox import enqueue


@dataclass
class LapseBatch:
    stages: list[Stage] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    certificates: list[IssuedDocument] = field(default_factory=list)
    cases: list[AccountabilityCase] = field(default_factory=list)
    entries: list[AuditEntry] = field(default_factory=list)
    messages: list = field(default_factory=list)


def _entry(obj, action, before, after, note="", data=None) -> AuditEntry:
    return AuditEntry(object_type=obj._meta.model_name, object_id=obj.pk, action=action, from_status=before,
                      to_status=after, note=note, data=data)


def lapse_applications(applications: list[Application], stages: list[Stage], *, now) -> LapseBatch:
    """Deem approved every open stage past its limit; an application whose stages are now
    all approved or deemed approved becomes ``deemed_approved`` with a certificate."""
    by_application: dict[int, list[Stage]] = {}
    for stage in stages:
        by_application.setdefault(stage.application_id, []).append(stage)
    out = LapseBatch()
    with translation.override(settings.LANGUAGE_CODE):
        note = _("limit passed without a decision: approved by operation of law")
        for application in applications:
            own = by_application.get(application.pk, [])
            for stage in own:
                if stage.status in OPEN_STAGE and stage.deemed_approval and stage.due_at and stage.due_at < now:
                    before = stage.status
                    stage.deem_approve()
                    stage.decided_at = now
                    out.stages.append(stage)
                    out.entries.append(_entry(stage, "deem_approve", before, stage.status, note))
                    case = build_lapse_case(stage=stage, application=application, now=now)
                    if case is not None:
                        out.cases.append(case)
                        out.messages.append(staff_message(
                            case.subject, "case_opened",
                            _("Accountability case %(number)s opened") % {"number": case.number}, case.summary,
                            ref=case.number))
            statuses = {s.status for s in own}
            if own and statuses <= {StageStatus.APPROVED, StageStatus.DEEMED_APPROVED} and \
                    application.status == Status.IN_REVIEW:
                before = application.status
                application.deem_approve()
                application.outcome = Status.DEEMED_APPROVED
                application.decided_at = now
                application.certificate_number = certificate_number(application, now)
                application.alert = Alert.NONE
                out.applications.append(application)
                out.certificates.append(build_certificate(application=application, actor=None, stages=own))
                out.entries.append(_entry(application, "decide", before, application.status, note,
                                          {"certificate_number": application.certificate_number}))
                out.messages.append(applicant_message(application, "decided"))
    return out


def write_lapse_batch(batch: LapseBatch, *, now) -> None:
    if batch.stages:
        Stage.objects.bulk_update(batch.stages, ["status", "decided_at"])
    if batch.applications:
        Application.objects.bulk_update(
            batch.applications, ["status", "outcome", "decided_at", "certificate_number", "alert"])
        IssuedDocument.objects.bulk_create(batch.certificates)
    if batch.cases:
        AccountabilityCase.objects.bulk_create(batch.cases, ignore_conflicts=True)
    audit_log_many(actor=None, entries=batch.entries, at=now)
    enqueue(batch.messages)

