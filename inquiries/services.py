"""Write operations on inquiries (首问负责制, SPEC §2 and §4).

The first official a citizen asks owns the question until the citizen has an
answer: he may refer it to the right department but stays owner and sees its
progress, and he cannot close it unanswered. Every service is keyword-only, runs
in one transaction, locks the inquiry row before its transition, writes the audit
trail and puts its notifications in the outbox (sent after commit).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import services as approvals_services
from portal.audit.services import audit_log
from portal.errors import PermissionDenied, StateConflict, ValidationFailed
from portal.locking import locked
from inquiries import emails, permissions
from inquiries.models import Inquiry, InquiryAlert, InquiryChannel, InquiryStatus
from portal.organisation import posts
from portal.organisation.models import Department, WorkKind
from portal.organisation.selectors import badge_of
from portal.transitions import transition_run
from portal.workcalendar.calendar import get_work_calendar

SUBJECT_MAX = 200


@dataclass(frozen=True)
class InquiryData:
    question: str
    subject: str = ""
    channel: str = ""
    department: str = ""
    citizen_name: str = ""
    citizen_contact: str = ""


def _locked(inquiry_id) -> Inquiry:
    # No select_related: when the lock waits for a concurrent change, PostgreSQL re-reads
    # the locked row but not the rows joined to it; related objects are loaded afterwards.
    return locked(Inquiry, inquiry_id)


def _start_clock(inquiry: Inquiry, *, now, days: int) -> None:
    """An answer limit of ``days`` working days from today (the day itself not counted)."""
    calendar = get_work_calendar()
    start = timezone.localdate(now)
    deadline = calendar.due_at(start, days)
    inquiry.limit_days = days
    inquiry.due_at, inquiry.due_provisional = deadline.due_at, deadline.provisional
    inquiry.warn_at = calendar.warn_at(start, days)
    inquiry.alert = InquiryAlert.NONE


def _department(code: str, field: str = "department") -> Department | None:
    if not code:
        return None
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise ValidationFailed(_("There is no department with this code."), fields={field: [_("Unknown department.")]})
    return department


def _validated(actor, data: InquiryData) -> InquiryData:
    fields: dict[str, list[str]] = {}
    question = (data.question or "").strip() or (data.subject or "").strip()
    subject = (data.subject or "").strip() or (question.splitlines()[0] if question else "")
    if not question:
        fields["question"] = [_("Write the question.")]
    official = permissions.is_official(actor)
    channel = data.channel or (InquiryChannel.WALK_IN if official else InquiryChannel.ONLINE)
    if channel not in InquiryChannel.values:
        fields["channel"] = [_("One of: %(values)s") % {"values": ", ".join(InquiryChannel.values)}]
    elif official and channel == InquiryChannel.ONLINE:
        fields["channel"] = [_("An official records walk-in and telephone inquiries; online ones come from "
                               "citizens.")]
    elif not official and channel != InquiryChannel.ONLINE:
        fields["channel"] = [_("Online inquiries only: walk-in and telephone inquiries are recorded by the "
                               "official asked.")]
    name = (data.citizen_name or "").strip()
    if fields:
        raise ValidationFailed(_("The inquiry is not complete."), fields=fields)
    return InquiryData(question=question, subject=subject[:SUBJECT_MAX], channel=channel,
                       department=data.department, citizen_name=name[:200],
                       citizen_contact=(data.citizen_contact or "").strip()[:200])


def inquiry_create(*, actor, data: InquiryData) -> Inquiry:
    """首问负责制: an official records a walk-in or telephone question and owns it from
    that moment; a citizen's online question waits, unclaimed, for its first official.
    Either way the answer clock (1 working day by default) starts now."""
    if not actor.is_authenticated:
        raise PermissionDenied()
    if not permissions.is_official(actor) and getattr(actor, "staff_profile", None) is not None:
        raise PermissionDenied(_("Only citizens and the officials they ask record inquiries."))
    data = _validated(actor, data)
    department = _department(data.department)
    now = timezone.now()
    official = permissions.is_official(actor)
    with transaction.atomic():
        inquiry = Inquiry(
            channel=data.channel, subject=data.subject, question=data.question, department=department,
            status=InquiryStatus.OPEN if official else InquiryStatus.UNCLAIMED,
            citizen=None if official else actor,
            citizen_name=data.citizen_name or ("" if official else (actor.get_full_name() or actor.get_username())),
            citizen_contact=data.citizen_contact or ("" if official else actor.email),
            created_by=actor, created_at=now,
        )
        _start_clock(inquiry, now=now, days=settings.INQUIRY_ANSWER_DAYS)
        inquiry.save()
        inquiry.number = f"ZX{timezone.localdate(now):%Y%m%d}{inquiry.pk:06d}"
        if official:
            inquiry.first_officer = actor
            inquiry.owner = posts.assignment_route(user=actor, kind=WorkKind.INQUIRY, obj=inquiry, now=now)
            inquiry.claimed_at = now
        inquiry.save()
        audit_log(actor=actor, obj=inquiry, action="create", to_status=inquiry.status, at=now,
                  note=inquiry.get_channel_display(),
                  data={"owner": inquiry.owner.get_username() if inquiry.owner_id else None,
                        "due_at": inquiry.due_at.isoformat()})
        if not official:
            emails.notify(inquiry, "inquiry_received", [actor], emails.received)
    return inquiry


def inquiry_claim(*, actor, inquiry_id) -> Inquiry:
    """认领: the first official who takes an online question owns it; a second gets 409.
    The answer clock keeps running from when the citizen asked."""
    permissions.require_official(actor)
    now = timezone.now()
    with transaction.atomic():
        inquiry = _locked(inquiry_id)
        if inquiry.status != InquiryStatus.UNCLAIMED and inquiry.owner_id:
            raise StateConflict(_("This inquiry was already taken on by %(user)s.")
                                % {"user": inquiry.owner.get_username()}, code="already_claimed")
        before = transition_run(inquiry, "claim")
        inquiry.first_officer = actor
        inquiry.owner = posts.assignment_route(user=actor, kind=WorkKind.INQUIRY, obj=inquiry, now=now)
        inquiry.claimed_at = now
        inquiry.save()
        audit_log(actor=actor, obj=inquiry, action="claim", from_status=before, to_status=inquiry.status, at=now,
                  data={"owner": inquiry.owner.get_username()})
        emails.notify(inquiry, "inquiry_claimed", [inquiry.citizen], emails.claimed)
    return inquiry


def inquiry_refer(*, actor, inquiry_id, department_code: str, note: str = "",
                  assignee_username: str = "") -> Inquiry:
    """转办: the owner refers the question to the department that can answer it. He stays
    owner and sees its progress; the referral limit (3 working days by default) starts."""
    department = _department(department_code)
    if department is None:
        raise ValidationFailed(_("Choose the department to refer to."),
                               fields={"department": [_("This field is required.")]})
    now = timezone.now()
    with transaction.atomic():
        inquiry = _locked(inquiry_id)
        permissions.require_owner(actor, inquiry)
        if inquiry.status == InquiryStatus.REFERRED and inquiry.referred_to_id == department.pk:
            raise StateConflict(_("The inquiry is already referred to %(department)s.")
                                % {"department": department.name}, code="already_referred")
        assignee = None
        if assignee_username:
            assignee = User.objects.filter(username=assignee_username, staff_profile__department=department).first()
            if assignee is None or not permissions.is_official(assignee):
                raise ValidationFailed(_("The assignee must be an official of that department."),
                                       fields={"assignee": [_("Unknown official of %(department)s.")
                                                            % {"department": department.code}]})
        before = transition_run(inquiry, "refer")
        inquiry.referred_to, inquiry.referral_note = department, (note or "").strip()
        inquiry.referred_at, inquiry.referred_by = now, actor
        inquiry.referee = posts.assignment_route(user=assignee, kind=WorkKind.REFERRAL, obj=inquiry, now=now)
        inquiry.acknowledged_at = None
        inquiry.clock += 1
        _start_clock(inquiry, now=now, days=settings.INQUIRY_REFERRAL_DAYS)
        inquiry.save()
        audit_log(actor=actor, obj=inquiry, action="refer", from_status=before, to_status=inquiry.status, at=now,
                  note=f"{department.code}: {inquiry.referral_note}".rstrip(": "),
                  data={"department": department.code, "due_at": inquiry.due_at.isoformat(),
                        "referee": inquiry.referee.get_username() if inquiry.referee_id else None})
        emails.notify(inquiry, "inquiry_referred", [inquiry.referee, *emails.department_staff(department)],
                      emails.referred_to_department)
        emails.notify(inquiry, "inquiry_referred", [inquiry.citizen], emails.referred_to_citizen)
    return inquiry


def inquiry_acknowledge(*, actor, inquiry_id) -> Inquiry:
    """签收: an official of the referred department takes the referral on; the owner sees it."""
    now = timezone.now()
    with transaction.atomic():
        inquiry = _locked(inquiry_id)
        permissions.require_referee_staff(actor, inquiry)
        if inquiry.status != InquiryStatus.REFERRED:
            raise StateConflict(_("This is not possible while the inquiry is %(status)s.")
                                % {"status": inquiry.get_status_display()}, code="invalid_state")
        if inquiry.acknowledged_at is not None:
            raise StateConflict(_("The referral was already acknowledged by %(user)s.")
                                % {"user": inquiry.referee.get_username() if inquiry.referee_id else "—"},
                                code="already_acknowledged")
        _acknowledge(inquiry, actor=actor, now=now)
        inquiry.save()
        emails.notify(inquiry, "inquiry_acknowledged", [inquiry.owner], emails.acknowledged)
    return inquiry


def _acknowledge(inquiry: Inquiry, *, actor, now) -> None:
    inquiry.referee, inquiry.acknowledged_at = actor, now
    audit_log(actor=actor, obj=inquiry, action="acknowledge", from_status=inquiry.status,
              to_status=inquiry.status, at=now, note=inquiry.referred_to.code)


def inquiry_answer(*, actor, inquiry_id, answer: str) -> Inquiry:
    """答复: the owner answers, or, once referred, the department it was referred to
    (answering a referral nobody acknowledged acknowledges it first, on the record)."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationFailed(_("Write the answer."), fields={"answer": [_("This field is required.")]})
    now = timezone.now()
    with transaction.atomic():
        inquiry = _locked(inquiry_id)
        permissions.require_owner_or_referee(actor, inquiry)
        if inquiry.status == InquiryStatus.REFERRED and inquiry.acknowledged_at is None and \
                permissions.is_referee_staff(actor, inquiry):
            _acknowledge(inquiry, actor=actor, now=now)
        before = transition_run(inquiry, "give_answer")
        inquiry.answer, inquiry.answered_at, inquiry.answered_by = answer, now, actor
        inquiry.save()
        audit_log(actor=actor, obj=inquiry, action="answer", from_status=before, to_status=inquiry.status, at=now,
                  note=answer[:500])
        if inquiry.owner_id != actor.pk:
            emails.notify(inquiry, "inquiry_answered", [inquiry.owner], emails.answered_to_owner)
        emails.notify(inquiry, "inquiry_answered", [inquiry.citizen], emails.answered_to_citizen)
    return inquiry


def inquiry_close(*, actor, inquiry_id) -> Inquiry:
    """结办: only the owner closes, and only once the citizen has an answer."""
    now = timezone.now()
    with transaction.atomic():
        inquiry = _locked(inquiry_id)
        permissions.require_owner(actor, inquiry)
        if inquiry.status in (InquiryStatus.OPEN, InquiryStatus.REFERRED, InquiryStatus.UNCLAIMED):
            raise StateConflict(_("The inquiry has no answer yet; it cannot be closed unanswered."),
                                code="not_answered")
        before = transition_run(inquiry, "close")
        inquiry.closed_at = now
        inquiry.save()
        audit_log(actor=actor, obj=inquiry, action="close", from_status=before, to_status=inquiry.status, at=now)
        emails.notify(inquiry, "inquiry_closed", [inquiry.citizen], emails.closed)
    return inquiry


def inquiry_convert(*, actor, inquiry_id, service_code: str,
                    applicant: approvals_services.ApplicantData) -> Inquiry:
    """The question becomes an application (一窗受理): the owner, a window clerk, opens
    it on the citizen's behalf, and the link keeps its first-inquiry officer."""
    now = timezone.now()
    with transaction.atomic():
        inquiry = _locked(inquiry_id)
        permissions.require_owner(actor, inquiry)
        if not permissions.is_clerk(actor):
            raise PermissionDenied(_("Applications are opened at the window: ask a window clerk to convert it."))
        before = transition_run(inquiry, "convert")
        application = approvals_services.application_create(actor=actor, service_code=service_code,
                                                            applicant=applicant)
        inquiry.application, inquiry.converted_at = application, now
        inquiry.save()
        officer = inquiry.first_officer or inquiry.owner
        audit_log(actor=actor, obj=inquiry, action="convert", from_status=before, to_status=inquiry.status, at=now,
                  note=application.number, data={"application": application.number})
        audit_log(actor=actor, obj=application, action="from_inquiry", at=now,
                  note=_("from inquiry %(number)s; first-inquiry officer %(officer)s (badge %(badge)s)")
                  % {"number": inquiry.number, "officer": officer.get_username(), "badge": badge_of(officer) or "—"},
                  data={"inquiry": inquiry.number, "first_inquiry_officer": officer.get_username()})
        emails.notify(inquiry, "inquiry_converted", [inquiry.citizen], emails.converted)
    return inquiry

