"""Writing and verifying the audit trail (全程留痕)."""

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from portal.audit.models import AuditChainHead, AuditEvent
from portal.bulk import insert_rows

GENESIS = "0" * 64
SYSTEM_ACTOR = "system"


def _digest(prev_hash: str, *, at, actor_label, object_type, object_id, action, from_status, to_status,
            note, data) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(), actor_label, object_type, int(object_id), action, from_status,
         to_status, note, data],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class AuditEntry:
    object_type: str
    object_id: int
    action: str
    from_status: str = ""
    to_status: str = ""
    note: str = ""
    data: dict | None = None


def audit_log_many(*, actor, entries: list[AuditEntry], at=None, returning: bool = True) -> list[AuditEvent]:
    """Append entries to the chain in one locked step (used by the sweep for whole batches).
    With ``returning=False`` the rows are written without model instances (faster) and
    nothing is returned."""
    if not entries:
        return []
    at = at or timezone.now()
    actor_label = actor.get_username() if actor is not None else SYSTEM_ACTOR
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_hash": GENESIS}
        )
        prev = head.last_hash
        rows, tuples = [], []
        actor_id = actor.pk if actor is not None else None
        for entry in entries:
            fields = dict(
                at=at, actor_label=actor_label, object_type=entry.object_type, object_id=entry.object_id,
                action=entry.action, from_status=entry.from_status, to_status=entry.to_status,
                note=entry.note, data=entry.data or {},
            )
            digest = _digest(prev, **fields)
            if returning:
                rows.append(AuditEvent(actor=actor, prev_hash=prev, hash=digest, **fields))
            else:
                tuples.append((actor_id, prev, digest, *fields.values()))
            prev = digest
        if returning:
            AuditEvent.objects.bulk_create(rows)
        else:
            insert_rows(AuditEvent, ["actor", "prev_hash", "hash", "at", "actor_label", "object_type", "object_id",
                                     "action", "from_status", "to_status", "note", "data"], tuples)
        head.last_hash = prev
        head.count += len(entries)
        head.save(update_fields=["last_hash", "count"])
    return rows


def audit_log(*, actor, obj, action: str, from_status: str = "", to_status: str = "", note: str = "",
              data: dict | None = None, at=None) -> AuditEvent:
    """Record one state change of ``obj`` (pretix's ``log_action``, hash-chained)."""
    entry = AuditEntry(object_type=obj._meta.model_name, object_id=obj.pk, action=action,
                       from_status=from_status, to_status=to_status, note=note, data=data)
    return audit_log_many(actor=actor, entries=[entry], at=at)[0]


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_id: int | None
    reason: str = ""


def audit_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in id order; report the first row whose link or content was altered."""
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not rows:
            break
        for row in rows:
            if row.prev_hash != prev:
                return ChainReport(checked, row.id, "link to the previous row is broken (a row was removed or edited)")
            expected = _digest(prev, at=row.at, actor_label=row.actor_label, object_type=row.object_type,
                               object_id=row.object_id, action=row.action, from_status=row.from_status,
                               to_status=row.to_status, note=row.note, data=row.data)
            if row.hash != expected:
                return ChainReport(checked, row.id, "content does not match its hash (the row was edited)")
            prev = row.hash
            checked += 1
            last_id = row.id
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.last_hash != prev or head.count != checked):
        return ChainReport(checked, None, "the newest rows were removed (chain head does not match)")
    return ChainReport(checked, None)
