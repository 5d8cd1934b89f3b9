"""Working a case (责任追究制, SPEC §4): investigation, decision on the sanction ladder,
notification of the subject, one appeal, and finality.

``opened → investigating → decided → notified → final``; ``notified → appealed → final``.
Every service locks the case row, runs the django-fsm-2 transition (409 when the
state does not allow it), writes the audit trail and puts the subject's message in
the outbox in the same transaction.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability import emails, permissions
from accountability.models import LADDER, AccountabilityCase, CaseStatus, Sanction, Severity
from portal.audit.services import AuditEntry, audit_log, audit_log_many
from portal.errors import StateConflict, ValidationFailed, required_text
from portal.locking import locked
from portal.notifications.outbox import enqueue
from portal.organisation import roles
from portal.transitions import transition_run
from portal.workcalendar.arithmetic import end_of_day

# 《公务员法》第九十五条: a civil servant may ask for review of a decision concerning him
# within thirty days of learning of it. The appeal period ends at 24:00 of the 30th day.
APPEAL_DAYS = 30


def _locked(case_id) -> AccountabilityCase:
    """The case locked (the official it concerns read along, not locked: portal.locking)."""
    return locked(AccountabilityCase, case_id, related=("subject",))


def case_start_investigation(*, actor, case_id, investigator_username: str = "") -> AccountabilityCase:
    """调查: a case worker takes the case, or gives it to another case worker who reaches its
    department (三级政务服务: not a township's to a county case)."""
    now = timezone.now()
    with transaction.atomic():
        case = _locked(case_id)
        permissions.require_worker_of(actor, case)
        investigator = actor
        if investigator_username:
            investigator = get_user_model().objects.filter(username=investigator_username, is_active=True).first()
            if investigator is None or not roles.oversees(investigator) or investigator.pk == case.subject_id \
                    or not permissions.reaches_case(investigator, case):
                raise ValidationFailed(_("The investigator must be a case worker other than the subject."),
                                       fields={"investigator": [_("Not a possible investigator.")]})
        before = transition_run(case, "start_investigation")
        case.investigator, case.investigation_started_at = investigator, now
        case.save()
        audit_log(actor=actor, obj=case, action="start_investigation", from_status=before, to_status=case.status,
                  data={"investigator": investigator.get_username()}, at=now)
    return case


def _notify(case: AccountabilityCase, *, now) -> AuditEntry:
    """告知: the subject learns the decision and until when he may appeal, once."""
    before = transition_run(case, "notify")
    case.notified_at = now
    case.appeal_due_at = end_of_day(timezone.localdate(now) + timedelta(days=APPEAL_DAYS),
                                    timezone.get_current_timezone())
    enqueue([emails.case_decided(case)])
    return AuditEntry(object_type=case._meta.model_name, object_id=case.pk, action="notify", from_status=before,
                      to_status=case.status, data={"appeal_due_at": case.appeal_due_at.isoformat()})


def case_decide(*, actor, case_id, sanction: str, reasoning: str, publish: bool = False, public_summary: str = "",
                notify: bool = True, severity: str = "") -> AccountabilityCase:
    """处理决定: a step of the sanction ladder, or no fault, with the reasons. A case still
    ``opened`` is first taken into investigation by the decider, on the record. The
    subject is notified at once unless ``notify`` is false (the decision is then served
    later with ``case_notify``). ``publish`` makes it a typical case (典型案例), shown
    without the subject's name. ``severity`` (情节, empty: unchanged) marks a serious case,
    which extends accountability to the department's leader in charge."""
    if sanction not in Sanction.values:
        raise ValidationFailed(_("Choose a step of the sanction ladder, or no fault."),
                               fields={"sanction": [_("One of: %(codes)s") % {"codes": ", ".join(Sanction.values)}]})
    reasoning = required_text(reasoning, "reasoning", _("A decision states its reasons."))
    if severity and severity not in Severity.values:
        raise ValidationFailed(_("Unknown severity."),
                               fields={"severity": [_("One of: %(codes)s") % {"codes": ", ".join(Severity.values)}]})
    if publish and sanction == Sanction.NO_FAULT:
        raise ValidationFailed(_("Only a sanction is published as a typical case."),
                               fields={"publish": [_("Not with no fault.")]})
    now = timezone.now()
    with transaction.atomic():
        case = _locked(case_id)
        permissions.require_worker_of(actor, case)
        entries = []
        if case.status == CaseStatus.OPENED:
            # Deciding a case nobody investigated yet: the decider investigated it, on the record.
            before = transition_run(case, "start_investigation")
            case.investigator, case.investigation_started_at = actor, now
            entries.append(AuditEntry(object_type=case._meta.model_name, object_id=case.pk,
                                      action="start_investigation", from_status=before, to_status=case.status,
                                      data={"investigator": actor.get_username()}))
        before = transition_run(case, "decide")
        case.sanction, case.reasoning = sanction, reasoning
        case.decided_at, case.decided_by = now, actor
        case.publish = publish
        case.severity = severity or case.severity
        case.public_summary = (public_summary or "").strip() if publish else ""
        entries.append(AuditEntry(object_type=case._meta.model_name, object_id=case.pk, action="decide",
                                  from_status=before, to_status=case.status, note=reasoning,
                                  data={"sanction": sanction, "publish": publish, "severity": case.severity}))
        if notify:
            entries.append(_notify(case, now=now))
        case.save()
        audit_log_many(actor=actor, entries=entries, at=now)
    return case


def case_notify(*, actor, case_id) -> AccountabilityCase:
    """告知 of a decision taken with ``notify=False``."""
    now = timezone.now()
    with transaction.atomic():
        case = _locked(case_id)
        permissions.require_worker_of(actor, case)
        entry = _notify(case, now=now)
        case.save()
        audit_log_many(actor=actor, entries=[entry], at=now)
    return case


def case_appeal(*, actor, case_id, grounds: str) -> AccountabilityCase:
    """申诉/申请复核: the subject appeals once, in writing, within the appeal period."""
    grounds = required_text(grounds, "grounds", _("An appeal states its grounds."))
    now = timezone.now()
    with transaction.atomic():
        case = _locked(case_id)
        permissions.require_subject(actor, case)
        if case.appealed_at is not None:
            raise StateConflict(_("A decision can be appealed only once."), code="already_appealed")
        if case.status == CaseStatus.NOTIFIED and now > case.appeal_due_at:
            raise StateConflict(_("The appeal period ended on %(date)s; the decision is final.")
                                % {"date": timezone.localdate(case.appeal_due_at).isoformat()},
                                code="appeal_period_over")
        before = transition_run(case, "appeal")
        case.appeal_grounds, case.appealed_at = grounds, now
        case.save()
        audit_log(actor=actor, obj=case, action="appeal", from_status=before, to_status=case.status, note=grounds,
                  at=now)
    return case


def case_resolve_appeal(*, actor, case_id, upheld: bool, resolution: str = "",
                        sanction: str | None = None) -> AccountabilityCase:
    """复核决定: an upheld appeal lowers the sanction (to ``sanction``, by default to no
    fault); a rejected one confirms it. Either way the case is final."""
    now = timezone.now()
    with transaction.atomic():
        case = _locked(case_id)
        permissions.require_worker_of(actor, case)
        before = transition_run(case, "resolve_appeal")
        data = {"upheld": upheld}
        if upheld:
            lowered = sanction or Sanction.NO_FAULT
            if lowered not in Sanction.values or _rank(lowered) >= _rank(case.sanction):
                raise ValidationFailed(_("An upheld appeal lowers the sanction."),
                                       fields={"sanction": [_("Choose a milder step or no fault.")]})
            case.sanction_before_appeal, case.sanction = case.sanction, lowered
            if lowered == Sanction.NO_FAULT:
                case.publish = False
            data.update({"sanction_before": case.sanction_before_appeal, "sanction": lowered})
        elif sanction not in (None, "", case.sanction):
            raise ValidationFailed(_("A rejected appeal keeps the sanction."),
                                   fields={"sanction": [_("Leave it empty.")]})
        case.appeal_upheld, case.appeal_resolution = upheld, (resolution or "").strip()
        case.appeal_resolved_at, case.appeal_resolved_by, case.final_at = now, actor, now
        case.save()
        audit_log(actor=actor, obj=case, action="resolve_appeal", from_status=before, to_status=case.status,
                  note=case.appeal_resolution, data=data, at=now)
        enqueue([emails.appeal_resolved(case)])
    return case


def _rank(sanction: str) -> int:
    """0 for no fault, then 1… up the ladder."""
    return LADDER.index(sanction) + 1 if sanction in LADDER else 0


def cases_finalise_unappealed(cases: list[AccountabilityCase], *, now) -> None:
    """The appeal period passed without an appeal: the decisions are final (the sweep
    holds the rows' locks)."""
    entries = []
    for case in cases:
        before = case.status
        case.finalise()
        case.final_at = now
        entries.append(AuditEntry(object_type=case._meta.model_name, object_id=case.pk, action="finalise",
                                  from_status=before, to_status=case.status, note="appeal period ended"))
    AccountabilityCase.objects.bulk_update(cases, ["status", "final_at"])
    audit_log_many(actor=None, entries=entries, at=now)
