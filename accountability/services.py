"""Opening accountability cases (责任追究制). Decisions, appeals and the ladder are in
``accountability.decisions``."""

import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability import emails, permissions, references
from accountability.models import AccountabilityCase, CaseSource, CaseStatus, Severity, SubjectRole
from portal.audit.services import AuditEntry, audit_log_many
from portal.errors import ValidationFailed
from portal.notifications.outbox import enqueue
from portal.organisation.models import Department, StaffProfile
from portal.organisation.selectors import centers_in_reach

# A supervisor or the discipline office opens these by hand; complaints and deemed
# approvals open theirs automatically.
REFERRAL_SOURCES = (CaseSource.REFERRAL, CaseSource.RED_ALERT)


def case_number(year, case_id: int) -> str:
    """ZR<year>-<case id, 6 digits>: every case is numbered so, however it was opened."""
    return f"ZR{year}-{case_id:06d}"


def case_opening_entry(*, case_id: int, source: str, source_ref: str, subject_username: str, subject_role: str,
                       summary: str) -> AuditEntry:
    """立案 on the record: the entry each case's history (and the audit trail) starts with."""
    return AuditEntry(AccountabilityCase._meta.model_name, case_id, "open", "", CaseStatus.OPENED, summary,
                      {"source": source, "source_ref": source_ref, "subject": subject_username,
                       "subject_role": subject_role})


def case_open(*, subject, subject_role: str, source: str, source_ref: str, department=None, summary: str = "",
              opened_by=None, now=None, severity: str = Severity.ORDINARY) -> AccountabilityCase:
    """立案: open one case (complaint, red alert, referral, missing report, inspection) and
    tell the subject; a second case for the same source, subject and role is the same case
    (idempotent). A serious case (情节严重) extends to the leader in charge at once."""
    now = now or timezone.now()
    if department is None:
        department = Department.objects.filter(staff__user=subject).first()
    with transaction.atomic():
        case, created = AccountabilityCase.objects.get_or_create(
            source=source, source_ref=source_ref, subject=subject, subject_role=subject_role,
            defaults={"number": f"tmp-{uuid.uuid4().hex[:32]}", "department": department, "opened_at": now,
                      "opened_by": opened_by, "summary": summary, "severity": severity},
        )
        if created:
            case.number = case_number(timezone.localdate(now).year, case.pk)
            case.save(update_fields=["number"])
            audit_log_many(actor=opened_by, at=now, entries=[case_opening_entry(
                case_id=case.pk, source=source, source_ref=source_ref, subject_username=subject.get_username(),
                subject_role=subject_role, summary=summary)])
            enqueue([emails.case_opened(case)])
    return case


def case_refer(*, actor, subject_username: str, subject_role: str, source: str, source_ref: str = "",
               summary: str = "", department_code: str = "", severity: str = Severity.ORDINARY) -> AccountabilityCase:
    """监察移送: a supervisor or the discipline office opens a case by referral, or on a
    red alert of an item that excludes deemed approval (its application number is the
    reference). Only this way are cases against a leader in charge or a principal opened."""
    permissions.require_case_worker(actor)
    fields: dict[str, list[str]] = {}
    subject = get_user_model().objects.filter(username=subject_username, is_active=True).first()
    profile = StaffProfile.objects.select_related("department").filter(user=subject).first() if subject else None
    if profile is None:
        fields["subject"] = [_("No official with this username.")]
    elif subject.pk == actor.pk:
        fields["subject"] = [_("Nobody opens a case against himself.")]
    if subject_role not in SubjectRole.values:
        fields["subject_role"] = [_("One of: %(codes)s") % {"codes": ", ".join(SubjectRole.values)}]
    if severity not in Severity.values:
        fields["severity"] = [_("One of: %(codes)s") % {"codes": ", ".join(Severity.values)}]
    if source not in REFERRAL_SOURCES:
        fields["source"] = [_("Cases opened by hand come from a referral or a red alert.")]
    source_ref = (source_ref or "").strip()
    if len(source_ref) > 64:
        fields["source_ref"] = [_("At most 64 characters.")]
    if not (summary or "").strip():
        fields["summary"] = [_("Say what the case is about.")]
    department = profile.department if profile else None
    if department_code:
        department = Department.objects.filter(code=department_code).first()
        if department is None:
            fields["department"] = [_("Unknown department.")]
    alert = None
    if source == CaseSource.RED_ALERT:
        alert = references.source_find(source, source_ref)
        if alert is None:
            fields["source_ref"] = [_("Give the number of an application that has a red alert.")]
    elif source == CaseSource.REFERRAL and not source_ref:
        fields["source_ref"] = [_("Give the reference of the referral (an application, complaint or document "
                                  "number).")]
    if fields:
        raise ValidationFailed(_("The case cannot be opened."), fields=fields)
    if alert is not None and not department_code:
        department = alert.department
    centers = centers_in_reach(actor)
    if centers is not None and (department is None or department.center_id not in centers):
        # 三级政务服务: a township's supervisor opens cases about his own centers' departments only.
        raise ValidationFailed(_("The case cannot be opened."), fields={
            "department": [_("This department is not within your center's supervision.")]})
    return case_open(subject=subject, subject_role=subject_role, source=source, source_ref=source_ref,
                     department=department, summary=summary.strip(), opened_by=actor, severity=severity)
