"""超期默许制: what happens when a stage's limit passes with no decision.

Written for batches of thousands: the sweep claims a batch of applications (their row
locks, SKIP LOCKED) and this module reads them and their stages as plain rows, decides
in Python which stages lapse and which applications are thereby approved, and writes
everything with one statement per kind — stages, applications, certificates,
accountability cases, audit entries and outbox messages — in the sweep's transaction.
No model instance is built per row: at a province's volume that costs more than the
writes themselves (see BENCHMARKS.md).
"""

import os
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, F, Value, When
from django.db.models.lookups import GreaterThan
from django.db.models.functions import Cast, Concat, LPad
from django.utils import timezone

from accountability.emails import CaseLinks, cases_opened
from accountability.models import AccountabilityCase, CaseSource, CaseStatus, SubjectRole
from accountability.services import case_number as accountability_case_number
from accountability.services import case_opening_entry
from approvals.documents import certificate_body, document_header, lapsed_limit
from approvals.emails import DecidedMessages
from approvals.models import Alert, Application, DocumentKind, IssuedDocument, Stage, StageStatus, Status
from approvals.review import (
    LAPSES_FROM, alert_after_decision, application_outcome, certificate_number_of, certificate_prefix, lapse_texts,
    stage_lapses,
)
from portal.audit.services import AuditEntry, audit_log_many
from portal.bulk import insert_rows, reserve_ids
from portal.catalogue.models import ServiceItem
from portal.locking import for_update
from portal.notifications.outbox import Message, enqueue
from portal.organisation.models import Department
from portal.transitions import transition_sources

CERTIFICATE_FIELDS = ["number", "application_id", "verify_code", "content"]
CASE_FIELDS = ["id", "number", "subject_id", "department_id", "source_ref", "summary"]
APPLICATION_COLUMNS = ("id", "number", "applicant_name", "applicant_email", "applicant_id", "accepted_at",
                       "onsite", "service_id", "applicant_phone", "extended_days", "green_channel_days")
STAGE_COLUMNS = ("id", "application_id", "department_id", "assignee_id", "status", "days", "due_at",
                 "deemed_approval", "opinion", "lead")
# The application states a deemed approval decides from (``Application.deem_approve``).
APPLICATION_DEEMED_FROM = transition_sources(Application, "deem_approve")


def claim_by_stage(stage_lookups: dict, *, order: str, batch: int, columns=("id",)) -> list[tuple]:
    """Lock (SKIP LOCKED) reviewing applications having a stage that matches ``stage_lookups``,
    earliest stage ``order`` first, reading up to ``batch`` stage rows; the applications'
    ``columns``, each application once. PostgreSQL walks a stage index in order, locking
    applications as it goes, skipping those another sweeper or a reviewer holds, and stops at
    the batch: a batch costs the same whether ten or a million stages are open. (Fewer than
    ``batch`` applications may come back from a full batch: one may match with several stages.)"""
    reviewing = (Application.objects
                 .filter(status=Status.IN_REVIEW, **{f"stages__{k}": v for k, v in stage_lookups.items()})
                 .order_by(f"stages__{order}"))
    rows = for_update(reviewing, skip_locked=True).values_list(*columns)[:batch]
    return list({row[0]: row for row in rows}.values())


def claim_due(now, batch: int) -> list[tuple]:
    """Applications with a stage past its limit that allows deemed approval (rows of
    ``APPLICATION_COLUMNS``), locked."""
    return claim_by_stage({"status__in": LAPSES_FROM, "deemed_approval": True, "due_at__lt": now},
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
        self.year = today.year
        self.decided_on = today.isoformat()
        self.note, self.case_summary = lapse_texts()
        self.decided = DecidedMessages(Status.DEEMED_APPROVED)
        self.case_link = CaseLinks()
        departments = {s[2] for s in stages}
        self.departments = {d: (name, head) for d, name, head in
                            Department.objects.filter(pk__in=departments).values_list("id", "name", "head_id")}
        people = {s[3] for s in stages if s[3]} | {head for _, head in self.departments.values() if head}
        self.people = {pk: (username, email) for pk, username, email in
                       get_user_model().objects.filter(pk__in=people).values_list("id", "username", "email")}
        self.services = {s: (code, name, center, committed, statutory)
                         for s, code, name, center, committed, statutory in ServiceItem.objects.filter(
                             pk__in={a[7] for a in applications}).values_list(
                             "id", "code", "name", "department__center__name", "committed_days", "statutory_days")}

    def local_date(self, value: datetime) -> str:
        return value.astimezone(self.tz).date().isoformat() if value else ""


def lapse_rows(applications: list[tuple], stages: list[tuple], *, now) -> LapseBatch:
    """``review.stage_deem_approved`` for every stage of a batch, as rows: each stage that
    lapses (``review.stage_lapses``) is deemed approved and opens an accountability case
    against its assignee, or the department head if nobody claimed it, numbered, recorded and
    told as ``accountability.services.case_open`` does; an application is then decided by
    ``review.application_outcome``, with its certificate and the applicant's message.
    ``applications`` are rows of APPLICATION_COLUMNS, ``stages`` of STAGE_COLUMNS."""
    out = LapseBatch()
    if not applications:
        return out
    texts = _Texts(now, stages, applications)
    by_application: dict[int, list[tuple]] = {}
    for stage in stages:
        by_application.setdefault(stage[1], []).append(stage)
    case_keys = _existing_lapse_cases(applications, stages)
    lapsed: list[tuple] = []  # (stage id, before, case index or None)
    cases: list[tuple] = []  # (subject, department, application number, summary)
    decided: list[tuple] = []
    for application in applications:
        app_id, number = application[0], application[1]
        own = by_application.get(app_id, [])
        statuses = []
        for stage_id, _app, department_id, assignee_id, before, days, due_at, deemed_ok, _opinion, _lead in own:
            status = before
            if stage_lapses(before, deemed_ok, due_at, now):
                status = StageStatus.DEEMED_APPROVED
                out.stage_ids.append(stage_id)
                department, head_id = texts.departments[department_id]
                subject_id = assignee_id or head_id
                case = None
                if subject_id and (number, subject_id) not in case_keys:
                    case_keys.add((number, subject_id))
                    case = len(cases)
                    cases.append((subject_id, department_id, number, texts.case_summary % {
                        "application": number, "department": department, "days": days}))
                lapsed.append((stage_id, before, case))
            statuses.append(status)
        # An application with a lapsed stage can only end deemed approved: a denial or a full
        # approval would have been settled by the decision that made it.
        if own and application_outcome(statuses) == Status.DEEMED_APPROVED:
            decided.append((application, own, statuses))
    numbers = _open_cases(cases, texts, now=now, out=out)
    out.entries += [AuditEntry("stage", stage_id, "deem_approve", before, StageStatus.DEEMED_APPROVED, texts.note,
                               {"case": numbers[case]} if case is not None else None)
                    for stage_id, before, case in lapsed]
    for (application, own, statuses), code in zip(decided, verify_codes(len(decided))):
        _decide(application, own, statuses, code, texts, out)
    return out


def verify_codes(count: int) -> list[str]:
    """``count`` random UUIDs (version 4, as ``uuid.uuid4``) as text, for the certificates'
    verification codes: one read of the system's randomness for the batch, and no UUID
    object per row (``uuid4`` reads it once per code, and the COPY would format each)."""
    raw = bytearray(os.urandom(16 * count))
    raw[6::16] = bytes(b & 0x0F | 0x40 for b in raw[6::16])  # version 4
    raw[8::16] = bytes(b & 0x3F | 0x80 for b in raw[8::16])  # RFC 4122 variant
    text = raw.hex()
    return [f"{text[i:i + 8]}-{text[i + 8:i + 12]}-{text[i + 12:i + 16]}-{text[i + 16:i + 20]}-{text[i + 20:i + 32]}"
            for i in range(0, 32 * count, 32)]


def _open_cases(cases: list[tuple], texts: "_Texts", *, now, out: LapseBatch) -> list[str]:
    """The rows, opening entries and notices of ``cases``; their numbers, in order."""
    ids = reserve_ids(AccountabilityCase, len(cases)) if cases else []
    numbers = []
    told: dict[int, list[tuple[int, str, str]]] = {}
    for case_id, (subject_id, department_id, number, summary) in zip(ids, cases):
        case_number = accountability_case_number(texts.year, case_id)
        numbers.append(case_number)
        out.cases.append((case_id, case_number, subject_id, department_id, number, summary))
        out.entries.append(case_opening_entry(
            case_id=case_id, source=CaseSource.DEEMED_APPROVAL, source_ref=number,
            subject_username=texts.people[subject_id][0], subject_role=SubjectRole.DIRECT, summary=summary))
        told.setdefault(subject_id, []).append((case_id, case_number, summary))
    out.messages += [cases_opened(opened, role=SubjectRole.DIRECT, email=texts.people[subject_id][1],
                                  user_id=subject_id, link=texts.case_link) for subject_id, opened in told.items()]
    return numbers


def _decide(application: tuple, own: list[tuple], statuses: list[str], verify_code: str, texts: "_Texts",
            out: LapseBatch) -> None:
    (app_id, number, applicant_name, email, applicant_id, accepted_at, onsite, service_id, phone, extended,
     green_channel_days) = application
    certificate = certificate_number_of(app_id, texts.year)
    out.application_ids.append(app_id)
    code, service_name, issuer, committed_days, statutory_days = texts.services[service_id]
    limit = lapsed_limit(lapsed_stage_days=[s[5] for s, st in zip(own, statuses) if st == StageStatus.DEEMED_APPROVED],
                         extended_days=extended, committed_days=committed_days, statutory_days=statutory_days,
                         green_channel_days=green_channel_days)
    content = {**document_header(application_number=number, service_code=code, service_name=service_name,
                                 applicant_name=applicant_name, issuer=issuer, official=""),
               **certificate_body(outcome=Status.DEEMED_APPROVED, decided_on=texts.decided_on,
                                  accepted_on=texts.local_date(accepted_at), onsite=onsite,
                                  stages=[(texts.departments[s[2]][0], st, s[8], s[9])
                                          for s, st in zip(own, statuses)],
                                  lapsed_limit=limit)}
    out.certificates.append((certificate, app_id, verify_code, content))
    out.entries.append(AuditEntry("application", app_id, "decide", Status.IN_REVIEW, Status.DEEMED_APPROVED,
                                  texts.note, {"certificate_number": certificate}))
    out.messages.append(texts.decided(application_id=app_id, number=number, certificate_number=certificate,
                                      email=email, user_id=applicant_id, phone=phone))


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


def certificate_number_sql(year, application_id=None):
    """``review.certificate_number_of`` in SQL (of the row's id, or of ``application_id``): the
    id zero-padded to 8 digits, a longer id whole (LPAD alone would cut it to 8 digits)."""
    application_id = F("id") if application_id is None else application_id
    digits = Cast(application_id, CharField())
    return Concat(Value(certificate_prefix(year)), Case(
        When(GreaterThan(application_id, 10**8 - 1), then=digits), default=LPad(digits, 8, Value("0")),
        output_field=CharField()))


def write_lapse_batch(batch: LapseBatch, *, now) -> None:
    """Every row of a kind gets the same new values, so each kind is one UPDATE … WHERE id IN
    (Django's bulk_update builds a CASE per row and costs more than the whole rest), limited
    to the states the state machine lets the transition leave; the new rows go in with COPY,
    the audit entries too (one block, sealed after commit)."""
    if batch.stage_ids:
        Stage.objects.filter(pk__any_of=batch.stage_ids, status__in=LAPSES_FROM).update(
            status=StageStatus.DEEMED_APPROVED, decided_at=now)
    if batch.application_ids:
        Application.objects.filter(pk__any_of=batch.application_ids, status__in=APPLICATION_DEEMED_FROM).update(
            status=Status.DEEMED_APPROVED, outcome=Status.DEEMED_APPROVED, decided_at=now,
            alert=Case(When(alert=Alert.RED, then=Value(Alert.RED)), default=Value(alert_after_decision(""))),
            certificate_number=certificate_number_sql(timezone.localdate(now).year),
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
