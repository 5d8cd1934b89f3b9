"""Write operations on applications (一窗受理, 一次性告知, 逾期不告知视为受理).

Every service is keyword-only, runs in one transaction, locks the application row
(``select_for_update``) before a transition, writes the audit trail, and defers
side effects (e-mail) until after commit.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import (
    documents, fees, green_channel, intermediaries, notifications, permissions, projects, referrals, selectors,
)
from approvals.corrections import correction_items_check, correction_notice_write
from approvals.locks import application_lock, application_save, upload_lock
from approvals.models import (
    OPEN_STAGE, ApplicantProfile, Application, Channel, ConcernedDepartment, CorrectionNotice, MaterialFile, Stage,
    StageStatus, Status, SuspensionKind,
)
from approvals.review import application_resume_after_correction
from approvals.uploads import sniff_upload
from portal.validation import id_number_problem, mobile_problem
from portal.bulk import insert_instance, reserve_one_each
from portal.audit.models import AuditEvent
from portal.audit.services import audit_log
from portal.catalogue.selectors import published_catalogue, published_item
from portal.errors import StateConflict, ValidationFailed, required_text
from portal.locking import for_update
from portal.transitions import transition_run
from django.utils.timezone import localdate as local_date
from portal.workcalendar.calendar import get_work_calendar


@dataclass(frozen=True)
class ApplicantData:
    name: str
    id_number: str
    phone: str
    email: str = ""


def _validate_applicant(data: ApplicantData) -> ApplicantData:
    fields: dict[str, list[str]] = {}
    if not data.name.strip():
        fields["applicant.name"] = [_("The applicant's name is required.")]
    problem = id_number_problem(data.id_number)
    if problem:
        fields["applicant.id_number"] = [problem]
    problem = mobile_problem(data.phone)
    if problem:
        fields["applicant.phone"] = [problem]
    if fields:
        raise ValidationFailed(_("Some applicant data is not valid."), fields=fields)
    return ApplicantData(data.name.strip(), data.id_number.strip().upper(), data.phone.strip(), data.email.strip())


def application_create(*, actor, service_code: str, applicant: ApplicantData, proxy_consent: str = "",
                       project: str = "") -> Application:
    """Open a draft. A citizen applies for himself online; a window clerk takes in a
    walk-in on the applicant's behalf (one queue for both, 一窗受理); a proxy officer of a
    village proxy point applies for a citizen with his recorded consent, free of charge (代办).
    An application filed under a key project (重点项目, ``project`` code) runs on its green
    channel (绿色通道) and is followed by its project manager."""
    service = published_item(service_code)  # the cached catalogue: only published items
    if service is None:
        raise ValidationFailed(
            _("There is no published service item with this code; only catalogue items can be applied for."),
            fields={"service": [_("Unknown service item.")]},
        )
    applicant = _validate_applicant(applicant)
    key_project = projects.project_for_new_application(actor=actor, code=project)
    walk_in = permissions.is_clerk(actor)
    now = timezone.now()
    center, proxy = None, False
    if walk_in:
        center = referrals.intake_center_check(center=referrals.center_of(actor), service=service)
        proxy = referrals.is_proxy_point(center)
        if proxy:
            proxy_consent = required_text(proxy_consent, "proxy_consent", _(
                "A proxy officer applies only with the applicant's consent: record how and when it was given."))
        else:
            walk_in_waiting_check(actor=actor)
    with transaction.atomic():
        application = Application(
            service=service,
            channel=Channel.PROXY if proxy else Channel.WINDOW if walk_in else Channel.ONLINE,
            proxy_consent=proxy_consent.strip() if proxy else "",
            applicant=None if walk_in else actor,
            applicant_name=applicant.name,
            applicant_id_number=applicant.id_number,
            applicant_phone=applicant.phone,
            applicant_email=applicant.email or ("" if walk_in else actor.email),
            created_by=actor,
            created_at=now,
            intake_clerk=actor if walk_in else None,
            intake_center=center,
            key_project=key_project,
        )
        # The id first (the table's sequence), so that the number that contains it goes in with
        # the row: one INSERT made once per process, not an INSERT and an UPDATE compiled each time.
        # The id of its audit entry in the same statement (one round trip less).
        application.pk, audit_id = reserve_one_each(Application, AuditEvent)
        application.number = f"SQ{local_date(now):%Y%m%d}{application.pk:06d}"
        insert_instance(application)
        ConcernedDepartment.objects.add([(application.pk, service.department_id)])
        event = audit_log(actor=actor, obj=application, action="create", to_status=Status.DRAFT,
                          note=application.get_channel_display(),
                          data={"key_project": key_project.code} if key_project else None, id=audit_id)
    # What its answer would read back (approvals.api.application_detail): a new application has no
    # related rows yet, and its history is this one entry.
    application.known_parts, application.known_events = frozenset(), [event]
    return application


def material_upload(*, actor, application_id, material_code: str, uploaded_file) -> MaterialFile:
    """Attach a file to a required material; the newest file of a material counts. An
    application ``actor`` may not see is a 404 (checked by the row lock's own query)."""
    content_type, extension, digest = sniff_upload(uploaded_file)
    with transaction.atomic():
        application = upload_lock(application_id, visible_to=actor)
        permissions.require_applicant_or_clerk(actor, application)
        answering_reviewer = (application.status == Status.SUSPENDED
                              and application.suspension_kind == SuspensionKind.APPLICANT_CORRECTION)
        if application.status not in (Status.DRAFT, Status.CORRECTION_REQUESTED, Status.SUBMITTED) \
                and not answering_reviewer:
            raise StateConflict(_("Materials can no longer be changed for this application."), code="invalid_state")
        if application.status == Status.SUBMITTED and not permissions.is_clerk(actor):
            raise StateConflict(_("The application is with the window; wait for its answer."), code="invalid_state")
        requirement = material_requirement(application, material_code)
        if requirement is None:
            raise ValidationFailed(_("This item has no such material."),
                                   fields={"material": [_("Unknown material code.")]})
        original_name = uploaded_file.name or requirement.code
        uploaded_file.name = f"{application.number}-{requirement.code}.{extension}"
        material = MaterialFile(
            application=application, requirement=requirement, file=uploaded_file,
            original_name=original_name[:255], content_type=content_type, size=uploaded_file.size,
            sha256=digest, uploaded_by=actor, uploaded_at=timezone.now(),
        )
        # The audit entry's id comes back with the file's row (one round trip less).
        [audit_id] = insert_instance(material, reserve=AuditEvent)
        audit_log(actor=actor, obj=application, action="upload", note=requirement.name,
                  data={"material": requirement.code, "sha256": digest}, id=audit_id)
    return material


def material_requirement(application: Application, code: str):
    """The item's material ``code`` (None if it has none), from the cached catalogue; an item
    no longer published is read from the database."""
    item = _catalogue_item(application)
    if item is not None:
        return next((r for r in item.materials.all() if r.code == code), None)
    return application.service.materials.filter(code=code).first()


def _catalogue_item(application: Application):
    """The application's item as the cached catalogue holds it (materials, stages, department and
    its center read along), or None when the item is no longer published."""
    return next((item for item in published_catalogue() if item.pk == application.service_id), None)


def missing_materials(application: Application, *, since=None) -> list[dict]:
    """Every required material without a file (or without one newer than ``since``). Without
    ``since``, the files read (with their materials) are kept on ``application`` for the
    service's answer (``selectors.application_files``): read under the row lock that every
    upload takes, they are the application's files until the transaction ends."""
    if since is None:
        files = application._files_read = selectors.application_files(application)
        have = {f.requirement_id for f in files}
    else:
        have = set(application.files.filter(uploaded_at__gt=since).values_list("requirement_id", flat=True))
    return [
        {"material": r.code, "name": r.name}
        for r in application.service.materials.all()
        if r.required and r.pk not in have
    ]


def _materials_missing_error(missing: list[dict]) -> ValidationFailed:
    names = "、".join(m["name"] for m in missing)
    return ValidationFailed(
        _("Required materials are missing: %(names)s. Please provide all of them.") % {"names": names},
        code="materials_missing",
        fields={"materials": missing},
    )


def _mark_received(application: Application, now) -> None:
    """Materials received: the 5-working-day clock of deemed acceptance starts (art. 32)."""
    application.submitted_at = now
    deadline = get_work_calendar().due_at(local_date(now), settings.DEEMED_ACCEPTANCE_WORKING_DAYS)
    application.intake_due_at = deadline.due_at


def application_submit(*, actor, application_id, visible_to=None) -> Application:
    """Submit a draft. Online, a submission lacking required materials is refused with
    ALL of them listed in one answer (一次性告知). With ``visible_to`` (a user), an application
    he may not see is a 404, checked by the row lock's own query."""
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id, visible_to=visible_to)
        permissions.require_applicant_or_clerk(actor, application)
        _from_catalogue(application)  # the item's materials
        if application.channel == Channel.ONLINE and application.status == Status.DRAFT:
            missing = missing_materials(application)
            if missing:
                raise _materials_missing_error(missing)
        spot = application.channel == Channel.WINDOW and not missing_materials(application) \
            and not application.correction_notices.exists()
        if spot:
            walk_in_waiting_check(actor=actor, other_than=application.pk)
        before = transition_run(application, "submit")
        _mark_received(application, now)
        if spot:
            application.spot_due_at = spot_intake_due_at(now)
        application_save(application)
        audit_log(actor=actor, obj=application, action="submit", from_status=before, to_status=application.status,
                  data={"spot_due_at": application.spot_due_at.isoformat()} if spot else None)
    return application


def spot_intake_due_at(now):
    """当场受理: the end of the working day the complete materials were handed in (the next
    working day's end if they came in on a day off)."""
    return get_work_calendar().due_at(local_date(now) - timedelta(days=1), 1).due_at


def walk_in_waiting_check(*, actor, other_than=None) -> None:
    """当场受理: a clerk answers the complete walk-in in front of him (accept or refuse) before
    he takes in the next one."""
    waiting = Application.objects.filter(created_by=actor, channel=Channel.WINDOW, status=Status.SUBMITTED,
                                         spot_due_at__isnull=False).exclude(pk=other_than).order_by("id").first()
    if waiting is not None:
        raise StateConflict(
            _("Walk-in %(number)s handed in every material: accept or refuse it on the spot before taking in "
              "the next one (当场受理).") % {"number": waiting.number}, code="walk_in_waiting")


def correction_notice_issue(*, actor, application_id, items: list[dict], note: str = "") -> CorrectionNotice:
    """一次性告知: one notice naming every problem. A later notice may only repeat
    materials of the first notice; anything new had to be seen the first time."""
    permissions.require_clerk(actor)
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id)
        requirements = {r.code: r for r in application.service.materials.all()}
        correction_items_check(items, requirements,
                               first=application.correction_notices.order_by("sequence").first())
        before = transition_run(application, "request_correction")
        application_save(application)
        notice = correction_notice_write(application=application, items=items, requirements=requirements,
                                         actor=actor, now=now, note=note)
        audit_log(actor=actor, obj=application, action="correction_notice", from_status=before,
                  to_status=application.status, note="；".join(f"{requirements[i['material']].name}：{i['reason']}" for i in items))
        notifications.notify_applicant(application, "correction_requested")
    return notice


def application_resubmit(*, actor, application_id) -> Application:
    """The applicant answers a correction notice. At intake the 5-day clock starts again;
    during review (the reviewer's request suspended the application) the clock resumes."""
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id)
        permissions.require_applicant_or_clerk(actor, application)
        if application.status in (Status.CORRECTION_REQUESTED, Status.SUSPENDED) and \
                application.channel == Channel.ONLINE:
            notice = application.correction_notices.order_by("-sequence").first()
            missing = missing_materials(application)
            if notice is not None:
                renewed = set(application.files.filter(uploaded_at__gt=notice.issued_at)
                              .values_list("requirement_id", flat=True))
                codes = {m["material"] for m in missing}
                missing += [
                    {"material": i.requirement.code, "name": i.requirement.name}
                    for i in notice.items.select_related("requirement")
                    if i.requirement_id not in renewed and i.requirement.code not in codes
                ]
            if missing:
                raise _materials_missing_error(missing)
        if application.status == Status.SUSPENDED:
            before = application_resume_after_correction(actor=actor, application=application, now=now)
        else:
            before = transition_run(application, "resubmit")
            _mark_received(application, now)
            application_save(application)
        audit_log(actor=actor, obj=application, action="resubmit", from_status=before, to_status=application.status)
    return application


def _from_catalogue(application: Application) -> None:
    """Give ``application`` its item as the cached catalogue holds it (stages, department and
    its center read along) while the item is published: acceptance read them in three queries."""
    item = _catalogue_item(application)
    if item is not None:
        application.service = item


def _start_clocks(application: Application, *, accepted_at) -> None:
    """限时办结: the limit runs from the acceptance date; one stage per department. A key
    project's application runs every stage on the project's shorter limit (绿色通道)."""
    calendar = get_work_calendar()
    start = local_date(accepted_at)
    application.green_channel_days = green_channel.green_channel_days(application)
    committed = green_channel.committed_limit(application)
    deadline = calendar.due_at(start, committed)
    application.accepted_at = accepted_at
    application.due_at = deadline.due_at
    application.warn_at = calendar.warn_at(start, committed)
    application.due_provisional = deadline.provisional
    application.clock_start, application.clock_days = start, committed
    stages = []
    service = application.service
    plan = list(service.stages.all() if "stages" in getattr(service, "_prefetched_objects_cache", {})
                else service.stages.select_related("department"))
    if plan:
        steps = [(s.department, min(s.days, committed), s.lead) for s in plan]
    else:
        steps = [(application.service.department, committed, True)]
    for department, days, lead in steps:
        stage_deadline = calendar.due_at(start, days)
        stages.append(Stage(
            application=application, department=department, lead=lead, status=StageStatus.PENDING, days=days,
            deemed_approval=application.service.deemed_approval,
            started_at=accepted_at, due_at=stage_deadline.due_at, warn_at=calendar.warn_at(start, days),
            clock_start=start, clock_days=days,
        ))
    Stage.objects.bulk_create(stages)
    # 协办: the other departments' stages make the application theirs too (its item's is recorded).
    ConcernedDepartment.objects.add([(application.pk, stage.department_id) for stage in stages
                                     if stage.department_id != service.department_id])
    if all(stage.pk is not None for stage in stages):
        # The answer shows them (selectors.stages_listed): kept rather than read back.
        application._prefetched_objects_cache = {**getattr(application, "_prefetched_objects_cache", {}),
                                                 "stages": sorted(stages, key=lambda stage: stage.pk)}


def application_accept(*, actor, application_id) -> Application:
    """受理: accept, start the clock, issue the receipt with the legal deadline. A village proxy
    point takes in and hands out but does not accept (代办点 is not an approving window)."""
    permissions.require_clerk(actor)
    referrals.require_accepting_center(actor)
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id)
        _from_catalogue(application)
        before = transition_run(application, "accept")
        application.intake_clerk = actor
        _start_clocks(application, accepted_at=now)
        application_save(application)
        documents.issue_receipt(application=application, actor=actor)
        fees.payment_notice_on_acceptance(application=application, actor=actor, now=now)
        referrals.referral_open(application=application, actor=actor, now=now)
        audit_log(actor=actor, obj=application, action="accept", from_status=before, to_status=application.status,
                  data={"due_at": application.due_at.isoformat()})
        notifications.notify_applicant(application, "accepted")
    return application


def application_refuse(*, actor, application_id, reason: str, legal_basis: str) -> Application:
    """不予受理: with the reason, its legal basis and the means of redress."""
    permissions.require_clerk(actor)
    fields = {}
    if not (reason or "").strip():
        fields["reason"] = [_("The reason is required.")]
    if not (legal_basis or "").strip():
        fields["legal_basis"] = [_("The legal basis is required.")]
    if fields:
        raise ValidationFailed(_("A refusal states its reason and legal basis."), fields=fields)
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id)
        before = transition_run(application, "refuse")
        application.refusal_reason = reason.strip()
        application.refusal_legal_basis = legal_basis.strip()
        application.decided_at = now
        application.intake_clerk = actor
        application_save(application)
        documents.issue_refusal(application=application, actor=actor)
        audit_log(actor=actor, obj=application, action="refuse", from_status=before, to_status=application.status,
                  note=reason.strip())
        notifications.notify_applicant(application, "not_accepted")
    return application


def application_withdraw(*, actor, application_id, reason: str = "") -> Application:
    """撤回: the applicant withdraws; open stages are cancelled."""
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id)
        permissions.require_applicant_or_clerk(actor, application)
        before = transition_run(application, "withdraw")
        application.withdrawn_at = now
        application_save(application)
        for stage in for_update(application.stages.filter(status__in=OPEN_STAGE).order_by("id")):
            stage.cancel()
            stage.save()
        intermediaries.intermediary_cancel_running(application=application, now=now)
        fees.payment_on_denial(application=application, actor=actor, now=now, reason=_("application withdrawn"))
        audit_log(actor=actor, obj=application, action="withdraw", from_status=before, to_status=application.status,
                  note=reason)
    return application


def application_deem_accept(*, application: Application, now) -> None:
    """逾期不告知视为受理 (Administrative Licensing Law art. 32): no answer within 5
    working days means accepted, dated the day the materials were received.
    The caller holds the row lock and has checked the intake deadline passed."""
    before = transition_run(application, "accept")
    application.deemed_accepted = True
    _start_clocks(application, accepted_at=application.submitted_at)
    application_save(application)
    documents.issue_receipt(application=application, actor=None)
    fees.payment_notice_on_acceptance(application=application, actor=None, now=now)
    referrals.referral_open(application=application, actor=application.created_by, now=now)
    audit_log(actor=None, obj=application, action="deemed_accept", from_status=before,
              to_status=application.status, note=_("accepted by operation of law: no answer within the limit"),
              at=now)
    notifications.notify_applicant(application, "accepted")


def applicant_profile_save(*, user, applicant: ApplicantData) -> None:
    """Keep the citizen's details for his next application (he ticked "remember")."""
    applicant = _validate_applicant(applicant)
    ApplicantProfile.objects.update_or_create(user=user, defaults={
        "name": applicant.name, "id_number": applicant.id_number, "phone": applicant.phone,
        "email": applicant.email})
