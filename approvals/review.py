"""Review after acceptance: parallel stages (并联审批), suspension, extension (限时办结),
and the outcome. Every service locks the application row first and then its
stages, in that order, like the deadline sweep, so they serialise without deadlock.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import documents, notifications, permissions
from approvals.models import (
    OPEN_STAGE, Application, CorrectionItem, CorrectionNotice, ExcludedProcedure, Stage, StageStatus, Status,
    SuspensionKind,
)
from approvals.services import _locked, _transition
from portal.audit.services import AuditEntry, audit_log, audit_log_many
from portal.catalogue.models import HandlingType
from portal.errors import NotFound, StateConflict, ValidationFailed
from portal.workcalendar.calendar import get_work_calendar

MAX_EXTENSION = 10
MAX_EXTENSION_JOINT = 15


def _locked_stage(stage_id) -> tuple[Application, Stage]:
    application_id = Stage.objects.filter(pk=stage_id).values_list("application_id", flat=True).first()
    if application_id is None:
        raise NotFound()
    application = _locked(application_id)
    return application, Stage.objects.select_for_update().select_related("department").get(pk=stage_id)


def _stage_transition(stage: Stage, name: str) -> str:
    method = getattr(stage, name)
    from django_fsm import can_proceed

    if not can_proceed(method):
        raise StateConflict(
            _("This stage is %(status)s; the action is no longer possible.") % {"status": stage.get_status_display()},
            code="invalid_state",
        )
    before = stage.status
    method()
    return before


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


def settle_outcome(application: Application, stages: list[Stage], *, now, actor) -> list[AuditEntry]:
    """SPEC §4/§6: denied when any stage denies (the open ones are cancelled); approved
    when every stage is approved or deemed approved — deemed_approved if any was."""
    entries: list[AuditEntry] = []
    statuses = {s.status for s in stages}
    if StageStatus.DENIED in statuses:
        for stage in stages:
            if stage.status in OPEN_STAGE:
                before = stage.status
                stage.cancel()
                stage.save(update_fields=["status"])
                entries.append(_entry(stage, "cancel", before, stage.status, _("another department denied")))
        before = _transition(application, "deny")
        application.outcome = Status.DENIED
    elif statuses <= {StageStatus.APPROVED, StageStatus.DEEMED_APPROVED}:
        deemed = StageStatus.DEEMED_APPROVED in statuses
        before = _transition(application, "deem_approve" if deemed else "approve")
        application.outcome = Status.DEEMED_APPROVED if deemed else Status.APPROVED
        application.certificate_number = certificate_number(application, now)
    else:
        return entries
    application.decided_at = now
    application.alert = application.alert if application.alert == "red" else "none"
    application.save()
    if application.outcome == Status.DENIED:
        documents.issue_decision(application=application, stages=stages, actor=actor)
    else:
        documents.issue_certificate(application=application, actor=actor)
    entries.append(_entry(application, "decide", before, application.status,
                          data={"certificate_number": application.certificate_number}))
    notifications.notify_applicant(application, "decided")
    return entries


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
        before = _stage_transition(stage, "claim")
        stage.assignee, stage.claimed_at = actor, now
        stage.save()
        audit_log(actor=actor, obj=stage, action="claim", from_status=before, to_status=stage.status)
    return stage


def _decide_stage(*, actor, stage_id, transition: str, opinion: str) -> Stage:
    now = timezone.now()
    with transaction.atomic():
        application, stage = _locked_stage(stage_id)
        permissions.require_stage_reviewer(actor, stage)
        _require_running(application)
        entries = []
        if stage.status == StageStatus.PENDING:
            # Deciding an unclaimed stage claims it first, on the record.
            before = _stage_transition(stage, "claim")
            stage.assignee, stage.claimed_at = actor, now
            entries.append(_entry(stage, "claim", before, stage.status))
        elif stage.status == StageStatus.CLAIMED and stage.assignee_id != actor.pk:
            raise StateConflict(_("This stage is claimed by %(user)s; only they can decide it.")
                                % {"user": stage.assignee.get_username()}, code="claimed_by_other")
        before = _stage_transition(stage, transition)
        stage.decided_at, stage.decided_by, stage.opinion = now, actor, opinion
        stage.save()
        entries.append(_entry(stage, transition, before, stage.status, opinion))
        stages = list(application.stages.select_for_update().order_by("id"))
        entries += settle_outcome(application, stages, now=now, actor=actor)
        audit_log_many(actor=actor, entries=entries, at=now)
    return stage


def stage_approve(*, actor, stage_id, opinion: str = "") -> Stage:
    """同意: the department approves its stage, with its opinion."""
    return _decide_stage(actor=actor, stage_id=stage_id, transition="approve", opinion=opinion.strip())


def stage_deny(*, actor, stage_id, reason: str) -> Stage:
    """不予许可: a denial states its reason; the other open stages are cancelled."""
    if not (reason or "").strip():
        raise ValidationFailed(_("A denial states its reason."), fields={"reason": [_("The reason is required.")]})
    return _decide_stage(actor=actor, stage_id=stage_id, transition="deny", opinion=reason.strip())


def _freeze(application: Application, now) -> None:
    """Suspension freezes the remaining working days of the application and its open stages."""
    calendar = get_work_calendar()
    application.remaining_days_frozen = calendar.remaining_working_days(now, application.due_at)
    application.suspended_at = now
    application.due_at = application.warn_at = None
    for stage in application.stages.select_for_update().filter(status__in=OPEN_STAGE):
        stage.remaining_days_frozen = calendar.remaining_working_days(now, stage.due_at)
        stage.due_at = stage.warn_at = None
        stage.save(update_fields=["remaining_days_frozen", "due_at", "warn_at"])


def _unfreeze(application: Application, now) -> None:
    """On resumption the remaining days run from the day after the resumption date."""
    calendar = get_work_calendar()
    today = timezone.localdate(now)
    remaining = application.remaining_days_frozen or 0
    deadline = calendar.due_at(today, remaining)
    application.due_at, application.due_provisional = deadline.due_at, deadline.provisional
    application.clock_start, application.clock_days = today, remaining
    application.warn_at = calendar.warn_at(today, remaining, limit=application.service.committed_days)
    if application.suspended_at is not None:
        application.suspended_days_total += calendar.working_days_between(
            timezone.localdate(application.suspended_at), today)
    application.remaining_days_frozen = None
    application.suspended_at = None
    application.suspension_kind = application.suspension_reason = ""
    application.suspension_note = ""
    application.suspension_expected_days = None
    application.alert = "none"
    for stage in application.stages.select_for_update().filter(status__in=OPEN_STAGE):
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
        codes = _validate_items(items, requirements)
        first = application.correction_notices.filter(stage=stage).order_by("sequence").first()
        if first is not None:
            new = sorted(codes - set(first.items.values_list("requirement__code", flat=True)))
            if new:
                raise ValidationFailed(
                    _("A later notice may only repeat materials of the first notice; these were not in it: "
                      "%(codes)s (一次性告知).") % {"codes": ", ".join(new)}, code="one_time_notice")
        before = _transition(application, "suspend")
        _freeze(application, now)
        application.suspension_kind = SuspensionKind.APPLICANT_CORRECTION
        application.suspension_note = note
        application.save()
        notice = CorrectionNotice.objects.create(
            application=application, stage=stage, sequence=application.correction_notices.count() + 1,
            issued_by=actor, issued_at=now, note=note)
        CorrectionItem.objects.bulk_create(
            CorrectionItem(notice=notice, requirement=requirements[i["material"]], reason=i["reason"].strip())
            for i in items)
        documents.issue_correction_notice(notice=notice, actor=actor)
        audit_log(actor=actor, obj=application, action="request_correction", from_status=before,
                  to_status=application.status, note=f"{stage.department.code}: " + "; ".join(
                      f"{i['material']}: {i['reason']}" for i in items))
        notifications.notify_applicant(application, "correction_requested")
    return notice


def _validate_items(items, requirements) -> set[str]:
    if not items:
        raise ValidationFailed(_("A correction notice lists at least one material."),
                               fields={"items": [_("This list may not be empty.")]})
    errors, seen = {}, set()
    for index, item in enumerate(items):
        code, reason = item.get("material"), (item.get("reason") or "").strip()
        if code not in requirements:
            errors[f"items.{index}.material"] = [_("Unknown material code.")]
        elif code in seen:
            errors[f"items.{index}.material"] = [_("This material is listed twice.")]
        seen.add(code)
        if not reason:
            errors[f"items.{index}.reason"] = [_("Say what is missing or wrong.")]
    if errors:
        raise ValidationFailed(_("The correction notice is not complete."), fields=errors)
    return seen


def application_resume_after_correction(*, actor, application: Application, now) -> str:
    """The applicant's resubmission ends a reviewer's correction suspension (caller holds the lock)."""
    if application.suspension_kind != SuspensionKind.APPLICANT_CORRECTION:
        raise StateConflict(_("The clock is suspended for a statutory procedure; the department resumes it."),
                            code="invalid_state")
    before = _transition(application, "resume")
    _unfreeze(application, now)
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
        application = _locked(application_id)
        permissions.require_head_of_application(actor, application)
        before = _transition(application, "suspend")
        _freeze(application, now)
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
        application = _locked(application_id)
        permissions.require_head_of_application(actor, application)
        if application.suspension_kind == SuspensionKind.APPLICANT_CORRECTION:
            raise StateConflict(_("The clock waits for the applicant's corrections; their resubmission resumes it."),
                                code="invalid_state")
        before = _transition(application, "resume")
        _unfreeze(application, now)
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
        application = _locked(application_id)
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
        total = application.service.committed_days + working_days
        application.due_at, application.due_provisional = deadline.due_at, deadline.provisional
        # n working days after d, then N more, is n + N working days after d.
        application.clock_days = (application.clock_days or 0) + working_days
        application.warn_at = calendar.warn_at(old_due, working_days, limit=total)
        if application.warn_at > now:
            application.alert = "none"
        application.extended_days, application.extension_reason, application.extended_by = (
            working_days, reason.strip(), actor)
        application.save()
        for stage in application.stages.select_for_update().filter(status__in=OPEN_STAGE):
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
        application = _locked(application_id)
        before = _transition(application, "hand_over")
        application.issued_at = now
        application.save()
        audit_log(actor=actor, obj=application, action="hand_over", from_status=before, to_status=application.status)
        notifications.notify_applicant(application, "issued")
    return application


def application_decide_on_site(*, actor, application_id, opinion: str = "") -> Application:
    """首席代表制: a clerk authorised by the department decides its immediate item at the
    counter right after acceptance (现场办结)."""
    permissions.require_clerk(actor)
    now = timezone.now()
    with transaction.atomic():
        application = _locked(application_id)
        _require_running(application)
        profile = getattr(actor, "staff_profile", None)
        department = application.service.department
        if application.service.handling_type != HandlingType.IMMEDIATE:
            raise StateConflict(_("Only immediate items can be decided at the counter."), code="not_immediate")
        if profile is None or not profile.chief_representative_for.filter(pk=department.pk).exists():
            from portal.errors import PermissionDenied

            raise PermissionDenied(_("You are not authorised as chief representative of %(dept)s.")
                                   % {"dept": department.name}, code="not_chief_representative")
        stages = list(application.stages.select_for_update().order_by("id"))
        entries = []
        for stage in stages:
            if stage.status in OPEN_STAGE:
                before = stage.status
                stage.claim()
                stage.approve()
                stage.assignee, stage.claimed_at, stage.decided_at, stage.decided_by = actor, now, now, actor
                stage.opinion = opinion or _("decided on site by the chief representative")
                stage.save()
                entries.append(_entry(stage, "approve_on_site", before, stage.status, stage.opinion))
        application.onsite = True
        entries += settle_outcome(application, stages, now=now, actor=actor)
        audit_log_many(actor=actor, entries=entries, at=now)
    return application

