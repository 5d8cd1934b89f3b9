"""效能投诉 ("有诉必查、查明必究、件件有回音"): filing, accepting or refusing, investigating,
concluding, replying, the complainant's feedback and the one reopening (SPEC §4).

Every service is keyword-only, runs in one transaction, locks the complaint row
(``select_for_update``) before a transition, writes the audit trail and puts its
messages in the outbox, sent after commit.

The audit trail never names the complainant: his own steps (filing, feedback) are
recorded without an actor, and no note or data carries his name, contact or words.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accountability.models import Severity
from accountability.services import case_open
from approvals.models import Application
from complaints import notifications, permissions
from complaints.limits import clock, limits_for
from complaints.models import CASE_FINDINGS, Category, Complaint, ComplaintStatus, Finding
from complaints.rectification import rectification_request
from portal.audit.services import audit_log
from portal.errors import StateConflict, ValidationFailed, required_text
from portal.locking import locked
from portal.organisation.models import Department, ServiceCommitment, StaffProfile
from portal.transitions import transition_run

MAX_DESCRIPTION = 5000


@dataclass(frozen=True)
class ComplaintData:
    category: str
    description: str
    staff_badge: str = ""
    department: str = ""
    application_number: str = ""
    anonymous: bool = False
    contact: str = ""
    name: str = ""
    commitment: str = ""


def _locked(complaint_id) -> Complaint:
    return locked(Complaint, complaint_id)


def _start_clock(complaint: Complaint, *, now, working_days: int):
    """Start the limit that runs from today; its reminder and escalation come once each."""
    limit = clock(timezone.localdate(now), working_days)
    complaint.due_at, complaint.remind_at, complaint.escalate_at = limit.due_at, limit.remind_at, limit.escalate_at
    return limit.due_at


def _stop_clock(complaint: Complaint) -> None:
    complaint.due_at = complaint.remind_at = complaint.escalate_at = None


def _resolve(data: ComplaintData) -> dict:
    """The official (by badge), department (by code) and application (by number) named."""
    fields: dict[str, list[str]] = {}
    if data.category not in Category.values:
        fields["category"] = [_("Unknown category.")]
    if not data.description.strip():
        fields["description"] = [_("Say what happened.")]
    elif len(data.description) > MAX_DESCRIPTION:
        fields["description"] = [_("At most %(n)d characters.") % {"n": MAX_DESCRIPTION}]
    profile = department = application = None
    badge = data.staff_badge.strip().upper()
    if badge:
        profile = StaffProfile.objects.select_related("user", "department").filter(badge=badge).first()
        if profile is None:
            fields["staff_badge"] = [_("No official wears this badge number.")]
    if data.department.strip():
        department = Department.objects.filter(code=data.department.strip().upper()).first()
        if department is None:
            fields["department"] = [_("Unknown department.")]
    if data.application_number.strip():
        application = Application.objects.filter(number=data.application_number.strip()).first()
        if application is None:
            fields["application_number"] = [_("No application has this number.")]
    commitment = _commitment_named(data.commitment, profile=profile, application=application, fields=fields)
    if fields:
        raise ValidationFailed(_("The complaint is not complete."), fields=fields)
    if department is None and profile is not None:
        department = profile.department
    if department is None and application is not None:
        department = application.service.department
    if department is None and commitment is not None:
        department = commitment.item.department if commitment.item_id else commitment.window.department
    return {"staff": profile.user if profile else None, "staff_badge": badge, "department": department,
            "application": application, "commitment": commitment}


def _commitment_named(code: str, *, profile, application, fields: dict) -> ServiceCommitment | None:
    """服务承诺制: the published commitment a complaint says was broken, by its code. It must be
    one the complaint can be about: an item's commitment, of the application's item when an
    application is named; a post's commitment, of the named official's post."""
    code = (code or "").strip().upper()
    if not code:
        return None
    commitment = (ServiceCommitment.objects.select_related("item__department", "window__department")
                  .filter(code=code, published=True).first())
    if commitment is None:
        fields["commitment"] = [_("No published service commitment has this code.")]
    elif commitment.item_id and application is not None and application.service_id != commitment.item_id:
        fields["commitment"] = [_("This commitment is made for another service item than the application's.")]
    elif commitment.window_id and profile is not None and profile.window_id != commitment.window_id:
        fields["commitment"] = [_("This commitment is made for another post than the named official's.")]
    return commitment


def complaint_file(*, actor, data: ComplaintData) -> Complaint:
    """效能投诉: anyone may complain, anonymously if he wishes. The answer is the number
    and the follow-up code; accepting or refusing is due within the category's limit."""
    linked = _resolve(data)
    signed_in = actor is not None and actor.is_authenticated
    now = timezone.now()
    with transaction.atomic():
        complaint = Complaint(
            category=data.category, description=data.description.strip(), anonymous=data.anonymous,
            complainant=actor if signed_in and not data.anonymous else None,
            complainant_name="" if data.anonymous else (
                data.name.strip() or (actor.get_full_name() or actor.get_username() if signed_in else "")),
            contact=data.contact.strip()[:200], filed_at=now, **linked,
        )
        complaint.accept_due_at = _start_clock(complaint, now=now, working_days=limits_for(data.category).accept_days)
        complaint.save()
        complaint.number = f"TS{timezone.localdate(now):%Y%m%d}{complaint.pk:06d}"
        complaint.save(update_fields=["number"])
        audit_log(actor=None, obj=complaint, action="file", to_status=complaint.status,
                  note=complaint.get_category_display(),
                  data={"category": complaint.category, "anonymous": complaint.anonymous,
                        "staff_badge": complaint.staff_badge, "by": "complainant",
                        **({"commitment": complaint.commitment.code} if complaint.commitment_id else {})})
        notifications.notify_complainant(complaint, "filed")
        notifications.notify_staff(complaint, "new", notifications.office())
    return complaint


def complaint_accept(*, actor, complaint_id) -> Complaint:
    """受理: the reply limit (15 working days by default) runs from today."""
    now = timezone.now()
    with transaction.atomic():
        complaint = _locked(complaint_id)
        permissions.require_handler(actor, complaint)
        before = transition_run(complaint, "accept")
        complaint.accepted_at, complaint.handled_by = now, actor
        complaint.reply_due_at = _start_clock(complaint, now=now,
                                              working_days=limits_for(complaint.category).reply_days)
        complaint.save()
        audit_log(actor=actor, obj=complaint, action="accept", from_status=before, to_status=complaint.status,
                  data={"reply_due_at": complaint.reply_due_at.isoformat()})
        notifications.notify_complainant(complaint, "accepted")
    return complaint


def complaint_refuse(*, actor, complaint_id, reason: str) -> Complaint:
    """不予受理: refused with a reason, which the complainant is told."""
    reason = required_text(reason, "reason", _("A refusal states its reason."))
    now = timezone.now()
    with transaction.atomic():
        complaint = _locked(complaint_id)
        permissions.require_handler(actor, complaint)
        before = transition_run(complaint, "refuse")
        complaint.refused_at, complaint.refusal_reason, complaint.handled_by = now, reason, actor
        _stop_clock(complaint)
        complaint.save()
        audit_log(actor=actor, obj=complaint, action="refuse", from_status=before, to_status=complaint.status,
                  note=reason)
        notifications.notify_complainant(complaint, "refused")
    return complaint


def complaint_assign(*, actor, complaint_id, investigator: str) -> Complaint:
    """分派调查: name the investigator. After the complainant reopened the complaint, the
    previous investigator may not take it again (复查换人)."""
    username = required_text(investigator, "investigator", _("Name the investigator."))
    now = timezone.now()
    with transaction.atomic():
        complaint = _locked(complaint_id)
        permissions.require_handler(actor, complaint)
        excluded = complaint.excluded_investigator
        if excluded is not None and excluded.get_username() == username:
            raise StateConflict(
                _("The complaint was reopened: a different investigator than %(user)s must take it.")
                % {"user": username}, code="different_investigator_required",
                fields={"investigator": [_("This official investigated the first time.")]})
        person = permissions.investigator_candidates(complaint).filter(username=username).first()
        if person is None:
            raise ValidationFailed(
                _("%(user)s cannot investigate this complaint.") % {"user": username},
                fields={"investigator": [_("Choose a discipline officer, a supervisor or a department head who "
                                           "is not involved.")]})
        before = transition_run(complaint, "assign")
        complaint.investigator, complaint.assigned_at = person, now
        complaint.save()
        audit_log(actor=actor, obj=complaint, action="assign", from_status=before, to_status=complaint.status,
                  data={"investigator": username})
        notifications.notify_staff(complaint, "assigned", [person])
    return complaint


def _case_summary(complaint: Complaint) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Complaint %(number)s (%(category)s): the investigation found it %(finding)s.") % {
            "number": complaint.number, "category": complaint.get_category_display(),
            "finding": complaint.get_finding_display()}


def complaint_conclude(*, actor, complaint_id, finding: str, summary: str) -> Complaint:
    """查明必究: the investigator's finding. A substantiated or partly substantiated
    complaint about an official opens an accountability case against him (a serious one,
    情节严重, for bribery), and asks the department's principal for the written explanation
    and rectification report (书面说明和整改报告, ``complaints.rectification``)."""
    if finding not in Finding.values:
        raise ValidationFailed(_("Unknown finding."), fields={"finding": [_("Unknown finding.")]})
    summary = required_text(summary, "summary", _("Summarise what the investigation found."))
    now = timezone.now()
    with transaction.atomic():
        complaint = _locked(complaint_id)
        permissions.require_investigator(actor, complaint)
        before = transition_run(complaint, "conclude")
        complaint.finding, complaint.conclusion, complaint.concluded_at = finding, summary, now
        if finding in CASE_FINDINGS and complaint.staff_id:
            profile = getattr(complaint.staff, "staff_profile", None)
            case = case_open(
                subject=complaint.staff, subject_role="direct", source="complaint", source_ref=complaint.number,
                department=profile.department if profile else complaint.department,
                summary=_case_summary(complaint), opened_by=actor, now=now,
                severity=Severity.SERIOUS if complaint.category == Category.BRIBERY else Severity.ORDINARY)
            complaint.case_number = case.number
        if finding in CASE_FINDINGS:
            rectification_request(complaint, now=now)
        complaint.save()
        audit_log(actor=actor, obj=complaint, action="conclude", from_status=before, to_status=complaint.status,
                  note=complaint.get_finding_display(),
                  data={"finding": finding, "case": complaint.case_number or None})
    return complaint


def complaint_reply(*, actor, complaint_id, text: str) -> Complaint:
    """件件有回音: the answer to the complainant; the reply limit stops."""
    text = required_text(text, "text", _("Write the answer to the complainant."))
    now = timezone.now()
    with transaction.atomic():
        complaint = _locked(complaint_id)
        permissions.require_replier(actor, complaint)
        before = transition_run(complaint, "reply")
        complaint.reply_text, complaint.replied_at = text, now
        _stop_clock(complaint)
        complaint.save()
        audit_log(actor=actor, obj=complaint, action="reply", from_status=before, to_status=complaint.status,
                  data={"late": bool(complaint.reply_due_at and now > complaint.reply_due_at)})
        notifications.notify_complainant(complaint, "replied")
    return complaint


def complaint_feedback(*, complaint_id, satisfied: bool, comment: str = "") -> Complaint:
    """The complainant says whether he is satisfied. Satisfied closes it; unsatisfied
    reopens it once, for a different investigator, with a new reply limit; unsatisfied
    a second time closes it with his dissatisfaction on record. The caller has checked
    that the complainant is the one speaking."""
    now = timezone.now()
    with transaction.atomic():
        complaint = _locked(complaint_id)
        if complaint.status != ComplaintStatus.REPLIED:
            raise StateConflict(
                _("This is not possible while the complaint is %(status)s.") % {"status": complaint.get_status_display()},
                code="invalid_state")
        complaint.satisfied, complaint.feedback_at = satisfied, now
        comment = (comment or "").strip()
        if comment:
            complaint.feedback_comment = "\n".join(filter(None, [complaint.feedback_comment, comment]))
        if satisfied or complaint.reopened:
            before = transition_run(complaint, "close")
            complaint.closed_at = now
            action = "close"
        else:
            before = transition_run(complaint, "reopen")
            complaint.reopened_at = now
            complaint.excluded_investigator, complaint.investigator = complaint.investigator, None
            complaint.reply_due_at = _start_clock(complaint, now=now,
                                                  working_days=limits_for(complaint.category).reply_days)
            action = "reopen"
        complaint.save()
        audit_log(actor=None, obj=complaint, action=action, from_status=before, to_status=complaint.status,
                  data={"satisfied": satisfied, "by": "complainant"})
        if action == "reopen":
            notifications.notify_complainant(complaint, "reopened")
            notifications.notify_staff(complaint, "reopened", notifications.office())
    return complaint
