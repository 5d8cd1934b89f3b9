"""中介服务 on applications (seed 001 lines 369, 403; issue 13 item 8): a testing, surveying or
appraisal service published for the item is ordered during review and tracked like a stage, on
its own published limit. While it runs, the application's and every department's clocks stand
still (excluded time, Administrative Licensing Law art. 45), so the intermediary's time is
visible on its own and never eats a department's limit; its completion starts them again."""

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from approvals import documents, notifications, permissions
from approvals.locks import application_lock
from approvals.models import (
    Application, ExcludedProcedure, IntermediaryStage, IntermediaryStatus, Stage, Status, SuspensionKind,
)
from approvals.review import clock_freeze, clock_unfreeze
from portal.api.timestamps import iso
from portal.audit.services import audit_log
from portal.catalogue.models import IntermediaryKind, IntermediaryService
from portal.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from portal.locking import for_update
from portal.organisation import roles
from portal.pagination import Ordering
from portal.transitions import transition_run
from portal.workcalendar.calendar import get_work_calendar
from portal.web.list_filters import during

# The statutory excluded procedure (art. 45) each kind of intermediary service stands for.
EXCLUDED_AS = {IntermediaryKind.TESTING: ExcludedProcedure.TESTING,
               IntermediaryKind.APPRAISAL: ExcludedProcedure.APPRAISAL,
               IntermediaryKind.SURVEYING: ExcludedProcedure.OTHER}


def may_order(user, application: Application) -> bool:
    """A reviewer or head of a department reviewing the application, or a supervisor."""
    if user.is_superuser or roles.has_role(user, roles.SUPERVISOR):
        return True
    department_id = permissions.staff_department_id(user)
    return department_id is not None and (roles.has_role(user, roles.REVIEWER)
                                          or roles.has_role(user, roles.DEPARTMENT_HEAD)) and \
        Stage.objects.filter(application=application, department_id=department_id).exists()


def may_complete(user, application: Application) -> bool:
    """The department that ordered it, or the window that receives the intermediary's report."""
    return may_order(user, application) or permissions.is_clerk(user)


def intermediary_start(*, actor, application_id, service_code: str) -> IntermediaryStage:
    """中介服务 ordered: only one the catalogue publishes for the item; the departments' clocks
    stand still and the intermediary's own clock (its published limit) starts. The applicant
    is told in writing what it is for, who does it, how long it should take and its fee."""
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id)
        if not may_order(actor, application):
            raise PermissionDenied()
        service = application.service.intermediary_services.filter(code=(service_code or "").strip(),
                                                                   published=True).first()
        if service is None:
            raise ValidationFailed(_("This intermediary service is not published for this item."),
                                   code="not_for_this_item", fields={"service": [_("Unknown intermediary service.")]})
        if application.status != Status.IN_REVIEW:
            raise StateConflict(_("An intermediary service is ordered while the application is in review."),
                                code="invalid_state")
        before = transition_run(application, "suspend")
        clock_freeze(application, now)
        application.suspension_kind = SuspensionKind.INTERMEDIARY
        application.suspension_reason = EXCLUDED_AS[service.kind]
        with translation.override(settings.LANGUAGE_CODE):  # a record, in the site's language
            application.suspension_note = _("%(service)s by %(provider)s; fee %(fee)s yuan (%(basis)s)") % {
                "service": service.name, "provider": service.provider, "fee": service.fee_amount,
                "basis": service.fee_basis}
        application.suspension_expected_days = service.days
        application.save()
        stage = IntermediaryStage.objects.create(
            application=application, service=service, days=service.days, fee_amount=service.fee_amount,
            started_by=actor, started_at=now,
            due_at=get_work_calendar().due_at(timezone.localdate(now), service.days).due_at)
        documents.issue_suspension(application=application, actor=actor)
        audit_log(actor=actor, obj=application, action="intermediary_start", from_status=before,
                  to_status=application.status, note=service.name,
                  data={"intermediary": stage.pk, "due_at": stage.due_at.isoformat(),
                        "remaining": application.remaining_days_frozen})
        notifications.notify_applicant(application, "suspended")
    return stage


def _locked(intermediary_id) -> tuple[Application, IntermediaryStage]:
    application_id = IntermediaryStage.objects.filter(pk=intermediary_id).values_list(
        "application_id", flat=True).first()
    if application_id is None:
        raise NotFound()
    application = application_lock(application_id)
    return application, for_update(IntermediaryStage.objects.filter(pk=intermediary_id)).select_related(
        "service").get()


def intermediary_complete(*, actor, intermediary_id, report: str = "") -> IntermediaryStage:
    """The intermediary's report is in: its time is recorded (working days taken, past its limit
    or not) and the departments' clocks run again with the days they had left."""
    now = timezone.now()
    with transaction.atomic():
        application, stage = _locked(intermediary_id)
        if not may_complete(actor, application):
            raise PermissionDenied()
        transition_run(stage, "complete")
        stage.completed_by, stage.completed_at, stage.report = actor, now, (report or "").strip()
        stage.working_days_used = get_work_calendar().working_days_between(
            timezone.localdate(stage.started_at), timezone.localdate(now))
        stage.save()
        before = transition_run(application, "resume")
        clock_unfreeze(application, now)
        application.save()
        audit_log(actor=actor, obj=application, action="intermediary_complete", from_status=before,
                  to_status=application.status, note=stage.service.name,
                  data={"intermediary": stage.pk, "working_days": stage.working_days_used,
                        "overdue": now > stage.due_at, "due_at": application.due_at.isoformat()})
        notifications.notify_applicant(application, "resumed")
    return stage


def intermediary_cancel_running(*, application: Application, now) -> None:
    """A withdrawn application needs its intermediary no more (caller holds the application's lock)."""
    for stage in for_update(IntermediaryStage.objects.filter(application=application,
                                                             status=IntermediaryStatus.RUNNING)):
        stage.cancel()
        stage.completed_at = now
        stage.save(update_fields=["status", "completed_at"])


def intermediary_output(stage: IntermediaryStage, now=None) -> dict:
    now = now or timezone.now()
    return {"id": stage.pk, "application": stage.application_id, "application_number": stage.application.number,
            "service": stage.service.code, "name": stage.service.display_name,
            "kind": stage.service.kind, "provider": stage.service.provider, "status": stage.status,
            "days": stage.days, "fee": str(stage.fee_amount), "started_at": iso(stage.started_at),
            "due_at": iso(stage.due_at), "completed_at": iso(stage.completed_at),
            "working_days_used": stage.working_days_used,
            "overdue": stage.status != IntermediaryStatus.CANCELLED and (stage.completed_at or now) > stage.due_at,
            "report": stage.report}


def intermediaries_of(application: Application) -> list[IntermediaryStage]:
    return list(application.intermediary_stages.select_related("service").order_by("id"))


# Soonest due first; keyset pages (portal.pagination).
INTERMEDIARY_ORDER = Ordering(("due_at", "id"))


def intermediary_stages_visible_to(user, *, status: str | None = None, overdue: bool | None = None,
                                   now=None) -> QuerySet[IntermediaryStage]:
    """中介服务 on the applications ``user`` may see, soonest due first: the running ones past
    their own limit are what a supervisor chases (``overdue``)."""
    now = now or timezone.now()
    stages = IntermediaryStage.objects.filter(
        application__in=permissions.applications_visible_to(user)).select_related("service", "application")
    if status:
        stages = stages.filter(status=status)
    if overdue is True:
        stages = stages.filter(Q(status=IntermediaryStatus.RUNNING, due_at__lt=now)
                               | Q(status=IntermediaryStatus.COMPLETED, completed_at__gt=F("due_at")))
    return stages.order_by("due_at", "id")


def intermediary_stage_search(stages: QuerySet[IntermediaryStage], *, q: str | None = None, service=None,
                              due_from=None, due_until=None) -> QuerySet[IntermediaryStage]:
    """``stages`` narrowed by the list's filters: the application's number ``q`` (exact, any
    case) or its applicant's name (exact); the intermediary service; due in [``due_from``,
    ``due_until``)."""
    if q:
        q = q.strip()
        stages = stages.filter(Q(application__number=q.upper()) | Q(application__applicant_name=q))
    if service is not None:
        stages = stages.filter(service=service)
    return during(stages, "due_at", due_from, due_until)


def intermediary_figures(user, *, now=None) -> list[dict]:
    """Per intermediary service: how often it was ordered, how many run, how many passed their own
    limit, and the working days it took on average (电子监察 of 中介服务), over the applications
    ``user`` may read (a township supervisor: his township's)."""
    now = now or timezone.now()
    late = Q(status=IntermediaryStatus.RUNNING, due_at__lt=now) | Q(
        status=IntermediaryStatus.COMPLETED, completed_at__gt=F("due_at"))
    rows = {r["service"]: r for r in IntermediaryStage.objects.filter(
        application__in=permissions.applications_visible_to(user)).values("service").annotate(
        ordered=Count("id"), running=Count("id", filter=Q(status=IntermediaryStatus.RUNNING)),
        completed=Count("id", filter=Q(status=IntermediaryStatus.COMPLETED)), late=Count("id", filter=late),
        average=Avg("working_days_used", filter=Q(status=IntermediaryStatus.COMPLETED)))}
    out = []
    for service in IntermediaryService.objects.order_by("code"):
        row = rows.get(service.pk, {})
        out.append({"code": service.code, "name": service.display_name, "kind": service.kind,
                    "provider": service.provider, "days": service.days,
                    "ordered": row.get("ordered", 0), "running": row.get("running", 0),
                    "completed": row.get("completed", 0), "late": row.get("late", 0),
                    "average_working_days": round(row["average"], 1) if row.get("average") is not None else None})
    return out
