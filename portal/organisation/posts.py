"""AB岗工作制 (A/B posts): every post has a backup. While A is absent, A's open work
and every new assignment meant for A go to B; when A returns, exactly what was
routed away from A comes back. Deadlines never move: only the holder changes.

What counts as a post's work is declared once, in ``KINDS``. Every handover is
recorded in ``RoutedWork`` (so the return is exact) and in the audit trail of the
item itself (全程留痕).

Lock order, shared with every service here: staff profiles, then applications,
then stages, then inquiries — the same application-before-stage order as the
review services and the deadline sweep, so none of them can deadlock another.
``assignment_route`` is the exception by necessity: the assigning service already
holds its item when it asks who gets it. That cannot cross an absence either: an
absence only locks items already held by the absentee, never the one being
assigned to him.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.utils import timezone

from portal.audit.services import AuditEntry, audit_log_many
from portal.locking import for_update
from portal.organisation.models import RoutedWork, RoutingCause, RoutingOutcome, StaffProfile, WorkKind


@dataclass(frozen=True)
class Kind:
    """One kind of work a post holds: the model, the field naming its holder, and the
    states in which it is still open (only open work is handed over)."""

    model: str
    field: str
    open_states: tuple[str, ...]

    @property
    def manager(self):
        return apps.get_model(self.model).objects

    @property
    def object_type(self) -> str:
        return apps.get_model(self.model)._meta.model_name


KINDS: dict[str, Kind] = {
    WorkKind.INTAKE: Kind("approvals.Application", "intake_clerk", ("draft", "submitted", "correction_requested")),
    WorkKind.STAGE: Kind("approvals.Stage", "assignee", ("pending", "claimed")),
    WorkKind.INQUIRY: Kind("inquiries.Inquiry", "owner", ("open", "referred", "answered")),
    WorkKind.REFERRAL: Kind("inquiries.Inquiry", "referee", ("referred",)),
}


def effective_holder(user):
    """Who takes work meant for ``user`` now: his B post while he is marked absent,
    otherwise himself. A pure read (no lock); to assign, use ``assignment_route``."""
    if user is None:
        return None
    profile = (StaffProfile.objects.select_related("backup__user")
               .filter(user_id=user.pk, absent=True, backup__isnull=False).first())
    return profile.backup.user if profile is not None else user


def assignment_route(*, user, kind: str, obj, now=None):
    """A new assignment of ``obj`` (of ``kind``) to ``user``: return who must get it.

    While ``user`` is absent that is his B post, and the handover is recorded so
    the item comes back when he returns. Call it inside the assigning transaction:
    it locks the official's profile, so it serialises with his absence and return
    (an assignment committed first is routed by the absence; one after it sees it)."""
    if user is None:
        return None
    now = now or timezone.now()
    profile = for_update(StaffProfile.objects.all()).filter(user_id=user.pk).first()
    if profile is None or not profile.absent or profile.backup_id is None:
        return user
    holder = profile.backup.user
    RoutedWork.objects.create(kind=kind, object_id=obj.pk, absentee=user, holder=holder,
                              cause=RoutingCause.NEW_ASSIGNMENT, routed_at=now)
    audit_log_many(actor=None, at=now, entries=[AuditEntry(
        object_type=KINDS[kind].object_type, object_id=obj.pk, action="route_to_backup",
        note=f"{user.get_username()} → {holder.get_username()}",
        data={"kind": kind, "from": user.get_username(), "to": holder.get_username(),
              "cause": RoutingCause.NEW_ASSIGNMENT})])
    return holder


def _lock_open_work(absentee) -> dict[str, list[int]]:
    """Lock every open item ``absentee`` holds, in the shared lock order; their ids by kind."""
    found: dict[str, list[int]] = {}
    Application = apps.get_model("approvals.Application")
    intake, stage = KINDS[WorkKind.INTAKE], KINDS[WorkKind.STAGE]
    stage_rows = stage.manager.filter(**{stage.field: absentee, "status__in": stage.open_states})
    application_ids = set(stage_rows.values_list("application_id", flat=True))
    application_ids |= set(intake.manager.filter(**{intake.field: absentee, "status__in": intake.open_states})
                           .values_list("pk", flat=True))
    list(for_update(Application.objects.all()).filter(pk__in=application_ids).order_by("pk")
         .values_list("pk", flat=True))
    for kind in (WorkKind.INTAKE, WorkKind.STAGE, WorkKind.INQUIRY, WorkKind.REFERRAL):
        spec = KINDS[kind]
        found[kind] = list(
            for_update(spec.manager.all()).filter(**{spec.field: absentee, "status__in": spec.open_states})
            .order_by("pk").values_list("pk", flat=True))
    return found


def work_route_to_backup(*, absentee, holder, actor, now) -> dict[str, list[int]]:
    """Hand every open item of ``absentee`` to ``holder`` (the caller holds both profiles
    locked and has checked the A/B rules). Returns the ids routed, by kind."""
    found = _lock_open_work(absentee)
    rows, entries = [], []
    for kind, ids in found.items():
        if not ids:
            continue
        spec = KINDS[kind]
        spec.manager.filter(pk__in=ids).update(**{spec.field: holder})
        for object_id in ids:
            rows.append(RoutedWork(kind=kind, object_id=object_id, absentee=absentee, holder=holder,
                                   cause=RoutingCause.ABSENCE, routed_at=now))
            entries.append(AuditEntry(
                object_type=spec.object_type, object_id=object_id, action="route_to_backup",
                note=f"{absentee.get_username()} → {holder.get_username()}",
                data={"kind": kind, "from": absentee.get_username(), "to": holder.get_username(),
                      "cause": RoutingCause.ABSENCE}))
    RoutedWork.objects.bulk_create(rows)
    audit_log_many(actor=actor, entries=entries, at=now)
    return {kind: ids for kind, ids in found.items() if ids}


def work_return(*, absentee, actor, now) -> dict[str, list[int]]:
    """A is back: every item still routed away from him returns to him if it is still
    open and still held by the B post; the rest stays where it is (B finished it, or
    it was reassigned meanwhile). Returns the ids given back, by kind."""
    routed = list(for_update(RoutedWork.objects.all()).filter(absentee=absentee, returned_at__isnull=True)
                  .select_related("holder").order_by("pk"))
    by_kind: dict[str, list[RoutedWork]] = defaultdict(list)
    for row in routed:
        by_kind[row.kind].append(row)
    Application = apps.get_model("approvals.Application")
    stage = KINDS[WorkKind.STAGE]
    application_ids = {r.object_id for r in by_kind[WorkKind.INTAKE]}
    application_ids |= set(stage.manager.filter(pk__in=[r.object_id for r in by_kind[WorkKind.STAGE]])
                           .values_list("application_id", flat=True))
    list(for_update(Application.objects.all()).filter(pk__in=application_ids).order_by("pk")
         .values_list("pk", flat=True))
    returned: dict[str, list[int]] = {}
    entries = []
    for kind in (WorkKind.INTAKE, WorkKind.STAGE, WorkKind.INQUIRY, WorkKind.REFERRAL):
        rows = by_kind.get(kind, [])
        if not rows:
            continue
        spec = KINDS[kind]
        current = {pk: (holder_id, status) for pk, holder_id, status in for_update(spec.manager.all()).filter(
            pk__in=[r.object_id for r in rows]).order_by("pk").values_list("pk", spec.field, "status")}
        back = []
        for row in rows:
            holder_id, status = current.get(row.object_id, (None, None))
            still_with_b = holder_id == row.holder_id and status in spec.open_states
            row.returned_at = now
            row.outcome = RoutingOutcome.RETURNED if still_with_b else RoutingOutcome.KEPT
            if still_with_b:
                back.append(row.object_id)
                entries.append(AuditEntry(
                    object_type=spec.object_type, object_id=row.object_id, action="return_from_backup",
                    note=f"{row.holder.get_username()} → {absentee.get_username()}",
                    data={"kind": kind, "from": row.holder.get_username(), "to": absentee.get_username()}))
        if back:
            spec.manager.filter(pk__in=back).update(**{spec.field: absentee})
            returned[kind] = back
    RoutedWork.objects.bulk_update(routed, ["returned_at", "outcome"])
    audit_log_many(actor=actor, entries=entries, at=now)
    return returned


def routing_counts(ids_by_kind: dict[str, list[int]]) -> dict[str, int]:
    return {kind: len(ids) for kind, ids in ids_by_kind.items()}


def open_work_of(user) -> dict[str, list]:
    """Everything ``user`` holds right now, by kind: what B sees of A's queue too."""
    related = {
        WorkKind.INTAKE: ("service",),
        WorkKind.STAGE: ("application", "department"),
        WorkKind.INQUIRY: ("referred_to",),
        WorkKind.REFERRAL: ("referred_to", "owner__staff_profile"),
    }
    return {
        kind: list(spec.manager.filter(**{spec.field: user, "status__in": spec.open_states})
                   .select_related(*related[kind]).order_by("pk")[:200])
        for kind, spec in KINDS.items()
    }
