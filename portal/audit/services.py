"""Writing and verifying the audit trail (全程留痕)."""

import hashlib
import json
from dataclasses import dataclass
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from portal.audit.models import AuditChainHead, AuditEvent
from portal.bulk import JsonText, insert_rows

GENESIS = "0" * 64
# Made once: json.dumps with options builds a new encoder on every call.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
SYSTEM_ACTOR = "system"


# The hash of a row is SHA-256 of the compact JSON list (sorted keys, non-ASCII kept)
#   [prev_hash, at, actor_label, object_type, object_id, action, from_status, to_status, note, data]
# written here directly from its parts: json.dumps with options costs more than the rest of
# the sweep's work per row. tests/portal/test_audit.py checks it against json.dumps.
_quote = json.encoder.encode_basestring  # the C function json uses for str when ensure_ascii=False


def _canonical(value) -> str:
    """Canonical JSON of ``data``: flat dicts of text and integers directly, others by the encoder."""
    if type(value) is dict and all(type(k) is str and type(v) in (str, int) for k, v in value.items()):
        return "{" + ",".join(f"{_quote(k)}:{_quote(v) if type(v) is str else int.__repr__(v)}"
                              for k, v in sorted(value.items())) + "}"
    return _CANONICAL.encode(value)


def _entry_body(at_iso, actor_label, object_type, object_id, action, from_status, to_status, note,
                data_json) -> str:
    """Everything the hash covers after the link to the previous row (computed before the
    chain is locked)."""
    return (f",{_quote(at_iso)},{_quote(actor_label)},{_quote(object_type)},{int(object_id)},{_quote(action)},"
            f"{_quote(from_status)},{_quote(to_status)},{_quote(note)},{data_json}]")


def _link(prev_hash: str, body: str) -> str:
    return hashlib.sha256(("[" + _quote(prev_hash) + body).encode()).hexdigest()


def _digest(prev_hash: str, *, at, actor_label, object_type, object_id, action, from_status, to_status,
            note, data) -> str:
    return _link(prev_hash, _entry_body(at.isoformat(), actor_label, object_type, object_id, action, from_status,
                                        to_status, note, _canonical(data)))


class AuditEntry(NamedTuple):
    """One state change to append (a tuple: the sweep makes thousands at a time)."""

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
    # The JSON of every row before the chain is locked; under the lock, only the links.
    at_iso = at.isoformat()
    prepared = []
    for e in entries:
        data = JsonText(_canonical(e.data or {}))
        prepared.append((_entry_body(at_iso, actor_label, e.object_type, e.object_id, e.action, e.from_status,
                                     e.to_status, e.note, data), e, data))
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_hash": GENESIS}
        )
        prev = head.last_hash
        rows, tuples = [], []
        for body, e, data in prepared:
            digest = _link(prev, body)
            if returning:
                rows.append(AuditEvent(actor=actor, prev_hash=prev, hash=digest, at=at, actor_label=actor_label,
                                       object_type=e.object_type, object_id=e.object_id, action=e.action,
                                       from_status=e.from_status, to_status=e.to_status, note=e.note,
                                       data=e.data or {}))
            else:
                tuples.append((prev, digest, e.object_type, e.object_id, e.action, e.from_status, e.to_status,
                               e.note, data))
            prev = digest
        if returning:
            AuditEvent.objects.bulk_create(rows)
        else:
            insert_rows(AuditEvent, ["prev_hash", "hash", "object_type", "object_id", "action", "from_status",
                                     "to_status", "note", "data"], tuples,
                        constants={"actor": actor.pk if actor is not None else None, "at": at,
                                   "actor_label": actor_label})
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
