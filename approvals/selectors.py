"""Reads of applications shared by the API and the pages."""

import functools

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.documents import department_roles, joint_signatory
from approvals.models import (
    DECIDED_OUTCOMES, OPEN_STAGE, Application, DocumentKind, IssuedDocument, MaterialFile, Stage, Status,
)
from approvals.permissions import concerning_department, sees_everything, staff_department_id
from portal.audit.models import AuditEvent
from portal.catalogue.models import ServiceItem
from portal.organisation.models import Department
from portal.organisation.selectors import in_reach
from portal.api.timestamps import iso
from portal.pagination import Ordering
from portal.prepared import PreparedQuery, prepared_sql
from portal.workcalendar.calendar import get_work_calendar
from portal.web.list_filters import during


def application_events(application: Application, stage_ids: list[int] | None = None) -> QuerySet[AuditEvent]:
    """The application's history (全程留痕), including its stages (``stage_ids`` when the
    caller has read them already)."""
    if stage_ids is None:
        stage_ids = list(application.stages.values_list("id", flat=True))
    return _history(application.pk, stage_ids).select_related("actor__staff_profile")


def _history(application_id: int, stage_ids) -> QuerySet[AuditEvent]:
    """The audit entries of the application and of its stages ``stage_ids``, in order."""
    return AuditEvent.objects.filter(
        Q(object_type="application", object_id=application_id) | Q(object_type="stage", object_id__in=stage_ids)
    ).order_by("id")


# The columns of the history the API's detail shows (approvals.api.application_detail).
EVENT_COLUMNS = ("at", "actor_label", "action", "from_status", "to_status", "note")
_event_rows: dict[int, PreparedQuery] = {}


def application_event_rows(application_id: int, stage_ids: list[int]) -> list[tuple]:
    """``application_events`` as rows of EVENT_COLUMNS, by a statement prepared per number of
    stages (portal.prepared; up to eight, beyond that compiled each time): every write's answer
    shows the history, and compiling it was a good part of the answer's CPU."""
    def build(app_id, *stages):
        return _history(app_id, stages).values_list(*EVENT_COLUMNS)

    count = len(stage_ids)
    if count > 8:
        return list(build(application_id, *stage_ids))
    query = _event_rows.get(count)
    if query is None:
        query = _event_rows.setdefault(count, PreparedQuery(build, int, *[int] * count))
    return query(application_id, *stage_ids)


# The application's related rows its detail lists (application_detail in approvals.api), by the
# name of the reverse relation: most applications have rows in two or three of them.
DETAIL_PARTS = ("stages", "referral", "payment_notice", "pre_reviews", "intermediary_stages", "inquiry", "files",
                "correction_notices", "documents")
_detail_parts_sql: str | None = None


def detail_parts(application_id: int) -> frozenset[str]:
    """Which of DETAIL_PARTS have rows for the application, in one query of EXISTS probes (each
    along the index of its foreign key): the detail reads only those (it read every one, a
    query each, whether empty or not)."""
    global _detail_parts_sql
    if _detail_parts_sql is None:
        quote = connection.ops.quote_name
        probes = []
        for name in DETAIL_PARTS:
            relation = Application._meta.get_field(name)
            probes.append(f"EXISTS (SELECT 1 FROM {quote(relation.related_model._meta.db_table)} "
                          f"WHERE {quote(relation.field.column)} = %s)")
        _detail_parts_sql = "SELECT " + ", ".join(probes)
    with connection.cursor() as cursor:
        cursor.execute(*prepared_sql(connection, _detail_parts_sql, [application_id] * len(DETAIL_PARTS)))
        found = cursor.fetchone()
    return frozenset(name for name, present in zip(DETAIL_PARTS, found) if present)


def first_inquiry_officer(application: Application):
    """首问负责人: the official whose inquiry became ``application``, or None. (The inquiries
    app sits above this one; its inquiry links to the application as ``inquiry``.)"""
    officers = (Application.objects.filter(pk=application.pk, inquiry__isnull=False)
                .values_list("inquiry__first_officer", "inquiry__owner").first())
    if officers is None:
        return None
    return get_user_model().objects.select_related("staff_profile").filter(pk=officers[0] or officers[1]).first()


def application_clock(application: Application, now=None) -> dict:
    """Is the clock running, and how many working days remain (SPEC §3)."""
    running = application.status == Status.IN_REVIEW and application.due_at is not None
    remaining = None
    if application.status == Status.SUSPENDED:
        remaining = application.remaining_days_frozen
    elif running:
        remaining = get_work_calendar().remaining_working_days(now or timezone.now(), application.due_at)
    return {"running": running, "remaining_working_days": remaining}


# Newest first; served by the primary key, or by app_applicant_idx (applicant, -id) for a citizen.
APPLICATION_ORDER = Ordering(("id",), descending=True)
# Due soonest first, suspended stages (no due time) last; served by stage_queue_open_idx.
STAGE_QUEUE_ORDER = Ordering(("due_at", "id"), nullable=True)
# The public register, newest decision first; served by app_register_list_idx.
REGISTER_ORDER = Ordering(("decided_at", "id"), descending=True, nullable=True)


def application_list(queryset: QuerySet[Application], *, status=None, department=None, alert=None):
    qs = queryset.select_related("service", "service__department")
    if status:
        qs = qs.filter(status__in=status.split(","))
    if department:
        # By id and EXISTS, not a join on the code + DISTINCT: the list stays a walk of the
        # primary key that probes each row's stages (PostgreSQL's estimates through the code
        # made it hash every stage of the department first).
        department_id = Department.objects.filter(code=department).values_list("id", flat=True).first()
        qs = qs.filter(concerning_department(department_id)) if department_id else qs.none()
    if alert:
        qs = qs.filter(alert=alert)
    return qs.order_by(*APPLICATION_ORDER.order_by())


def own_application_list(queryset: QuerySet[Application], *, q: str | None = None, status: str | None = None,
                         created_from=None, created_until=None) -> QuerySet[Application]:
    """A citizen's own applications (``queryset``) with the number ``q`` (exact, any case) or a
    service item whose code or name holds it, in ``status``, created in [``created_from``,
    ``created_until``). Only his own rows are searched, so a name match stays cheap."""
    qs = queryset.select_related("service")
    if q:
        q = q.strip()
        qs = qs.filter(Q(number=q.upper()) | Q(service__code=q.upper()) | Q(service__name__icontains=q)
                       | Q(service__name_en__icontains=q))
    if status:
        qs = qs.filter(status=status)
    qs = during(qs, "created_at", created_from, created_until)
    return qs


def stages_of(application: Application) -> QuerySet[Stage]:
    return application.stages.select_related("department", "assignee", "decided_by").order_by("id")


def stages_listed(application: Application) -> list[Stage]:
    """``stages_of`` as a list; on an acceptance's answer, the stages it has just created (kept
    as the application's prefetched ``stages`` by ``approvals.services``, in id order), not
    read back."""
    kept = getattr(application, "_prefetched_objects_cache", {}).get("stages")
    return list(kept) if kept is not None else list(stages_of(application))


# The files and issued documents every write's answer lists (approvals.api.application_detail),
# compiled once per process (portal.prepared): Django compiling the reads was more CPU than
# running them.
_files = PreparedQuery(lambda application_id: MaterialFile.objects.filter(application_id=application_id), int)
_files_with_materials = PreparedQuery(
    lambda application_id: MaterialFile.objects.filter(application_id=application_id).select_related("requirement"),
    int)
DOCUMENT_COLUMNS = ("id", "kind", "number", "issued_at")
_document_rows = PreparedQuery(
    lambda application_id: IssuedDocument.objects.filter(application_id=application_id).values_list(
        *DOCUMENT_COLUMNS), int)


def application_files(application: Application) -> list[MaterialFile]:
    """The application's files in upload order, each with its material (``requirement``, from
    the cached catalogue when the application's item is the catalogue's): the ones a service
    read under the application's row lock in this request and kept for its answer
    (``_files_read``, see ``approvals.services.missing_materials``), else read now."""
    kept = getattr(application, "_files_read", None)
    if kept is not None:
        return kept
    # The materials of an item the application holds as the cached catalogue has it.
    materials = getattr(application.service, "_prefetched_objects_cache", {}).get("materials")
    if materials is None:
        return _files_with_materials(application.pk)
    files = _files(application.pk)
    by_id = {material.pk: material for material in materials}
    if any(f.requirement_id not in by_id for f in files):  # a material no longer the item's
        return _files_with_materials(application.pk)
    for f in files:
        f.requirement = by_id[f.requirement_id]
    return files


def document_rows(application_id: int) -> list[tuple]:
    """The application's issued documents as rows of DOCUMENT_COLUMNS, in issue order."""
    return _document_rows(application_id)


# What the public progress query shows of an application, its item and its stages (公开查询),
# and reads (attnames; ids so that the instances are whole to Django): compiling the SQL of
# every column of the application and its item was a third of the call, and then the two
# querysets' compilation most of what was left.
TRACKED_FIELDS = {
    Application: ("id", "number", "tracking_code", "service_id", "status", "submitted_at", "accepted_at", "due_at",
                  "alert", "outcome", "decided_at", "remaining_days_frozen"),
    ServiceItem: ("id", "code", "name", "name_en", "deemed_approval"),
    Stage: ("id", "application_id", "department_id", "status", "due_at"),
    Department: ("id", "code", "name", "name_en"),
}
_tracked_sql: str | None = None


@functools.cache
def _tracked_columns(model) -> list[str]:
    """The model's tracked attnames in the order of its concrete fields (as Model.from_db takes them)."""
    wanted = TRACKED_FIELDS[model]
    return [f.attname for f in model._meta.concrete_fields if f.attname in wanted]


def _tracked_query() -> str:
    """One statement: the application and its item, and its stages' columns (with their
    department's) as arrays in the stages' order."""
    global _tracked_sql
    if _tracked_sql is None:
        quote = connection.ops.quote_name

        def columns(model, alias):
            return [f"{alias}.{quote(model._meta.get_field(name).column)}" for name in _tracked_columns(model)]

        stage_columns = columns(Stage, "st") + columns(Department, "d")
        arrays = ", ".join(f"array_agg({column} ORDER BY st.{quote('id')})" for column in stage_columns)
        _tracked_sql = (
            f"SELECT {', '.join(columns(Application, 'a') + columns(ServiceItem, 's'))}, stages.* "
            f"FROM {quote(Application._meta.db_table)} a "
            f"JOIN {quote(ServiceItem._meta.db_table)} s ON s.{quote('id')} = a.{quote('service_id')} "
            f"CROSS JOIN LATERAL (SELECT {arrays} FROM {quote(Stage._meta.db_table)} st "
            f"JOIN {quote(Department._meta.db_table)} d ON d.{quote('id')} = st.{quote('department_id')} "
            f"WHERE st.{quote('application_id')} = a.{quote('id')}) stages "
            f"WHERE a.{quote('number')} = %s LIMIT 1"
        )
    return _tracked_sql


def _from_row(model, row: list, db: str):
    """An instance of ``model`` from the next of ``row``'s values (taken off it), the fields
    not tracked deferred as with ``.only()``: what Model.from_db makes, each value set through
    its field's descriptor, without from_db's list of every field (deferred ones marked) that
    Model.__init__ then walks (a third of the call). With a receiver of pre_init or post_init
    for the model, Model.from_db itself."""
    names = _tracked_columns(model)
    values = row[:len(names)]
    del row[:len(names)]
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model.from_db(db, names, values)
    instance = model.__new__(model)
    instance._state = ModelState()
    instance._state.adding, instance._state.db = False, db
    for name, value in zip(names, values):
        setattr(instance, name, value)
    return instance


def tracked_application(number: str) -> Application | None:
    """The application with this number as the public progress query reads it, or None; its
    stages as the query shows them in ``public_stages`` (department, status, due time: no
    official's name), in id order. On PostgreSQL one statement, of only the columns shown (its
    stages as arrays); elsewhere (SQLite, the embedded default) the same columns by the ORM."""
    if connection.vendor != "postgresql":
        return _tracked_by_orm(number)
    with connection.cursor() as cursor:
        cursor.execute(*prepared_sql(connection, _tracked_query(), [number]))  # planned once per session
        found = cursor.fetchone()
    if found is None:
        return None
    db = connection.alias
    row = list(found)
    application = _from_row(Application, row, db)
    application.service = _from_row(ServiceItem, row, db)
    stages = []
    for values in zip(*(column or [] for column in row)):
        stage_row = list(values)
        stage = _from_row(Stage, stage_row, db)
        stage.department = _from_row(Department, stage_row, db)
        stage.application = application
        stages.append(stage)
    application.public_stages = stages
    return application


def _tracked_by_orm(number: str) -> Application | None:
    """The progress query's columns by the ORM (any database; no arrays, no LATERAL): the
    application with its item, then its stages with their departments in id order."""
    def names(model, prefix=""):
        by_attname = {f.attname: f.name for f in model._meta.concrete_fields}
        return [prefix + by_attname[attname] for attname in _tracked_columns(model)]

    application = (Application.objects.filter(number=number).select_related("service")
                   .only(*names(Application), *names(ServiceItem, "service__")).first())
    if application is None:
        return None
    stages = list(Stage.objects.filter(application_id=application.pk).select_related("department")
                  .only(*names(Stage), *names(Department, "department__")).order_by("id"))
    for stage in stages:
        stage.application = application
    application.public_stages = stages
    return application


def stages_with_roles(application: Application) -> list[Stage]:
    """The stages as the pages list them, each with ``role``: 主办/协办 on a joint item, nothing
    on a single-department one (documents.department_roles)."""
    stages = list(stages_of(application))
    for stage, role in zip(stages, department_roles([s.lead for s in stages])):
        stage.role = role
    return stages


def joint_opinions(application: Application, stages: list[Stage] | None = None) -> dict:
    """明确主办部门和协办部门 (seed 002): the opinions of every department on one file, as the
    lead department (主办) assembles them before the joint decision it signs (同步审查、信息
    共享: every department on the file reads them), and who signed the decision. ``stages``:
    ``stages_of(application)`` when the caller has read them already."""
    stages = list(stages_of(application)) if stages is None else stages
    lead, signatory = joint_signatory(stages, application.outcome)
    return {
        "application": application.number,
        "lead_department": lead.department.code if lead else None,
        "signed_by": signatory.get_username() if signatory else None,
        "opinions": [{"stage": s.pk, "department": s.department.code, "lead": s is lead, "status": s.status,
                      "opinion": s.opinion, "decided_by": s.decided_by.get_username() if s.decided_by_id else None,
                      "decided_at": iso(s.decided_at)} for s in stages],
    }


def stage_queue(user, *, status=None, department=None) -> QuerySet[Stage]:
    """A reviewer's queue: his department's stages, due soonest first. With neither ``status``
    nor ``department``, for a reviewer: ``department_queue`` of his department."""
    qs = Stage.objects.select_related("application", "department", "assignee")
    if not sees_everything(user):
        department_id = staff_department_id(user)
        if department_id is None:
            return qs.none()
        if not status and not department:
            return department_queue(department_id)
        qs = qs.filter(department_id=department_id)
    else:
        qs = qs.filter(in_reach(user, "application__intake_center"))  # a township: its centers' only
    if department:
        qs = qs.filter(department__code=department)
    qs = qs.filter(status__in=status.split(",")) if status else qs.filter(status__in=OPEN_STAGE)
    return qs.order_by(*STAGE_QUEUE_ORDER.order_by())


def department_queue(department_id: int) -> QuerySet[Stage]:
    """A department's open stages, due soonest first: a reviewer's queue as it opens."""
    return (Stage.objects.select_related("application", "department", "assignee")
            .filter(department_id=department_id).filter(status__in=OPEN_STAGE)
            .order_by(*STAGE_QUEUE_ORDER.order_by()))


def public_register() -> QuerySet[Application]:
    """Decisions, deemed approvals included, newest first (决定公开)."""
    return (Application.objects.filter(outcome__in=DECIDED_OUTCOMES)
            .select_related("service").order_by(*REGISTER_ORDER.order_by()))


def material_files(application: Application) -> list[dict]:
    """Per material of the item: the current file and the earlier ones it replaced (newest first)."""
    by_requirement: dict[int, list] = {}
    for f in application.files.order_by("-id"):
        by_requirement.setdefault(f.requirement_id, []).append(f)
    return [{"requirement": r, "current": (by_requirement.get(r.pk) or [None])[0],
             "replaced": by_requirement.get(r.pk, [])[1:]}
            for r in application.service.materials.all()]


# 申请 → 受理 → 审查 → 决定 → 送达: where an application stands, in the applicant's words.
JOURNEY = [("apply", _("Apply")), ("accept", _("Acceptance")), ("review", _("Review")), ("decide", _("Decision")),
           ("deliver", _("Delivery"))]
_REACHED = {  # status → (index of the current step, whether that step is finished)
    Status.DRAFT: (0, False), Status.SUBMITTED: (1, False), Status.CORRECTION_REQUESTED: (1, False),
    Status.NOT_ACCEPTED: (1, True), Status.IN_REVIEW: (2, False), Status.SUSPENDED: (2, False),
    Status.APPROVED: (4, False), Status.DEEMED_APPROVED: (4, False), Status.DENIED: (4, True),
    Status.ISSUED: (4, True), Status.WITHDRAWN: (0, True),
}


def journey_steps(application: Application) -> list[dict]:
    """The five steps with their state: done, current or to come."""
    index, finished = _REACHED.get(application.status, (0, False))
    return [{"key": key, "label": label,
             "state": "done" if i < index or (i == index and finished) else "current" if i == index else "todo"}
            for i, (key, label) in enumerate(JOURNEY)]


def lapsed_limit(application: Application) -> dict | None:
    """超期默许: the limit whose passing approved the application (as its certificate states:
    kind ``committed`` 承诺时限 or ``statutory`` 法定时限, and working days), or None."""
    if application.outcome != Status.DEEMED_APPROVED:
        return None
    content = (application.documents.filter(kind=DocumentKind.CERTIFICATE).order_by("-id")
               .values_list("content", flat=True).first()) or {}
    limit = content.get("lapsed_limit")
    if limit is None:
        return None
    # Certificates issued before green channels were named ran on the item's own limit.
    return {"green_channel": False, "item_committed_days": limit["committed_days"], **limit}
