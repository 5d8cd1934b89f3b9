"""超期默许制: what happens when a stage's limit passes with no decision.

Written for batches of thousands: the sweep claims a batch of applications (their row
locks, SKIP LOCKED) and this module reads them and their stages as plain rows, decides
in Python which stages lapse and which applications are thereby approved, and writes
everything with one statement per kind — stages, applications, certificates,
accountability cases, audit entries and outbox messages — in the sweep's transaction.
No model instance is built per row: at a province's volume that costs more than the
writes themselves (see BENCHMARKS.md).
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accountability.models import AccountabilityCase, CaseSource, CaseStatus, SubjectRole
from approvals.documents import certificate_body, document_header
from approvals.models import OPEN_STAGE, Alert, Application, DocumentKind, IssuedDocument, Stage, StageStatus, Status
from approvals.review import certificate_number_of, certificate_prefix
from portal.audit.services import AuditEntry, audit_log_many
from portal.bulk import insert_rows
from portal.catalogue.models import ServiceItem
from portal.notifications.outbox import Message, enqueue
from portal.organisation.models import Department

CERTIFICATE_FIELDS = ["number", "application_id", "verify_code", "content"]
CASE_FIELDS = ["number", "subject_id", "department_id", "source_ref", "summary"]
APPLICATION_COLUMNS = ("id", "number", "applicant_name", "applicant_email", "applicant_id", "accepted_at",
                       "onsite", "service_id")
STAGE_COLUMNS = ("id", "application_id", "department_id", "assignee_id", "status", "days", "due_at",
                 "deemed_approval", "opinion")
DONE = {StageStatus.APPROVED, StageStatus.DEEMED_APPROVED}


def claim_by_stage(stage_lookups: dict, *, order: str, batch: int, columns=("id",)) -> list[tuple]:
    """Lock (SKIP LOCKED) reviewing applications having a stage that matches ``stage_lookups``,
    earliest stage ``order`` first, reading up to ``batch`` stage rows; the applications'
    ``columns``, each application once. PostgreSQL walks a stage index in order, locking
    applications as it goes, skipping those another sweeper or a reviewer holds, and stops at
    the batch: a batch costs the same whether ten or a million stages are open. (Fewer than
    ``batch`` applications may come back from a full batch: one may match with several stages.)"""
    rows = (Application.objects
            .filter(status=Status.IN_REVIEW, **{f"stages__{k}": v for k, v in stage_lookups.items()})
            .order_by(f"stages__{order}").select_for_update(skip_locked=True, of=("self",))
            .values_list(*columns)[:batch])
    return list({row[0]: row for row in rows}.values())


def claim_due(now, batch: int) -> list[tuple]:
    """Applications with a stage past its limit that allows deemed approval (rows of
    ``APPLICATION_COLUMNS``), locked."""
    return claim_by_stage({"status__in": OPEN_STAGE, "deemed_approval": True, "due_at__lt": now},
                          order="due_at", batch=batch, columns=APPLICATION_COLUMNS)


@dataclass
class LapseBatch:
    """What one batch writes, as rows."""

    stage_ids: list[int] = field(default_factory=list)
    application_ids: list[int] = field(default_factory=list)
    certificates: list[tuple] = field(default_factory=list)
    cases: list[tuple] = field(default_factory=list)
    entries: list[AuditEntry] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)


class _Texts:
    """Everything translated, formatted or looked up once per batch instead of once per row."""

    def __init__(self, now, stages: list[tuple], applications: list[tuple]):
        self.tz = timezone.get_current_timezone()
        today = now.astimezone(self.tz).date()
        self.year = f"{today:%Y}"
        self.decided_on = today.isoformat()
        with translation.override(settings.LANGUAGE_CODE):
            self.note = _("limit passed without a decision: approved by operation of law")
            self.case_subject = _("Accountability case %(number)s opened")
            self.case_summary = _("%(application)s %(department)s: the limit of %(days)s working days passed "
                                  "without a decision; approved by operation of law.")
            self.case_body = _("A case was opened concerning you (%(role)s): %(summary)s")
            self.cases_subject = _("%(count)d accountability cases opened")
            self.cases_body = _("%(count)d cases were opened concerning you (%(role)s), one for each stage "
                                "whose limit passed without a decision:")
            self.role = str(SubjectRole.DIRECT.label)
            self.decided_subject = _("Application %(number)s: %(what)s")
            self.deemed = _("deemed approved")
            self.decided_body = _("No decision was made within the time limit, so your application is approved "
                                  "by operation of law. Certificate number: %(cert)s.")
        self.link = settings.SITE_URL.rstrip("/") + reverse("application-detail", args=[0]).replace("/0/", "/%d/")
        departments = {s[2] for s in stages}
        self.departments = {d: (name, head) for d, name, head in
                            Department.objects.filter(pk__in=departments).values_list("id", "name", "head_id")}
        people = {s[3] for s in stages if s[3]} | {head for _, head in self.departments.values() if head}
        self.emails = dict(get_user_model().objects.filter(pk__in=people).values_list("id", "email"))
        self.services = {s: (code, name, center) for s, code, name, center in ServiceItem.objects.filter(
            pk__in={a[7] for a in applications}).values_list("id", "code", "name", "department__center__name")}

    def local_date(self, value: datetime) -> str:
        return value.astimezone(self.tz).date().isoformat() if value else ""


def lapse_rows(applications: list[tuple], stages: list[tuple], *, now) -> LapseBatch:
    """Deem approved every open stage past its limit (items that allow it); an application
    whose stages are then all approved or deemed approved becomes ``deemed_approved`` with
    a certificate, and the applicant is told. Each lapsed stage opens an accountability case
    against its assignee, or the department head if nobody claimed it, who is told too.
    ``applications`` are rows of APPLICATION_COLUMNS, ``stages`` of STAGE_COLUMNS."""
    out = LapseBatch()
    if not applications:
        return out
    texts = _Texts(now, stages, applications)
    by_application: dict[int, list[tuple]] = {}
    for stage in stages:
        by_application.setdefault(stage[1], []).append(stage)
    case_keys = _existing_lapse_cases(applications, stages)
    opened: dict[int, list[tuple[str, str]]] = {}
    for app_id, number, applicant_name, email, applicant_id, accepted_at, onsite, service_id in applications:
        own = by_application.get(app_id, [])
        statuses = []
        for stage_id, _app, department_id, assignee_id, before, days, due_at, deemed_ok, _opinion in own:
            status = before
            if before in OPEN_STAGE and deemed_ok and due_at is not None and due_at < now:
                status = StageStatus.DEEMED_APPROVED
                out.stage_ids.append(stage_id)
                department, head_id = texts.departments[department_id]
                subject_id = assignee_id or head_id
                case_number = ""
                if subject_id and (number, subject_id) not in case_keys:
                    case_keys.add((number, subject_id))
                    case_number = f"ZR{texts.year}{stage_id:08d}"
                    summary = texts.case_summary % {"application": number, "department": department, "days": days}
                    out.cases.append((case_number, subject_id, department_id, number, summary))
                    opened.setdefault(subject_id, []).append((case_number, summary))
                out.entries.append(AuditEntry("stage", stage_id, "deem_approve", before,
                                              StageStatus.DEEMED_APPROVED, texts.note,
                                              {"case": case_number} if case_number else None))
            statuses.append(status)
        if not own or not set(statuses) <= DONE:
            continue
        certificate = certificate_number_of(app_id, texts.year)
        out.application_ids.append(app_id)
        code, service_name, issuer = texts.services[service_id]
        content = {**document_header(application_number=number, service_code=code, service_name=service_name,
                                     applicant_name=applicant_name, issuer=issuer, official=""),
                   **certificate_body(outcome=Status.DEEMED_APPROVED, decided_on=texts.decided_on,
                                      accepted_on=texts.local_date(accepted_at), onsite=onsite,
                                      stages=[(texts.departments[s[2]][0], st, s[8]) for s, st in zip(own, statuses)])}
        out.certificates.append((certificate, app_id, uuid.uuid4(), content))
        out.entries.append(AuditEntry("application", app_id, "decide", Status.IN_REVIEW, Status.DEEMED_APPROVED,
                                      texts.note, {"certificate_number": certificate}))
        out.messages.append(Message(
            event="decided", subject=texts.decided_subject % {"number": number, "what": texts.deemed},
            body=texts.decided_body % {"cert": certificate} + "\n\n" + texts.link % app_id,
            email=email, user_id=applicant_id, ref=number))
    out.messages += _case_notices(opened, texts)
    return out


def _case_notices(opened: dict[int, list[tuple[str, str]]], texts: "_Texts") -> list[Message]:
    """Each official is told of the cases a batch opened against them in one message (a head
    whose unclaimed stages lapse by the hundred gets one list, not a hundred e-mails)."""
    messages = []
    for subject_id, cases in opened.items():
        if len(cases) == 1:
            number, summary = cases[0]
            subject, body = texts.case_subject % {"number": number}, texts.case_body % {"role": texts.role,
                                                                                       "summary": summary}
        else:
            number = cases[0][0]
            subject = texts.cases_subject % {"count": len(cases)}
            body = texts.cases_body % {"role": texts.role, "count": len(cases)} + "\n\n" + "\n".join(
                f"{n} {summary}" for n, summary in cases)
        messages.append(Message(event="case_opened", subject=subject, body=body,
                                email=texts.emails.get(subject_id, ""), user_id=subject_id, ref=number))
    return messages


def _existing_lapse_cases(applications: list[tuple], stages: list[tuple]) -> set[tuple]:
    """(application number, subject) of the lapse cases already opened for these
    applications: only one whose other stage lapsed before can have one, so this is
    usually no query at all."""
    before = {s[1] for s in stages if s[4] == StageStatus.DEEMED_APPROVED}
    numbers = [a[1] for a in applications if a[0] in before]
    if not numbers:
        return set()
    return set(AccountabilityCase.objects.filter(source=CaseSource.DEEMED_APPROVAL, source_ref__in=numbers,
                                                 subject_role=SubjectRole.DIRECT)
               .values_list("source_ref", "subject_id"))


def write_lapse_batch(batch: LapseBatch, *, now) -> None:
    """Every row of a kind gets the same new values, so each kind is one UPDATE … WHERE id IN
    (Django's bulk_update builds a CASE per row and costs more than the whole rest); the new
    rows go in with COPY. The audit chain comes last: its head is locked until commit."""
    if batch.stage_ids:
        Stage.objects.filter(pk__in=batch.stage_ids).update(status=StageStatus.DEEMED_APPROVED, decided_at=now)
    if batch.application_ids:
        prefix = certificate_prefix(timezone.localdate(now).year)
        Application.objects.filter(pk__in=batch.application_ids).update(
            status=Status.DEEMED_APPROVED, outcome=Status.DEEMED_APPROVED, decided_at=now, alert=Alert.NONE,
            certificate_number=Concat(Value(prefix), LPad(Cast("id", CharField()), 8, Value("0"))),
        )
        insert_rows(IssuedDocument, CERTIFICATE_FIELDS, batch.certificates,
                    constants={"kind": DocumentKind.CERTIFICATE, "issued_at": now, "issued_by": None})
    # One case per (application, subject): lapse_rows left out those that exist. The
    # application rows are locked, so no other sweeper opens one for them meanwhile.
    insert_rows(AccountabilityCase, CASE_FIELDS, batch.cases,
                constants={"subject_role": SubjectRole.DIRECT, "source": CaseSource.DEEMED_APPROVAL,
                           "status": CaseStatus.OPENED, "opened_at": now, "sanction": "", "reasoning": ""})
    enqueue(batch.messages)
    audit_log_many(actor=None, entries=batch.entries, at=now, returning=False)
