"""好差评 (国办发〔2019〕51号): the applicant rates a decided application once, within 7 days;
a bad rating is followed up by the unit that handled it; a malicious or mistaken bad
rating can be appealed to the supervisor and struck, with the reason kept.

Services are keyword-only, run in one transaction, lock their row, write the audit
trail and put their messages in the outbox.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import DECIDED, Application
from complaints import notifications, permissions
from complaints.limits import follow_up_working_days, rating_closes_at
from complaints.models import (
    AppealStatus, Evaluation, FollowUp, FollowUpAction, FollowUpStatus, Level, RatingSource,
)
from portal.audit.services import audit_log
from portal.errors import PermissionDenied, StateConflict, ValidationFailed, required_text
from portal.locking import for_update, locked
from portal.workcalendar.calendar import get_work_calendar

# A decision the applicant can rate: granted, refused, not accepted, or deemed approved.


def window_of(application: Application):
    """The window that took the application in (好差评 is published per window)."""
    profile = getattr(application.intake_clerk, "staff_profile", None) if application.intake_clerk_id else None
    return profile.window if profile is not None else None


def evaluation_for(application: Application, *, score: int, source: str, now, actor=None,
                   comment: str = "") -> Evaluation:
    """An unsaved rating of ``application``: its item, handling unit and window are kept with it."""
    return Evaluation(
        application=application, service=application.service, department_id=application.service.department_id,
        window=window_of(application), score=score, comment=comment, source=source, rated_at=now, rated_by=actor,
    )


def evaluation_submit(*, actor, application_id, score, comment: str = "") -> Evaluation:
    """好差评: the applicant rates his decided application once, on five levels, until
    24:00 of the 7th day after the decision. A bad rating opens a follow-up."""
    if not isinstance(score, int) or isinstance(score, bool) or score not in Level.values:
        raise ValidationFailed(_("Rate from 1 (very dissatisfied) to 5 (very satisfied)."),
                               fields={"score": [_("A whole number from 1 to 5.")]})
    now = timezone.now()
    with transaction.atomic():
        application = locked(Application, application_id,
                             related=("service", "intake_clerk__staff_profile__window"))
        if not (actor.is_authenticated and application.applicant_id == actor.pk):
            raise PermissionDenied(_("Only the applicant rates his application."))
        if application.status not in DECIDED or application.decided_at is None:
            raise StateConflict(_("An application can be rated once it is decided."), code="not_decided")
        if Evaluation.objects.filter(application=application).exists():
            raise StateConflict(_("This application was already rated."), code="already_rated")
        if now > rating_closes_at(application.decided_at):
            raise StateConflict(_("Ratings close 7 days after the decision; this one counts as basically "
                                  "satisfied."), code="rating_closed")
        evaluation = evaluation_for(application, score=score, source=RatingSource.CITIZEN, now=now, actor=actor,
                                    comment=(comment or "").strip()[:2000])
        evaluation.save()
        audit_log(actor=actor, obj=evaluation, action="rate", note=evaluation.get_score_display(),
                  data={"application": application.number, "score": score})
        if evaluation.bad:
            follow_up_open(evaluation=evaluation, now=now)
    return evaluation


def follow_up_open(*, evaluation: Evaluation, now) -> FollowUp:
    """差评整改: the handling unit owns the follow-up, due in 5 working days (configurable)."""
    deadline = get_work_calendar().due_at(timezone.localdate(now), follow_up_working_days())
    follow_up = FollowUp.objects.create(evaluation=evaluation, department_id=evaluation.department_id,
                                        opened_at=now, due_at=deadline.due_at)
    audit_log(actor=None, obj=follow_up, action="open", to_status=follow_up.status,
              data={"application": evaluation.application.number, "due_at": follow_up.due_at.isoformat()}, at=now)
    notifications.notify_unit(follow_up, "opened")
    return follow_up


def follow_up_complete(*, actor, follow_up_id, action: str, note: str) -> FollowUp:
    """The unit called back, fixed or explained, and tells the citizen what it did."""
    if action not in FollowUpAction.values:
        raise ValidationFailed(_("Say what was done."), fields={"action": [_("Unknown action.")]})
    note = required_text(note, "note", _("Write what the citizen is told."))
    now = timezone.now()
    with transaction.atomic():
        follow_up = locked(FollowUp, follow_up_id, related=("evaluation__application",))
        permissions.require_unit_member(actor, follow_up.department_id)
        if follow_up.status != FollowUpStatus.OPEN:
            raise StateConflict(_("This follow-up is %(status)s.") % {"status": follow_up.get_status_display()},
                                code="invalid_state")
        before = follow_up.status
        follow_up.status, follow_up.action, follow_up.note = FollowUpStatus.DONE, action, note
        follow_up.done_at, follow_up.done_by = now, actor
        follow_up.save()
        audit_log(actor=actor, obj=follow_up, action="complete", from_status=before, to_status=follow_up.status,
                  note=follow_up.get_action_display(), data={"late": now > follow_up.due_at})
        notifications.notify_citizen_of_follow_up(follow_up)
    return follow_up


def _locked_evaluation(evaluation_id) -> Evaluation:
    return locked(Evaluation, evaluation_id, related=("application",))


def _require_contestable(evaluation: Evaluation) -> None:
    if evaluation.source != RatingSource.CITIZEN or not evaluation.bad:
        raise StateConflict(_("Only a bad rating given by the applicant can be contested."), code="not_contestable")
    if evaluation.struck:
        raise StateConflict(_("This rating was already struck."), code="already_struck")


def evaluation_appeal(*, actor, evaluation_id, grounds: str) -> Evaluation:
    """申诉: the handling unit asks the supervisor to strike a malicious or mistaken bad rating, once."""
    grounds = required_text(grounds, "grounds", _("State the grounds of the appeal."))
    now = timezone.now()
    with transaction.atomic():
        evaluation = _locked_evaluation(evaluation_id)
        permissions.require_unit_member(actor, evaluation.department_id)
        _require_contestable(evaluation)
        if evaluation.appeal_status:
            raise StateConflict(_("This rating was already appealed."), code="already_appealed")
        evaluation.appeal_status, evaluation.appeal_grounds = AppealStatus.PENDING, grounds
        evaluation.appealed_by, evaluation.appealed_at = actor, now
        evaluation.save()
        audit_log(actor=actor, obj=evaluation, action="appeal", to_status=evaluation.appeal_status, note=grounds)
    return evaluation


def evaluation_strike(*, actor, evaluation_id, reason: str) -> Evaluation:
    """剔除: the supervisor strikes a malicious or mistaken bad rating, appealed or not;
    the rating stays on record with the reason and leaves every figure. Its open
    follow-up is cancelled."""
    permissions.require_supervisor(actor)
    reason = required_text(reason, "reason", _("State why the rating is struck."))
    now = timezone.now()
    with transaction.atomic():
        evaluation = _locked_evaluation(evaluation_id)
        _require_contestable(evaluation)
        before = evaluation.appeal_status
        evaluation.struck, evaluation.decision_reason = True, reason
        evaluation.decided_by, evaluation.decided_at = actor, now
        if evaluation.appeal_status == AppealStatus.PENDING:
            evaluation.appeal_status = AppealStatus.UPHELD
        evaluation.save()
        audit_log(actor=actor, obj=evaluation, action="strike", from_status=before,
                  to_status=evaluation.appeal_status, note=reason)
        follow_up = for_update(FollowUp.objects.filter(evaluation=evaluation,
                                                       status=FollowUpStatus.OPEN).order_by("id")).first()
        if follow_up is not None:
            follow_up.status = FollowUpStatus.CANCELLED
            follow_up.save(update_fields=["status"])
            audit_log(actor=actor, obj=follow_up, action="cancel", from_status=FollowUpStatus.OPEN,
                      to_status=follow_up.status, note=_("the rating was struck"))
    return evaluation


def evaluation_appeal_dismiss(*, actor, evaluation_id, reason: str) -> Evaluation:
    """The supervisor keeps the rating: the appeal is dismissed, with the reason kept."""
    permissions.require_supervisor(actor)
    reason = required_text(reason, "reason", _("State why the rating is kept."))
    now = timezone.now()
    with transaction.atomic():
        evaluation = _locked_evaluation(evaluation_id)
        if evaluation.appeal_status != AppealStatus.PENDING:
            raise StateConflict(_("There is no pending appeal of this rating."), code="no_pending_appeal")
        evaluation.appeal_status, evaluation.decision_reason = AppealStatus.DISMISSED, reason
        evaluation.decided_by, evaluation.decided_at = actor, now
        evaluation.save()
        audit_log(actor=actor, obj=evaluation, action="dismiss_appeal", from_status=AppealStatus.PENDING,
                  to_status=evaluation.appeal_status, note=reason)
    return evaluation
