"""Review after acceptance: parallel stages (并联审批), suspension, extension (限时办结),
and the outcome. Every service locks the application row first and then its
stages, in that order, like the deadline sweep, so they serialise without deadlock.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accountability.models import CaseSource, SubjectRole
from accountability.services import case_open
from approvals import documents, fees, green_channel, notifications, permissions, referrals
from approvals.models import (
    OPEN_STAGE, Alert, Application, CorrectionNotice, ExcludedProcedure, Stage, StageStatus, Status,
    SuspensionKind,
)
from approvals.corrections import correction_items_check, correction_notice_write
from approvals.locks import application_lock
from portal.audit.services import AuditEntry, audit_log, audit_log_many
from portal.catalogue.models import HandlingType
from portal.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from portal.locking import for_update, locked
from portal.transitions import transition_run, transition_sources
from portal.workcalendar.calendar import get_work_calendar

MAX_EXTENSION = 10
MAX_EXTENSION_JOINT = 15


def _locked_stage(stage_id) -> tuple[Application, Stage]:
    application_id = Stage.objects.filter(pk=stage_id).values_list("application_id", flat=True).first()
    if application_id is None:
        raise NotFound()
    application = application_lock(application_id)
    return application, locked(Stage, stage_id, related=("department",))


def _require_running(application: Application) -> None:
    if application.status != Status.IN_REVIEW:
        raise StateConflict(
            _("The application is %(status)s; stages can only be decided while it is in review.")
            % {"status": application.get_status_display()}, code="invalid_state")


def certificate_number(application: Application, now) -> str:
    return certificate_number_of(application.pk, timezone.localdate(now).year)


def certificate_number_of(pk: int, year) -> str:
    """ZS<year><application id, 8 digits> (the sweep writes the same in SQL, approvals.lapse)."""
    return f"{certificate_prefix(year)}{pk:08d}"


def certificate_prefix(year) -> str:
    return f"ZS{year}"


def _entry(obj, action, before="", after="", note="", data=None) -> AuditEntry:
    return AuditEntry(object_type=obj._meta.model_name, object_id=obj.pk, action=action, from_status=before,
                      to_status=after, note=note, data=data)


# 超期默许: the states a stage may lapse from, and those that count as approved, read from
# the state machine (``Stage.deem_approve``) so the sweep's bulk UPDATE uses the same.
LAPSES_FROM = transition_sources(Stage, "deem_approve")
APPROVED_STAGE = frozenset({StageStatus.APPROVED, StageStatus.DEEMED_APPROVED})
DECIDE = {Status.DENIED: "deny", Status.APPROVED: "approve", Status.DEEMED_APPROVED: "deem_approve"}


def stage_lapses(status: str, deemed_approval: bool, due_at, now) -> bool:
    """超期默许: a stage whose item allows deemed approval lapses once its limit has passed."""
    return status in LAPSES_FROM and deemed_approval and due_at is not None and due_at < now


def application_outcome(stage_statuses) -> str | None:
    """SPEC §4/§6: denied when any stage denies; approved when every stage is approved or
    deemed approved — deemed_approved if any was; None while a stage is still open."""
    statuses = set(stage_statuses)
    if StageStatus.DENIED in statuses:
        return Status.DENIED
    if statuses <= APPROVED_STAGE:
        return Status.DEEMED_APPROVED if StageStatus.DEEMED_APPROVED in statuses else Status.APPROVED
    return None


def alert_after_decision(alert: str) -> str:
    """A decided application keeps a red alert on record (it was late); a yellow one ends."""
    return Alert.RED if alert == Alert.RED else Alert.NONE


def lapse_texts() -> tuple[str, str]:
    """The note on a lapsed stage's record and its case's summary (``%(application)s``,
    ``%(department)s``, ``%(days)s``), in the site's language, for both lapse paths."""
    with translation.override(settings.LANGUAGE_CODE):
        return (_("limit passed without a decision: approved by operation of law"),
                _("%(application)s %(department)s: the limit of %(days)s working days passed without a "
                  "decision; approved by operation of law."))


def settle_outcome(application: Application, stages: list[Stage], *, now, actor, note: str = "") -> list[AuditEntry]:
    """Decide the application once its stages say so (``application_outcome``): the open
    stages of a denied one are cancelled; an approved one gets its certificate."""
    entries: list[AuditEntry] = []
    outcome = application_outcome(s.status for s in stages)
    if outcome is None:
        return entries
    if outcome == Status.DENIED:
        for stage in stages:
            if stage.status in OPEN_STAGE:
                before = stage.status
                stage.cancel()
                stage.save(update_fields=["status"])
                entries.append(_entry(stage, "cancel", before, stage.status, _("another department denied")))
    before = transition_run(application, DECIDE[outcome])
    application.outcome = outcome
    if outcome != Status.DENIED:
        application.certificate_number = certificate_number(application, now)
    application.decided_at = now
    application.alert = alert_after_decision(application.alert)
    application.save()
    if application.outcome == Status.DENIED:
        documents.issue_decision(application=application, stages=stages, actor=actor)
        fees.payment_on_denial(application=application, actor=actor, now=now, reason=_("application denied"))
    else:
        documents.issue_certificate(application=application, actor=actor)
    entries.append(_entry(application, "decide", before, application.status, note,
                          data={"certificate_number": application.certificate_number}))
    notifications.notify_applicant(application, "decided")
    return entries


def stage_deem_approved(*, stage_id, now=None) -> Stage:
    """超期默许制: one stage past its limit, whose item allows it, is approved by operation of
    law; an accountability case is opened against its assignee (the department head if
    nobody claimed it), and the application is decided once its stages say so. This is the
    rule for one stage; the sweep applies the same to thousands at a time with set-based
    writes (``approvals.lapse``), and a test compares every row the two write."""
    now = now or timezone.now()
    note, summary = lapse_texts()
    with transaction.atomic():
        application, stage = _locked_stage(stage_id)
        _require_running(application)
        if not stage_lapses(stage.status, stage.deemed_approval, stage.due_at, now):
            raise StateConflict(_("This stage has not lapsed."), code="not_lapsed")
        before = transition_run(stage, "deem_approve")
        stage.decided_at = now
        stage.save()
        subject = stage.assignee or stage.department.head
        case = case_open(
            subject=subject, subject_role=SubjectRole.DIRECT, source=CaseSource.DEEMED_APPROVAL,
            source_ref=application.number, department=stage.department, now=now,
            summary=summary % {"application": application.number, "department": stage.department.name,
                               "days": stage.days}) if subject else None
        entries = [_entry(stage, "deem_approve", before, stage.status, note,
                          {"case": case.number} if case else None)]
        stages = list(for_update(application.stages.order_by("id")))
        entries += settle_outcome(application, stages, now=now, actor=None, note=note)
        audit_log_many(actor=None, entries=entries, at=now)
    return stage


def stage_claim(*, actor, stage_id) -> Stage:
    """认领: one reviewer takes the stage; a second claimer gets 409."""
    now = timezone.now()
    with transaction.atomic():
        application, stage = _locked_stage(stage_id)
        permissions.require_stage_reviewer(actor, stage)
        _require_running(application)
        if stage.status == StageStatus.CLAIMED:
            raise StateConflict(_("This stage was already claimed by %(user)s.")
                                % {"user": stage.assignee.get_username()}, code="already_claimed")
        before = transition_run(stage, "claim")
        stage.assignee, stage.claimed_at = actor, now
        stage.save()
        audit_log(actor=actor, obj=stage, action="claim", from_status=before, to_status=stage.status)
    return stage


def _decide_stage(*, actor, stage_id, transition: str, opinion: str, legal_basis: str = "") -> Stage:
    now = timezone.now()
    with transaction.atomic():
        application, stage = _locked_stage(stage_id)
        permissions.require_stage_reviewer(actor, stage)
        _require_running(application)
        entries = []
        if stage.status == StageStatus.PENDING:
            # Deciding an unclaimed stage claims it first, on the record.
            before = transition_run(stage, "claim")
            stage.assignee, stage.claimed_at = actor, now
            entries.append(_entry(stage, "claim", before, stage.status))
        elif stage.status == StageStatus.CLAIMED and stage.assignee_id != actor.pk:
            raise StateConflict(_("This stage is claimed by %(user)s; only they can decide it.")
                                % {"user": stage.assignee.get_username()}, code="claimed_by_other")
        before = transition_run(stage, transition)
        stage.decided_at, stage.decided_by, stage.opinion = now, actor, opinion
        stage.legal_basis = legal_basis
        stage.save()
        entries.append(_entry(stage, transition, before, stage.status, opinion))
        stages = list(for_update(application.stages.order_by("id")))
        entries += settle_outcome(application, stages, now=now, actor=actor)
        audit_log_many(actor=actor, entries=entries, at=now)
    return stage


def stage_approve(*, actor, stage_id, opinion: str = "") -> Stage:
    """同意: the department approves its stage, with its opinion."""
    return _decide_stage(actor=actor, stage_id=stage_id, transition="approve", opinion=opinion.strip())


def stage_deny(*, actor, stage_id, reason: str, legal_basis: str = "") -> Stage:
    """不予许可: a denial states its reason and legal basis; the other open stages are cancelled.
    Without a legal basis of its own the decision cites the item's published one."""
    if not (reason or "").strip():
        raise ValidationFailed(_("A denial states its reason."), fields={"reason": [_("The reason is required.")]})
    return _decide_stage(actor=actor, stage_id=stage_id, transition="deny", opinion=reason.strip(),
                         legal_basis=(legal_basis or "").strip())


def clock_freeze(application: Application, now) -> None:
    """Suspension freezes the remaining working days of the application and its open stages."""
    calendar = get_work_calendar()
    application.remaining_days_frozen = calendar.remaining_working_days(now, application.due_at)
    application.suspended_at = now
    application.due_at = application.warn_at = None
    for stage in for_update(application.stages.filter(status__in=OPEN_STAGE).order_by("id")):
        stage.remaining_days_frozen = calendar.remaining_working_days(now, stage.due_at)
        stage.due_at = stage.warn_at = None
        stage.save(update_fields=["remaining_days_frozen", "due_at", "warn_at"])


def clock_unfreeze(application: Application, now) -> None:
    """On resumption the remaining days run from the day after the resumption date."""
    calendar = get_work_calendar()
    today = timezone.localdate(now)
    remaining = application.remaining_days_frozen or 0
    deadline = calendar.due_at(today, remaining)
    application.due_at, application.due_provisional = deadline.due_at, deadline.provisional
    application.clock_start, application.clock_days = today, remaining
    application.warn_at = calendar.warn_at(today, remaining, limit=green_channel.committed_limit(application))
    if application.suspended_at is not None:
        application.suspended_days_total += calendar.working_days_between(
            timezone.localdate(application.suspended_at), today)
    application.remaining_days_frozen = None
    application.suspended_at = None
    application.suspension_kind = application.suspension_reason = ""
    application.suspension_note = ""
    application.suspension_expected_days = None
    application.alert = "none"
    for stage in for_update(application.stages.filter(status__in=OPEN_STAGE).order_by("id")):
        left = stage.remaining_days_frozen or 0
        stage.due_at = calendar.due_at(today, left).due_at
        stage.warn_at = calendar.warn_at(today, left, limit=stage.days)
        stage.clock_start, stage.clock_days = today, left
        stage.remaining_days_frozen = None
        stage.alert = "none"
        stage.save(update_fields=["due_at", "warn_at", "clock_start", "clock_days", "remaining_days_frozen",
                                  "alert"])


def stage_request_correction(*, actor, stage_id, items: list[dict], note: str = "") -> CorrectionNotice:
    """A reviewer asks for corrections: the whole application is suspended until the
    applicant resubmits. One notice lists everything (一次性告知); a later notice of
    the same stage may only repeat items of its first."""
    now = timezone.now()
    with transaction.atomic():
        application, stage = _locked_stage(stage_id)
        permissions.require_stage_reviewer(actor, stage)
        _require_running(application)
        requirements = {r.code: r for r in application.service.materials.all()}
        correction_items_check(items, requirements,
                               first=application.correction_notices.filter(stage=stage).order_by("sequence").first())
        before = transition_run(application, "suspend")
        clock_freeze(application, now)
        application.suspension_kind = SuspensionKind.APPLICANT_CORRECTION
        application.suspension_note = note
        application.save()
        notice = correction_notice_write(application=application, items=items, requirements=requirements,
                                         actor=actor, now=now, note=note, stage=stage)
        audit_log(actor=actor, obj=application, action="request_correction", from_status=before,
                  to_status=application.status, note=f"{stage.department.name}：" + "；".join(
                      f"{requirements[i['material']].name}：{i['reason']}" for i in items))
        notifications.notify_applicant(application, "correction_requested")
    return notice


def application_resume_after_correction(*, actor, application: Application, now) -> str:
    """The applicant's resubmission ends a reviewer's correction suspension (caller holds the lock)."""
    if application.suspension_kind != SuspensionKind.APPLICANT_CORRECTION:
        raise StateConflict(_("The clock is suspended for a statutory procedure; the department resumes it."),
                            code="invalid_state")
    before = transition_run(application, "resume")
    clock_unfreeze(application, now)
    application.save()
    notifications.notify_applicant(application, "resumed")
    return before


def application_suspend(*, actor, application_id, reason: str, note: str = "",
                        expected_days: int | None = None) -> Application:
    """Excluded time (art. 45): hearing, inspection, testing, quarantine, appraisal, expert
    review suspend the clock; the applicant is told in writing what for and how long."""
    reason, note = (reason or "").strip(), (note or "").strip()
    if not reason:
        raise ValidationFailed(_("Choose the statutory procedure that suspends the clock."),
                               fields={"reason": [_("One of: %(codes)s") % {"codes": ", ".join(ExcludedProcedure.values)}]})
    if reason not in ExcludedProcedure.values:
        # A reason written out in words: kept for the applicant, filed as another procedure.
        reason, note = ExcludedProcedure.OTHER, f"{reason}. {note}".strip(". ") if note else reason
    if not note:
        raise ValidationFailed(_("Tell the applicant what the procedure is for."),
                               fields={"note": [_("This field is required.")]})
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id)
        permissions.require_head_of_application(actor, application)
        before = transition_run(application, "suspend")
        clock_freeze(application, now)
        application.suspension_kind = SuspensionKind.EXCLUDED_PROCEDURE
        application.suspension_reason, application.suspension_note = reason, note
        application.suspension_expected_days = expected_days
        application.save()
        documents.issue_suspension(application=application, actor=actor)
        audit_log(actor=actor, obj=application, action="suspend", from_status=before, to_status=application.status,
                  note=f"{reason}: {note}", data={"remaining": application.remaining_days_frozen})
        notifications.notify_applicant(application, "suspended")
    return application


def application_resume(*, actor, application_id) -> Application:
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id)
        permissions.require_head_of_application(actor, application)
        if application.suspension_kind == SuspensionKind.APPLICANT_CORRECTION:
            raise StateConflict(_("The clock waits for the applicant's corrections; their resubmission resumes it."),
                                code="invalid_state")
        if application.suspension_kind == SuspensionKind.INTERMEDIARY:
            raise StateConflict(_("The clock waits for the intermediary service; its completion resumes it."),
                                code="intermediary_running")
        before = transition_run(application, "resume")
        clock_unfreeze(application, now)
        application.save()
        audit_log(actor=actor, obj=application, action="resume", from_status=before, to_status=application.status,
                  data={"due_at": application.due_at.isoformat()})
        notifications.notify_applicant(application, "resumed")
    return application


def application_extend(*, actor, application_id, working_days: int, reason: str) -> Application:
    """延期 (art. 42): once, with a reason, at most 10 working days (15 for joint items),
    and only before the running limit has passed — afterwards it is late completion."""
    if not (reason or "").strip():
        raise ValidationFailed(_("An extension states its reason."), fields={"reason": [_("The reason is required.")]})
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id)
        permissions.require_head_of_application(actor, application)
        limit = MAX_EXTENSION_JOINT if application.service.handling_type == HandlingType.JOINT else MAX_EXTENSION
        if not isinstance(working_days, int) or not 1 <= working_days <= limit:
            raise ValidationFailed(_("An extension is 1 to %(max)d working days.") % {"max": limit},
                                   fields={"working_days": [_("At most %(max)d.") % {"max": limit}]})
        if application.status != Status.IN_REVIEW:
            raise StateConflict(_("Only a running clock can be extended."), code="invalid_state")
        if application.extended_days:
            raise StateConflict(_("The time limit was already extended once."), code="already_extended")
        if now > application.due_at:
            raise StateConflict(_("The time limit has already passed: this is late completion, not an extension."),
                                code="limit_passed")
        calendar = get_work_calendar()
        old_due = timezone.localdate(application.due_at)
        deadline = calendar.due_at(old_due, working_days)
        total = green_channel.committed_limit(application) + working_days
        application.due_at, application.due_provisional = deadline.due_at, deadline.provisional
        # n working days after d, then N more, is n + N working days after d.
        application.clock_days = (application.clock_days or 0) + working_days
        application.warn_at = calendar.warn_at(old_due, working_days, limit=total)
        if application.warn_at > now:
            application.alert = "none"
        application.extended_days, application.extension_reason, application.extended_by = (
            working_days, reason.strip(), actor)
        application.save()
        for stage in for_update(application.stages.filter(status__in=OPEN_STAGE).order_by("id")):
            stage_old = timezone.localdate(stage.due_at)
            stage.due_at = calendar.due_at(stage_old, working_days).due_at
            stage.warn_at = calendar.warn_at(stage_old, working_days, limit=stage.days + working_days)
            stage.clock_days = (stage.clock_days or 0) + working_days
            if stage.warn_at > now:
                stage.alert = "none"
            stage.save(update_fields=["due_at", "warn_at", "clock_days", "alert"])
        documents.issue_extension(application=application, actor=actor)
        audit_log(actor=actor, obj=application, action="extend", from_status=application.status,
                  to_status=application.status, note=reason.strip(),
                  data={"working_days": working_days, "due_at": application.due_at.isoformat()})
        notifications.notify_applicant(application, "extended")
    return application


def application_hand_over(*, actor, application_id) -> Application:
    """出件: the certificate is handed over at the window (or downloaded)."""
    permissions.require_clerk(actor)
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id)
        referrals.require_intake_window(actor, application)
        fees.require_fee_paid(application)
        before = transition_run(application, "hand_over")
        application.issued_at = now
        application.save()
        audit_log(actor=actor, obj=application, action="hand_over", from_status=before, to_status=application.status)
        notifications.notify_applicant(application, "issued")
    return application


ON_SITE_EXCLUSIONS = {
    "joint_item": gettext_lazy("A joint item (联办件) is decided by every department concerned, not signed at the "
                               "counter."),
    "referred_up": gettext_lazy("A referred-up item (上报件) is decided by the competent center it was forwarded "
                                "to, not signed at this counter."),
    "site_inspection_required": gettext_lazy("This item needs a site inspection (现场踏勘) before it can be "
                                             "decided; it cannot be signed at the counter."),
}


def on_site_exclusion(application: Application) -> str | None:
    """首席代表制: why the chief representative's signature cannot decide this application
    (an error code of ``ON_SITE_EXCLUSIONS``), or None when it can."""
    if referrals.is_referred(application):
        return "referred_up"
    return application.service.chief_signature_exclusion()


def is_chief_representative(user, department_id: int) -> bool:
    profile = getattr(user, "staff_profile", None)
    return profile is not None and profile.chief_representative_for.filter(pk=department_id).exists()


def application_decide_on_site(*, actor, application_id, opinion: str = "") -> Application:
    """首席代表制 (seed 001 line 93): the chief representative's signature at the counter is
    effective for every item of his department except items needing a site inspection
    (现场踏勘), joint items (联办件) and referred-up items (上报件). It approves the open stage
    right after acceptance and counts as on-site completion (现场办结)."""
    permissions.require_clerk(actor)
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id)
        _require_running(application)
        department = application.service.department
        if not is_chief_representative(actor, department.pk):
            raise PermissionDenied(_("You are not authorised as chief representative of %(dept)s.")
                                   % {"dept": department.name}, code="not_chief_representative")
        exclusion = on_site_exclusion(application)
        if exclusion is not None:
            raise StateConflict(str(ON_SITE_EXCLUSIONS[exclusion]), code=exclusion)
        stages = list(for_update(application.stages.order_by("id")))
        claimed = next((s for s in stages if s.status == StageStatus.CLAIMED and s.assignee_id != actor.pk), None)
        if claimed is not None:
            raise StateConflict(_("A reviewer (%(user)s) already works on this application in the back office.")
                                % {"user": claimed.assignee.get_username()}, code="claimed_by_other")
        entries = []
        for stage in stages:
            if stage.status in OPEN_STAGE:
                before = stage.status
                if stage.status == StageStatus.PENDING:
                    transition_run(stage, "claim")
                transition_run(stage, "approve")
                stage.assignee, stage.claimed_at, stage.decided_at, stage.decided_by = actor, now, now, actor
                stage.opinion = opinion or _("decided on site by the chief representative")
                stage.save()
                entries.append(_entry(stage, "approve_on_site", before, stage.status, stage.opinion))
        # 当场受理 missed: the on-site decision came too late to count as completed on site.
        application.onsite = not application.spot_missed
        entries += settle_outcome(application, stages, now=now, actor=actor)
        audit_log_many(actor=actor, entries=entries, at=now)
    return application
