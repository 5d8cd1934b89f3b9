"""超期默许制: what happens when a stage's limit passes with no decision.

Written for batches: the sweep hands over a batch of locked applications and this
module changes them in memory and writes everything with a handful of bulk
statements — stages, applications, certificates, accountability cases, audit
entries and outbox messages — all in the sweep's transaction.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accountability.models import AccountabilityCase
from accountability.services import build_lapse_case
from approvals.documents import build_certificate
from approvals.emails import deemed_approval_messages, staff_message
from approvals.models import OPEN_STAGE, Alert, Application, IssuedDocument, Stage, StageStatus, Status
from approvals.review import certificate_number
from portal.audit.services import AuditEntry, audit_log_many
from portal.bulk import insert_rows
from portal.notifications.outbox import enqueue


DOCUMENT_FIELDS = ["kind", "number", "application_id", "verify_code", "issued_at", "issued_by", "content"]
CASE_FIELDS = ["number", "subject_id", "subject_role", "department_id", "source", "source_ref", "status",
               "opened_at", "summary", "sanction", "reasoning"]


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
    out.messages += deemed_approval_messages(out.applications)
    return out


def write_lapse_batch(batch: LapseBatch, *, now) -> None:
    """Every row of a kind gets the same new values, so each kind is one UPDATE … WHERE id IN
    (Django's bulk_update builds a CASE per row and costs more than the whole rest)."""
    if batch.stages:
        Stage.objects.filter(pk__in=[s.pk for s in batch.stages]).update(
            status=StageStatus.DEEMED_APPROVED, decided_at=now)
    if batch.applications:
        year = f"ZS{timezone.localdate(now):%Y}"
        Application.objects.filter(pk__in=[a.pk for a in batch.applications]).update(
            status=Status.DEEMED_APPROVED, outcome=Status.DEEMED_APPROVED, decided_at=now, alert=Alert.NONE,
            certificate_number=Concat(Value(year), LPad(Cast("id", CharField()), 8, Value("0"))),
        )
        insert_rows(IssuedDocument, DOCUMENT_FIELDS,
                    [tuple(getattr(d, f if f != "issued_by" else "issued_by_id") for f in DOCUMENT_FIELDS)
                     for d in batch.certificates])
    if batch.cases:
        insert_rows(AccountabilityCase, CASE_FIELDS,
                    [tuple(getattr(c, f) for f in CASE_FIELDS) for c in batch.cases], ignore_conflicts=True)
    audit_log_many(actor=None, entries=batch.entries, at=now, returning=False)
    enqueue(batch.messages)

