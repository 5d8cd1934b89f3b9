"""项目经理制, 绿色通道 and 提前介入 for applications (seed 001 line 43): filing an application
under a key project (重点项目), the project's own view for its manager (项目经理) and the
supervisors of its center, and the pre-application consultation (预审) that checks a draft's
materials before it is formally submitted, without starting any clock. The project and the
pre-review records live in ``projects``; this module ties them to applications (the
application's row lock first, then the pre-review)."""

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.timezone import localdate as local_date
from django.utils.translation import gettext as _

from approvals import intermediaries, permissions, referrals
from approvals.locks import application_lock
from approvals.models import DECIDED_OUTCOMES, OPEN_STATUSES, OPEN_STAGE, Alert, Application, IntermediaryStage, Stage, Status
from portal.api.timestamps import iso
from portal.audit.services import audit_log
from portal.catalogue.models import StageRequirement
from portal.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from portal.locking import for_update
from portal.organisation import roles
from portal.pagination import Ordering
from portal.transitions import transition_run
from portal.workcalendar.calendar import get_work_calendar
from portal.web.list_filters import during
from projects.models import KeyProject, PreReview, PreReviewResult, PreReviewStatus


def project_for_new_application(*, actor, code: str) -> KeyProject | None:
    """绿色通道: an application is filed under a key project by the enterprise's own account or,
    for a walk-in, by the window; the project must be on the green channel."""
    code = (code or "").strip()
    if not code:
        return None
    project = KeyProject.objects.filter(code=code, active=True).first()
    if project is None:
        raise ValidationFailed(_("There is no key project on the green channel with this code."),
                               code="unknown_project", fields={"project": [_("Unknown key project.")]})
    if not (permissions.is_clerk(actor) or project.applicant_id == actor.pk):
        raise ValidationFailed(_("Only the project's enterprise or the window files applications under a key "
                                 "project."), code="not_your_project",
                               fields={"project": [_("Not your key project.")]})
    return project


def projects_to_file_under(user) -> QuerySet:
    """The key projects on the green channel ``user`` may file an application under: the
    enterprise its own, the window any (a city designates hundreds; none is left out)."""
    active = KeyProject.objects.filter(active=True)
    if permissions.is_clerk(user):
        return active
    return active.filter(applicant=user) if user.is_authenticated else active.none()


# At most this many suggestions as one types a project's code or name.
PROJECT_SUGGESTIONS = 20


def project_suggestions(user, typed: str, *, limit: int = PROJECT_SUGGESTIONS) -> list[KeyProject]:
    """What the key-project field of the apply and walk-in forms suggests: at most ``limit`` of
    the projects ``user`` may file under whose code (as typed or in capitals) or name starts with
    ``typed``, by code; nothing typed, the first by code. Prefixes, not substrings: each is a
    range on an index (the code's unique pattern index, the names of the active projects'),
    whatever the number of projects."""
    found = projects_to_file_under(user).only("code", "name").order_by("code")
    typed = (typed or "").strip()
    if typed:
        match = Q(name__startswith=typed)
        for prefix in {typed, typed.upper()}:
            match |= Q(code__startswith=prefix)
        found = found.filter(match)
    return list(found[:limit])


def projects_visible_to(user) -> QuerySet:
    """The project's own view is for its manager (项目经理) and the supervisors of its center or
    of a center above it: the key projects ``user`` may see, as one query."""
    projects = KeyProject.objects.select_related("center", "manager__staff_profile").order_by("code")
    if not user.is_authenticated:
        return projects.none()
    if user.is_superuser:
        return projects
    seen = Q(manager=user)
    own = referrals.center_of(user) if roles.has_role(user, roles.SUPERVISOR) else None
    if own is not None:
        seen |= Q(center__in=[c.pk for c in referrals.subtree(own)])
    return projects.filter(seen)


PROJECT_ORDER = Ordering(("code", "id"))


def project_search(projects: QuerySet, *, q: str | None = None, active: bool | None = None,
                   designated_from=None, designated_until=None) -> QuerySet:
    """``projects`` narrowed by the list's filters: the code ``q`` (exact, any case) or a name or
    enterprise holding it; on (``active``) or off the green channel; designated in
    [``designated_from``, ``designated_until``)."""
    if q:
        q = q.strip()
        projects = projects.filter(Q(code=q.upper()) | Q(name__icontains=q) | Q(enterprise__icontains=q))
    if active is not None:
        projects = projects.filter(active=active)
    projects = during(projects, "designated_at", designated_from, designated_until)
    return projects


def project_for_user(user, code: str) -> KeyProject:
    """The key project if ``user`` may see it; NotFound otherwise (its existence does not leak)."""
    project = projects_visible_to(user).filter(code=code).first()
    if project is None:
        raise NotFound()
    return project


def _person(user) -> dict | None:
    if user is None:
        return None
    profile = getattr(user, "staff_profile", None)
    return {"username": user.get_username(), "name": user.get_full_name() or user.get_username(),
            "badge": profile.badge if profile is not None else None}


def project_summary(project: KeyProject) -> dict:
    return {"code": project.code, "name": project.name, "enterprise": project.enterprise,
            "center": project.center.code, "manager": _person(project.manager), "stage_days": project.stage_days,
            "active": project.active}


def project_applications(project: KeyProject) -> QuerySet[Application]:
    """The project's applications its view shows: a draft is its writer's until submitted, or
    until a pre-review shows it to the center."""
    return project.applications.filter(~Q(status=Status.DRAFT) | Exists(
        PreReview.objects.filter(application=OuterRef("pk"))))


def project_overview(project: KeyProject, *, applications: list[Application] | None = None, now=None) -> dict:
    """项目经理制: everything the manager follows — each application of the project (those given,
    a page of them; else the newest 200) with its clock and every department's stage (due date,
    who holds it, alert), its intermediary services (中介服务) on their own clocks, its
    pre-reviews, and the project's figures over all its applications (open, decided, overdue
    stages, alerts)."""
    now = now or timezone.now()
    shown = project_applications(project)
    if applications is None:
        applications = list(shown.select_related("service").order_by("-id")[:200])
    stages: dict[int, list[Stage]] = {}
    for stage in Stage.objects.filter(application__in=applications).select_related(
            "department", "assignee").order_by("id"):
        stages.setdefault(stage.application_id, []).append(stage)
    reviews: dict[int, list[PreReview]] = {}
    for review in PreReview.objects.filter(application__in=applications).select_related(
            "answered_by").order_by("id"):
        reviews.setdefault(review.application_id, []).append(review)
    intermediary: dict[int, list[IntermediaryStage]] = {}
    for stage in IntermediaryStage.objects.filter(application__in=applications).select_related(
            "service").order_by("id"):
        intermediary.setdefault(stage.application_id, []).append(stage)
    counts = shown.aggregate(
        applications=Count("id"), open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        decided=Count("id", filter=Q(outcome__in=DECIDED_OUTCOMES)),
        red_alerts=Count("id", filter=Q(alert=Alert.RED)))
    counts["overdue_stages"] = Stage.objects.filter(application__key_project=project, status__in=OPEN_STAGE,
                                                    due_at__lt=now).count()
    return {
        **project_summary(project),
        "figures": counts,
        "applications": [{
            "id": a.pk, "number": a.number, "service": a.service.code, "service_name": a.service.display_name,
            "status": a.status, "alert": a.alert, "accepted_at": iso(a.accepted_at), "due_at": iso(a.due_at),
            "green_channel_days": a.green_channel_days,
            "stages": [{"id": s.pk, "department": s.department.code, "department_name": s.department.display_name,
                        "status": s.status, "days": s.days, "assignee": s.assignee.get_username() if s.assignee_id
                        else None, "assignee_name": (s.assignee.get_full_name() or s.assignee.get_username())
                        if s.assignee_id else None, "due_at": iso(s.due_at), "alert": s.alert,
                        "overdue": s.status in OPEN_STAGE and s.due_at is not None and s.due_at < now}
                       for s in stages.get(a.pk, [])],
            "pre_reviews": [pre_review_output(r) for r in reviews.get(a.pk, [])],
            "intermediary_stages": [intermediaries.intermediary_output(i, now) for i in intermediary.get(a.pk, [])],
        } for a in applications],
    }


def key_project_output(application: Application) -> dict | None:
    """The application's key project as its detail shows it (None: not a key project's)."""
    if application.key_project_id is None:
        return None
    project = application.key_project
    return {"code": project.code, "name": project.name, "manager": project.manager.get_username(),
            "manager_name": project.manager.get_full_name() or project.manager.get_username(),
            "green_channel_days": application.green_channel_days}


# 提前介入 预审


def pre_review_output(review: PreReview) -> dict:
    return {"id": review.pk, "application": review.application_id, "status": review.status,
            "requested_at": iso(review.requested_at), "question": review.question,
            "result": review.result or None, "findings": review.findings, "note": review.note,
            "answered_by": review.answered_by.get_username() if review.answered_by_id else None,
            "answered_at": iso(review.answered_at), "due_at": iso(review.due_at), "alert": review.alert}


def pre_reviews_of(application: Application) -> list[PreReview]:
    return list(application.pre_reviews.select_related("answered_by").order_by("id"))


def _require_draft(application: Application) -> None:
    if application.status != Status.DRAFT:
        raise StateConflict(_("A pre-review checks an application before it is submitted; this one is %(status)s.")
                            % {"status": application.get_status_display()}, code="invalid_state")


def pre_review_request(*, actor, application_id, question: str = "") -> PreReview:
    """提前介入: the applicant (or the window, for a walk-in it is taking down) asks the center to
    check the draft's materials before the formal submission. The application stays a draft:
    its clock does not start, nothing is received in law, and the staff who may check it now
    see it. The center's answer is due within settings.PRE_REVIEW_WORKING_DAYS working days
    (限时办结; alerts: approvals.pre_review_alerts)."""
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id)
        permissions.require_applicant_or_clerk(actor, application)
        _require_draft(application)
        if application.pre_reviews.filter(status=PreReviewStatus.REQUESTED).exists():
            raise StateConflict(_("A pre-review of this application is already waiting for its answer."),
                                code="pre_review_open")
        calendar, today = get_work_calendar(), local_date(now)
        days = settings.PRE_REVIEW_WORKING_DAYS
        review = PreReview.objects.create(application=application, requested_by=actor, requested_at=now,
                                          question=(question or "").strip(),
                                          due_at=calendar.due_at(today, days).due_at,
                                          warn_at=calendar.warn_at(today, days))
        audit_log(actor=actor, obj=application, action="pre_review_request", from_status=application.status,
                  to_status=application.status, note=review.question, data={"pre_review": review.pk})
    return review


def pre_reviewable(user) -> Q:
    """Whose pre-reviews ``user`` may answer, as a condition on applications: the window any;
    the reviewers and heads of a department that will review the item, none else."""
    if user.is_superuser or roles.has_role(user, roles.WINDOW_CLERK):
        return Q()
    department_id = permissions.staff_department_id(user)
    if department_id is None or not (roles.has_role(user, roles.REVIEWER)
                                     or roles.has_role(user, roles.DEPARTMENT_HEAD)):
        return Q(pk__in=[])
    # A draft has no stages yet: the item's stage plan says which departments will review it.
    planned = Exists(StageRequirement.objects.filter(item_id=OuterRef("service_id"), department_id=department_id))
    return Q(service__department_id=department_id) | planned


def may_pre_review(user, application: Application) -> bool:
    """The window, and the reviewers and heads of a department that will review the item."""
    return Application.objects.filter(pre_reviewable(user), pk=application.pk).exists()


def pre_review_answer(*, actor, pre_review_id, result: str, findings: list[dict], note: str = "") -> PreReview:
    """预审 answered: either the materials are complete (every required material has a file) and
    the applicant may submit, or every material to complete is listed at once (一次性告知), each
    with its reason. The answer is recorded on the application; still no clock runs."""
    application_id = PreReview.objects.filter(pk=pre_review_id).values_list("application_id", flat=True).first()
    if application_id is None:
        raise NotFound()
    now = timezone.now()
    with transaction.atomic():
        application = application_lock(application_id)
        if not may_pre_review(actor, application):
            raise PermissionDenied()
        review = for_update(PreReview.objects.filter(pk=pre_review_id)).get()
        _require_draft(application)
        requirements = {r.code: r for r in application.service.materials.all()}
        items = _findings_check(result, findings, requirements)
        if result == PreReviewResult.READY:
            have = set(application.files.values_list("requirement_id", flat=True))
            missing = [{"material": r.code, "name": r.name} for r in requirements.values()
                       if r.required and r.pk not in have]
            if missing:
                raise ValidationFailed(
                    _("Required materials are missing: %(names)s. The pre-review cannot call them complete.")
                    % {"names": "、".join(m["name"] for m in missing)}, code="materials_missing",
                    fields={"materials": missing})
        before = transition_run(review, "answer")
        review.result, review.findings, review.note = result, items, (note or "").strip()
        review.answered_by, review.answered_at = actor, now
        review.save()
        audit_log(actor=actor, obj=application, action="pre_review_answer", from_status=application.status,
                  to_status=application.status, note=review.get_result_display(),
                  data={"pre_review": review.pk, "from": before, "findings": items})
    return review


def _findings_check(result: str, findings: list[dict], requirements: dict) -> list[dict]:
    if result not in PreReviewResult.values:
        raise ValidationFailed(_("Say whether the materials are complete."),
                               fields={"result": [_("One of: %(codes)s") % {"codes": ", ".join(PreReviewResult.values)}]})
    items, seen = [], set()
    for finding in findings or []:
        code, reason = str(finding.get("material", "")).strip(), str(finding.get("reason", "")).strip()
        if code not in requirements:
            raise ValidationFailed(_("This item has no such material."),
                                   fields={"findings": [_("Unknown material code: %(code)s") % {"code": code}]})
        if not reason:
            raise ValidationFailed(_("Say what is missing or wrong in each material."),
                                   fields={"findings": [_("The reason is required.")]})
        if code not in seen:
            seen.add(code)
            items.append({"material": code, "name": requirements[code].name, "reason": reason})
    if result == PreReviewResult.CHANGES_NEEDED and not items:
        raise ValidationFailed(_("List every material to complete."),
                               fields={"findings": [_("At least one material.")]})
    if result == PreReviewResult.READY and items:
        raise ValidationFailed(_("Complete materials have nothing to complete: remove the findings or ask for "
                                 "changes."), fields={"findings": [_("Leave empty when the materials are complete.")]})
    return items


def pre_reviews_waiting_for(user) -> QuerySet:
    """The pre-reviews ``user`` may answer, oldest first (PRE_REVIEW_ORDER)."""
    applications = permissions.applications_visible_to(user).filter(pre_reviewable(user))
    return PreReview.objects.filter(status=PreReviewStatus.REQUESTED, application__in=applications).select_related(
        "application__service", "answered_by").order_by(*PRE_REVIEW_ORDER.order_by())


PRE_REVIEW_ORDER = Ordering(("requested_at", "id"))


def pre_review_search(reviews: QuerySet, *, q: str | None = None, service=None, alert: str | None = None,
                      requested_from=None, requested_until=None) -> QuerySet:
    """``reviews`` narrowed by the queue's filters: the application's number ``q`` (exact, any
    case) or its applicant's name (exact), the service item, the alert, requested in
    [``requested_from``, ``requested_until``)."""
    if q:
        q = q.strip()
        reviews = reviews.filter(Q(application__number=q.upper()) | Q(application__applicant_name=q))
    if service is not None:
        reviews = reviews.filter(application__service=service)
    if alert:
        reviews = reviews.filter(alert=alert)
    reviews = during(reviews, "requested_at", requested_from, requested_until)
    return reviews
