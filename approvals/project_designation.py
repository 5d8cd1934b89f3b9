"""项目经理制 / 绿色通道 (seed 001 line 43: "对重点企业、重点项目、重点工程，要建立并联审批的'绿色通道'";
"以后项目进来后，交由项目经理全程跟踪、督办、负责"): a supervisor (电子监察 / 效能办) of a center
designates a key project (重点项目) of that center or a center below it, names its project
manager (项目经理) and links the project's applications, and takes it off the green channel
when 特事特办 ends (``key_project_close``). Every change is in the audit trail.

Who may: ``may_designate`` — a supervisor whose own center is the project's or one above it
(a superuser anywhere). Anyone else who may see the project (its manager) gets 403; anyone
who may not see it, 404 (``projects.project_for_user``). Locks: the application's row first,
then the project's (as ``approvals.projects``)."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import emails, permissions, projects, referrals
from approvals.locks import application_lock
from approvals.models import OPEN_STATUSES, Application
from portal.audit.services import AuditEntry, audit_log, audit_log_many
from portal.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from portal.notifications.outbox import enqueue
from portal.locking import for_update
from portal.organisation import roles
from portal.organisation.models import ServiceCenter
from portal.organisation.selectors import in_reach
from projects.models import KeyProject


def may_designate(user, center: ServiceCenter) -> bool:
    """重点项目 are designated by the supervisors of the project's center or of a center above it."""
    return roles.supervises(user) and referrals.may_see_center(user, center)


def designating_centers(user) -> list[ServiceCenter]:
    """The centers ``user`` may designate key projects for: his own and those below it."""
    if user.is_superuser:
        return list(ServiceCenter.objects.order_by("code"))
    own = referrals.center_of(user) if roles.supervises(user) else None
    return referrals.subtree(own) if own is not None else []


def project_managers(actor):
    """The staff ``actor`` may name project manager (项目经理): those who hold the role and work
    within his reach (三级政务服务, ``in_reach``: a township's supervisor names the officials of his
    township and the centers below it; the county's, anyone)."""
    return get_user_model().objects.filter(
        in_reach(actor, "staff_profile__department__center"), is_active=True,
        groups__name=roles.PROJECT_MANAGER).select_related("staff_profile").order_by("username")


def _manager(actor, username: str):
    username = (username or "").strip()
    manager = project_managers(actor).filter(username=username).first()
    if manager is not None:
        return manager
    if get_user_model().objects.filter(is_active=True, groups__name=roles.PROJECT_MANAGER,
                                       username=username).exists():
        raise ValidationFailed(_("You may name a project manager of your center or a center below it only."),
                               code="manager_not_in_reach", fields={"manager": [_("Not an official you supervise.")]})
    raise ValidationFailed(_("The project manager must be a member of staff with the project manager role."),
                           code="not_a_project_manager", fields={"manager": [_("Not a project manager.")]})


def _center(actor, code: str | None) -> ServiceCenter:
    centers = designating_centers(actor)
    if not centers:
        raise PermissionDenied(_("Only a supervisor of a service center designates key projects."))
    if not code:
        own = referrals.center_of(actor)
        return own if own is not None else centers[0]
    center = next((c for c in centers if c.code == code), None)
    if center is None:
        raise ValidationFailed(_("You may designate key projects of your center and the centers below it only."),
                               code="center_not_yours", fields={"center": [_("Not a center you supervise.")]})
    return center


def key_project_designate(*, actor, code: str, name: str, enterprise: str, manager: str, stage_days: int,
                          center: str | None = None, applicant: str | None = None, note: str = "") -> KeyProject:
    """重点项目 designated (绿色通道): the project, its enterprise (and the enterprise's own account,
    which may then file the project's applications online), its project manager (项目经理) and
    the committed limit per stage its applications run on. Of the supervisor's own center unless
    another center below it is named."""
    place = _center(actor, center)
    missing = {field: [_("Required.")] for field, value in (("code", code), ("name", name),
                                                            ("enterprise", enterprise)) if not (value or "").strip()}
    if not isinstance(stage_days, int) or stage_days < 1:
        missing["stage_days"] = [_("At least 1 working day.")]
    if missing:
        raise ValidationFailed(_("Some fields are missing or wrong."), fields=missing)
    person = _manager(actor, manager)
    account = None
    if applicant:
        account = get_user_model().objects.filter(username=applicant.strip(), is_active=True).first()
        if account is None:
            raise ValidationFailed(_("There is no account with this username."), code="unknown_applicant",
                                   fields={"applicant": [_("Unknown account.")]})
    code = (code or "").strip()
    try:
        with transaction.atomic():
            project = KeyProject.objects.create(
                code=code, name=name.strip(), enterprise=enterprise.strip(), center=place, manager=person,
                applicant=account, stage_days=stage_days, active=True, designated_at=timezone.now(),
                note=(note or "").strip())
            audit_log(actor=actor, obj=project, action="project_designate", to_status="active", note=project.note,
                      data={"code": code, "center": place.code, "manager": person.get_username(),
                            "applicant": account.get_username() if account else None, "stage_days": stage_days})
            enqueue(emails.project_designated(project))
    except IntegrityError:
        raise StateConflict(_("A key project with this code exists already."), code="project_exists") from None
    return project


def _changeable(actor, code: str) -> KeyProject:
    """The project if ``actor`` may change it: 404 if he may not see it, 403 if he only may."""
    project = projects.project_for_user(actor, code)
    if not may_designate(actor, project.center):
        raise PermissionDenied(_("Only a supervisor of the project's center changes a key project."))
    return project


def _locked(project: KeyProject) -> KeyProject:
    return for_update(KeyProject.objects.filter(pk=project.pk)).get()


def key_project_manager_assign(*, actor, code: str, manager: str, reason: str) -> KeyProject:
    """项目经理 named anew: the project and every application of it pass to him at once; the
    previous manager no longer sees them. The reason is kept; both are told (inbox and e-mail)."""
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the project changes hands."), fields={"reason": [_("Required.")]})
    with transaction.atomic():
        project = _locked(_changeable(actor, code))
        person = _manager(actor, manager)
        previous = project.manager
        before = previous.get_username()
        if project.manager_id == person.pk:
            raise StateConflict(_("%(name)s manages this project already.") % {"name": person.get_username()},
                                code="same_manager")
        project.manager = person
        project.save(update_fields=["manager"])
        audit_log(actor=actor, obj=project, action="project_manager_assign", note=reason.strip(),
                  data={"from": before, "to": person.get_username()})
        enqueue(emails.project_handed_over(project, previous=previous, reason=reason.strip()))
    return project


def key_project_close(*, actor, code: str, reason: str) -> KeyProject:
    """特事特办 ends: the key project leaves the green channel (绿色通道), with a reason. From then
    on nothing is filed or linked under it, and its applications not yet accepted are accepted
    on their item's own committed limit: no stage of theirs has started, so none gets the
    project's limit. Stages already running keep the limit they were accepted on, to the day —
    a running clock never moves (as for a link, ``approvals.green_channel``): lengthening it
    would take back what the enterprise was promised, and shortening it could lapse it at once.
    Its manager keeps following the applications until they are done, and is told."""
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the project leaves the green channel."), fields={"reason": [_("Required.")]})
    with transaction.atomic():
        project = _locked(_changeable(actor, code))
        if not project.active:
            raise StateConflict(_("The key project is off the green channel already."), code="project_closed")
        project.active = False
        project.save(update_fields=["active"])
        waiting = project.applications.filter(status__in=OPEN_STATUSES, accepted_at__isnull=True).count()
        running = project.applications.filter(status__in=OPEN_STATUSES, accepted_at__isnull=False).count()
        audit_log(actor=actor, obj=project, action="project_close", from_status="active", to_status="closed",
                  note=reason.strip(), data={"not_yet_accepted": waiting, "running": running})
        enqueue(emails.project_closed(project, reason=reason.strip()))
    return project


def _application(actor, number: str) -> Application:
    found = permissions.applications_visible_to(actor).filter(number=(number or "").strip()).values_list(
        "pk", flat=True).first()
    if found is None:
        raise NotFound(_("There is no application with this number that you may see."))
    return application_lock(found)


def key_project_application_link(*, actor, code: str, number: str) -> Application:
    """An application of the project joins it: its manager follows it from now on. One not yet
    accepted runs on the project's green-channel limit from its acceptance; one accepted
    already keeps the limit it was accepted on (a running clock never moves)."""
    with transaction.atomic():
        project = _changeable(actor, code)
        application = _application(actor, number)
        project = _locked(project)
        if not project.active:
            raise StateConflict(_("The key project is off the green channel; no application joins it any more."),
                                code="project_closed")
        if application.status not in OPEN_STATUSES:
            raise StateConflict(_("Only an application still open can join a key project; this one is %(status)s.")
                                % {"status": application.get_status_display()}, code="invalid_state")
        if application.key_project_id == project.pk:
            raise StateConflict(_("The application belongs to this project already."), code="already_linked")
        if application.key_project_id is not None:
            raise StateConflict(_("The application belongs to another key project."), code="linked_elsewhere")
        application.key_project = project
        application.save(update_fields=["key_project"])
        _log_link(actor, project, application, "project_link")
    return application


def key_project_application_unlink(*, actor, code: str, number: str, reason: str) -> Application:
    """An application filed under the project by mistake leaves it, with a reason, as long as it
    has not been accepted: from acceptance its green-channel limit is fixed."""
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the application leaves the project."), fields={"reason": [_("Required.")]})
    with transaction.atomic():
        project = _changeable(actor, code)
        application = _application(actor, number)
        project = _locked(project)
        if application.key_project_id != project.pk:
            raise StateConflict(_("The application does not belong to this project."), code="not_linked")
        if application.accepted_at is not None:
            raise StateConflict(_("The application was accepted on the project's limit; it stays with the project."),
                                code="limit_fixed")
        application.key_project = None
        application.save(update_fields=["key_project"])
        _log_link(actor, project, application, "project_unlink", note=reason.strip())
    return application


def _log_link(actor, project: KeyProject, application: Application, action: str, note: str = "") -> None:
    """The link is a change of both: each one's history shows it."""
    data = {"project": project.code, "application": application.number or application.pk}
    audit_log_many(actor=actor, entries=[
        AuditEntry(object_type=project._meta.model_name, object_id=project.pk, action=action, note=note, data=data),
        AuditEntry(object_type=application._meta.model_name, object_id=application.pk, action=action,
                   from_status=application.status, to_status=application.status, note=note, data=data)])
