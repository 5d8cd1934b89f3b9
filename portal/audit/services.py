"""Writing, sealing, anchoring and verifying the audit trail (全程留痕).

Why it is tamper-evident, and why no request waits for it
==========================================================

**Writers never share a lock.** A service appends its rows (``audit_log``, ``audit_log_many``)
in its own transaction, as one *block*: the rows get ids from the table's sequence, and each
row's ``hash`` is SHA-256 of the canonical JSON of *every column of the row* — id, block, time,
actor id, actor label, object type and id, action, from/to status, note, data — together with
the hash of the row before it in the block. The block row (``AuditBlock``) records the first
and last id, the number of rows and the hash of the last row. Nothing else is touched, so two
writers never wait for each other here, whatever they write.

**One sealer links the blocks into the chain** (``audit_seal``): one at a time (a PostgreSQL
advisory lock, tried without waiting; on SQLite, which has one writer anyway, an in-process
lock), it takes every committed block not yet sealed, in id order, gives each the next
sequence number and a ``hash`` over the previous block's hash and the block (its first and
last id, row count and last-row hash), and moves the chain head. It runs right after every
commit that wrote audit rows (``transaction.on_commit``; in a busy process at most once per
``AUDIT_SEAL_COALESCE_SECONDS``, one seal taking every block committed so far), at the end of
every deadline sweep and on a schedule (the ``seal-audit-trail`` beat entry, every
``AUDIT_SEAL_SECONDS``), so a block is sealed at the latest by the next of these. (The deadline sweep's own batches, ``sealing_deferred``, leave their
blocks to the sweep's seal: at its end, and every ``AUDIT_SEAL_SECONDS`` on the way through a
long backlog, not once per batch.)

*Commit order.* A block with a lower id can commit after one with a higher id. The chain
does not follow ids: it follows the order in which the sealer *saw* committed blocks. A
block committed after a seal run simply gets a later sequence number in a later run; every
block is sealed exactly once (the sealer holds its lock from reading the unsealed blocks
until its own commit, and reads them only after taking it).

**Anchors outside the database.** After each seal (and on the schedule) the head — sequence
number, rows sealed, hash — is appended as one line, HMAC-signed with ``AUDIT_ANCHOR_KEY``
(or a key derived from ``SECRET_KEY``), to an append-only file (``AUDIT_ANCHOR_PATH``,
default ``var/audit-anchors.log``). Someone who can write the database but not that key
cannot forge an anchor.

**What ``verify_audit`` guarantees** (``audit_verify``), walking the sealed chain in order:

- for *sealed* rows: a row edited in any column (the actor id included) is named, because its
  hash no longer matches its content; a row deleted from the middle is named by the row
  after it (its link breaks) or, if it was a block's first or last row, by its own id; a
  block whose rows were rewritten *with* recomputed hashes no longer matches its sealed
  digest; a block removed breaks the sequence and the link of the next block; rows removed
  from the end with the head rolled back are caught by the last anchor (it records more
  blocks than the chain has), and a rewritten chain by any anchor whose hash differs;
- for the *window before sealing* (usually under a second, at most one beat interval) the rows
  of an unsealed block are already checked against each other (an edit of one row is named),
  but a block deleted or rewritten as a whole before the sealer saw it cannot be noticed:
  verify reports how many rows are still unsealed and since when, rather than calling them
  verified;
- rows sealed after the newest anchor line (the moment between a seal's commit and its
  anchor write) are protected by the chain and the head but not yet by the anchor.

Anyone who holds the anchor key *and* can rewrite the anchor file can rewrite history:
keep the key out of the database and the file where the database's users cannot truncate it
(``chattr +a``, a separate volume, or shipped to the discipline office's log server).
"""

import hashlib
import hmac
import json
import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone as dt_timezone
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Min, Sum
from django.utils import timezone

from portal.audit.models import AuditBlock, AuditChainHead, AuditEvent
from portal.bulk import JsonText, insert_rows, reserve_ids

log = logging.getLogger(__name__)

GENESIS = "0" * 64
# Made once: json.dumps with options builds a new encoder on every call.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
SYSTEM_ACTOR = "system"
# pg_try_advisory_xact_lock key of the sealer ("audit seal"); advisory locks are per database.
SEAL_LOCK_KEY = 0x6175646974_5345
SEAL_CHUNK = 5000  # blocks per sealing transaction
_seal_mutex = threading.Lock()  # the in-process sealer lock where there is no advisory lock


# The hash of a row is SHA-256 of the compact JSON list (sorted keys, non-ASCII kept)
#   [prev, id, block, at, actor_id, actor_label, object_type, object_id, action, from_status,
#    to_status, note, data]
# (prev: the hash of the row before it in its block, GENESIS for the first; at: ISO 8601 in
# UTC), written here directly from its parts: json.dumps with options costs more than the rest
# of the sweep's work per row. tests/portal/test_audit.py checks it against json.dumps.
_quote = json.encoder.encode_basestring  # the C function json uses for str when ensure_ascii=False


def _canonical(value) -> str:
    """Canonical JSON of ``data``: flat dicts of text and integers directly, others by the encoder."""
    if type(value) is dict and all(isinstance(k, str) for k in value):
        parts = []
        for k in sorted(value):
            v = value[k]
            if isinstance(v, str):  # a TextChoices member too: JSON writes its text
                parts.append(f"{_quote(k)}:{_quote(v)}")
            elif type(v) is int:
                parts.append(f"{_quote(k)}:{int.__repr__(v)}")
            else:
                return _CANONICAL.encode(value)
        return "{" + ",".join(parts) + "}"
    return _CANONICAL.encode(value)


def _iso(at: datetime) -> str:
    return at.astimezone(dt_timezone.utc).isoformat()


def _shared(block: int, at_iso: str, actor_id, actor_label: str) -> str:
    """The part of a row's JSON after its id that is the same for every row of a block."""
    return f",{int(block)},{_quote(at_iso)},{'null' if actor_id is None else int(actor_id)},{_quote(actor_label)},"


def _row_tail(object_type, object_id, action, from_status, to_status, note, data_json) -> str:
    return (f"{_quote(object_type)},{int(object_id)},{_quote(action)},{_quote(from_status)},{_quote(to_status)},"
            f"{_quote(note)},{data_json}]")


def _row_hash(prev: str, row_id: int, shared: str, tail: str) -> str:
    return hashlib.sha256(("[" + _quote(prev) + "," + str(int(row_id)) + shared + tail).encode()).hexdigest()


def row_digest(prev: str, *, id, block, at, actor_id, actor_label, object_type, object_id, action, from_status,
               to_status, note, data) -> str:
    """The hash of one row (see above); used by the verifier and the tests."""
    return _row_hash(prev, id, _shared(block, _iso(at), actor_id, actor_label),
                     _row_tail(object_type, object_id, action, from_status, to_status, note, _canonical(data)))


def stored_row_digest(prev: str, row) -> str:
    """The hash a stored row (an AuditEvent, or the like) should have after ``prev``."""
    return row_digest(prev, id=row.id, block=row.block, at=row.at, actor_id=row.actor_id,
                      actor_label=row.actor_label, object_type=row.object_type, object_id=row.object_id,
                      action=row.action, from_status=row.from_status, to_status=row.to_status, note=row.note,
                      data=row.data)


def block_link(prev_hash: str, *, seq: int, id: int, last_id: int, count: int, digest: str) -> str:
    """The chain hash of a sealed block: SHA-256 of [prev_hash, seq, id, last_id, count, digest]."""
    text = f"[{_quote(prev_hash)},{int(seq)},{int(id)},{int(last_id)},{int(count)},{_quote(digest)}]"
    return hashlib.sha256(text.encode()).hexdigest()


class AuditEntry(NamedTuple):
    """One state change to append (a tuple: the sweep makes thousands at a time)."""

    object_type: str
    object_id: int
    action: str
    from_status: str = ""
    to_status: str = ""
    note: str = ""
    data: dict | None = None


EVENT_FIELDS = ["id", "hash", "object_type", "object_id", "action", "from_status", "to_status", "note", "data"]


def audit_log_many(*, actor, entries: list[AuditEntry], at=None, returning: bool = True,
                   ids: list[int] | None = None) -> list[AuditEvent]:
    """Append ``entries`` as one block, in the caller's transaction and without any shared
    lock; the sealer links the block into the chain after commit. With ``returning=False``
    the rows are written without model instances (the sweep's COPY) and nothing is returned.
    ``ids``: one id per entry, already taken from the table's sequence by the caller in this
    transaction (``portal.bulk.reserve_ids`` and the like, read along with a statement it sends
    anyway); by default they are taken here."""
    if not entries:
        return []
    if ids is not None and len(ids) != len(entries):
        raise ValueError(f"{len(ids)} ids for {len(entries)} audit entries")
    at = at or timezone.now()
    actor_id = actor.pk if actor is not None else None
    actor_label = actor.get_username() if actor is not None else SYSTEM_ACTOR
    # Part of the caller's transaction, not a savepoint in it: an entry that cannot be written
    # undoes the change it records (and a savepoint is two more round trips on every write).
    with transaction.atomic(savepoint=False):
        ids = sorted(ids if ids is not None else reserve_ids(AuditEvent, len(entries)))
        block = ids[0]
        shared = _shared(block, _iso(at), actor_id, actor_label)
        prev = GENESIS
        rows, tuples = [], []
        sha256 = hashlib.sha256
        for row_id, e in zip(ids, entries):
            data = JsonText(_canonical(e.data or {}))
            # _row_hash(prev, row_id, shared, _row_tail(…)) written out: a sweep batch hashes
            # thousands of rows (prev is hexadecimal, so quoting it is putting it in quotes).
            prev = sha256(f'["{prev}",{int(row_id)}{shared}{_quote(e.object_type)},{int(e.object_id)},'
                          f'{_quote(e.action)},{_quote(e.from_status)},{_quote(e.to_status)},{_quote(e.note)},'
                          f'{data}]'.encode()).hexdigest()
            if returning:
                rows.append(AuditEvent(id=row_id, block=block, hash=prev, at=at, actor=actor, actor_label=actor_label,
                                       object_type=e.object_type, object_id=e.object_id, action=e.action,
                                       from_status=e.from_status, to_status=e.to_status, note=e.note,
                                       data=e.data or {}))
            tuples.append((row_id, prev, e.object_type, e.object_id, e.action, e.from_status, e.to_status,
                           e.note, data))
        if returning and connection.vendor == "postgresql" and len(tuples) <= _ONE_STATEMENT_ROWS:
            _insert_rows_and_block(tuples, actor_id=actor_id, actor_label=actor_label, at=at, block=block,
                                   last_id=ids[-1], digest=prev)
            for row in rows:
                row._state.adding, row._state.db = False, connection.alias
        else:
            if returning:
                AuditEvent.objects.bulk_create(rows)
            else:
                insert_rows(AuditEvent, EVENT_FIELDS, tuples,
                            constants={"actor": actor_id, "at": at, "actor_label": actor_label, "block": block})
            AuditBlock.objects.create(id=block, last_id=ids[-1], count=len(ids), digest=prev, created_at=at)
        _seal_after_commit()
    return rows


# A request's few rows and their block go in as one INSERT … WITH statement on PostgreSQL, its
# text made once per row count: Django compiling a bulk_create and a create took more CPU than
# the rest of an upload's audit entry, in two round trips (bench.percall). Larger sets (the
# sweep's) take the COPY above.
_ONE_STATEMENT_ROWS = 8
_EVENT_COLUMNS = ["id", "hash", "object_type", "object_id", "action", "from_status", "to_status", "note", "data",
                  "actor", "actor_label", "at", "block"]
_BLOCK_COLUMNS = ["id", "last_id", "count", "digest", "created_at", "prev_hash", "hash"]
_one_statement: dict[int, str] = {}


def _insert_rows_and_block(tuples: list[tuple], *, actor_id, actor_label: str, at, block: int, last_id: int,
                           digest: str) -> None:
    """``tuples`` (in the order of EVENT_FIELDS) and their unsealed block, in one statement."""
    sql = _one_statement.get(len(tuples))
    if sql is None:
        quote = connection.ops.quote_name

        def columns(model, names):
            return ", ".join(quote(model._meta.get_field(name).column) for name in names)

        row = "(" + ", ".join(["%s"] * len(_EVENT_COLUMNS)) + ")"
        sql = _one_statement[len(tuples)] = (
            f"WITH written AS (INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns(AuditEvent, _EVENT_COLUMNS)}) "
            f"VALUES {', '.join([row] * len(tuples))}) "
            f"INSERT INTO {quote(AuditBlock._meta.db_table)} ({columns(AuditBlock, _BLOCK_COLUMNS)}) "
            f"VALUES (%s, %s, %s, %s, %s, '', '')")
    params = []
    for values in tuples:
        params += [*values[:8], str(values[8]), actor_id, actor_label, at, block]
    params += [block, last_id, len(tuples), digest, at]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def audit_log(*, actor, obj, action: str, from_status: str = "", to_status: str = "", note: str = "",
              data: dict | None = None, at=None, id: int | None = None) -> AuditEvent:
    """Record one state change of ``obj`` (pretix's ``log_action``, hash-chained); ``id`` as
    ``audit_log_many``'s ``ids``."""
    entry = AuditEntry(object_type=obj._meta.model_name, object_id=obj.pk, action=action,
                       from_status=from_status, to_status=to_status, note=note, data=data)
    return audit_log_many(actor=actor, entries=[entry], at=at, ids=None if id is None else [id])[0]


# --- sealing ---------------------------------------------------------------------------------


class _SealAfterCommit:
    """The after-commit seal of one transaction (registered once however many blocks it wrote).

    A busy process seals at most once per ``AUDIT_SEAL_COALESCE_SECONDS``: a commit within that
    time of this process's last seal leaves its block to the next commit after it, in any
    process, or to the schedule (``AUDIT_SEAL_SECONDS``). One seal takes every committed block,
    so under load the chain is as fresh as before for a fraction of the work (the seal is a
    transaction of its own: eight statements and a commit)."""

    last = float("-inf")  # monotonic time of this process's last after-commit seal

    def __init__(self):
        self.ran = False

    def __call__(self):
        self.ran = True
        now = time.monotonic()
        if now - _SealAfterCommit.last < settings.AUDIT_SEAL_COALESCE_SECONDS:
            return
        _SealAfterCommit.last = now
        audit_seal_quietly()


_deferral = threading.local()


@contextmanager
def sealing_deferred():
    """Within it (in this thread), a commit that wrote audit rows does not seal them: the
    caller seals once when it is done (``audit_seal``; the schedule takes them if it fails)."""
    previous = getattr(_deferral, "on", False)
    _deferral.on = True
    try:
        yield
    finally:
        _deferral.on = previous


def _seal_after_commit() -> None:
    """Seal right after the current transaction commits (unless ``sealing_deferred``)."""
    if getattr(_deferral, "on", False):
        return
    pending = transaction.get_connection().run_on_commit
    if not any(isinstance(func, _SealAfterCommit) and not func.ran for _sids, func, *_ in pending):
        transaction.on_commit(_SealAfterCommit(), robust=True)


def audit_seal_quietly() -> None:
    # The writer's transaction is committed: a failing seal must not fail its request (the
    # next seal or the scheduled one takes the block).
    try:
        audit_seal()
    except Exception:  # noqa: BLE001 - logged; sealing is retried on the schedule
        log.exception("sealing the audit trail failed; the scheduled seal will retry")


def audit_seal(*, rounds: int = 3) -> int:
    """Link every committed unsealed block into the chain; return how many were sealed.
    Returns at once (0) when another sealer holds the lock: that one looks again after its
    commit, so a block committed meanwhile is not left behind (beyond ``rounds`` under load,
    the next seal or the schedule takes it)."""
    sealed = 0
    for _ in range(rounds):
        done = _seal_once()
        if done is None:
            break
        sealed += done
        if not AuditBlock.objects.filter(seq__isnull=True).exists():
            break
    return sealed


def _seal_once() -> int | None:
    """One sealing transaction; None when another sealer is at work."""
    postgres = connection.vendor == "postgresql"
    if not postgres and not _seal_mutex.acquire(blocking=False):
        return None
    try:
        with transaction.atomic():
            if postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
                    if not cursor.fetchone()[0]:
                        return None
            blocks = list(AuditBlock.objects.filter(seq__isnull=True).order_by("id")
                          .values_list("id", "last_id", "count", "digest")[:SEAL_CHUNK])
            if not blocks:
                return 0
            head, _ = AuditChainHead.objects.get_or_create(id=1, defaults={"last_hash": GENESIS})
            prev, seq, count, now = head.last_hash, head.seq, head.count, timezone.now()
            sealed = []
            for block_id, last_id, rows, digest in blocks:
                seq += 1
                link = block_link(prev, seq=seq, id=block_id, last_id=last_id, count=rows, digest=digest)
                sealed.append(AuditBlock(id=block_id, seq=seq, prev_hash=prev, hash=link, sealed_at=now))
                prev, count = link, count + rows
            head.last_hash, head.seq, head.count = prev, seq, count
            if postgres:
                _seal_write(sealed, head, now)
            else:
                AuditBlock.objects.bulk_update(sealed, ["seq", "prev_hash", "hash", "sealed_at"], batch_size=1000)
                head.save(update_fields=["last_hash", "seq", "count"])
            # Anchored once the seal is committed (at once outside a transaction).
            transaction.on_commit(lambda: _append_anchor(seq, count, prev), robust=True)
        return len(blocks)
    finally:
        if not postgres:
            _seal_mutex.release()


def _seal_write(sealed: list[AuditBlock], head: AuditChainHead, now) -> None:
    """The sealed blocks and the new head in one statement (PostgreSQL): an UPDATE … FROM
    (VALUES …) of the blocks inside an UPDATE of the head. Django's ``bulk_update`` compiled a
    CASE per column and block, the most CPU of a seal that runs after a request's commit
    (bench.percall: a third of a create's time on the calls that sealed)."""
    quote = connection.ops.quote_name
    block_table, head_table = quote(AuditBlock._meta.db_table), quote(AuditChainHead._meta.db_table)
    values = ", ".join(["(%s::bigint, %s::bigint, %s, %s)"] * len(sealed))
    params = [now]
    for block in sealed:
        params += [block.id, block.seq, block.prev_hash, block.hash]
    params += [head.last_hash, head.seq, head.count, head.pk]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH sealed AS (UPDATE {block_table} AS b SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash, "
            f"sealed_at = %s FROM (VALUES {values}) AS v (id, seq, prev_hash, hash) WHERE b.id = v.id) "
            f"UPDATE {head_table} SET last_hash = %s, seq = %s, count = %s WHERE id = %s", params)


def unsealed_backlog() -> tuple[int, int, datetime | None]:
    """(blocks, rows, when the oldest was written) of the blocks not yet sealed: what /health/
    and /metrics watch (a backlog that only grows means no sealer is running)."""
    figures = AuditBlock.objects.filter(seq__isnull=True).aggregate(
        blocks=Count("id"), rows=Sum("count"), oldest=Min("created_at"))
    return figures["blocks"], figures["rows"] or 0, figures["oldest"]


# --- anchoring -------------------------------------------------------------------------------


def _anchor_key() -> bytes:
    key = getattr(settings, "AUDIT_ANCHOR_KEY", "") or ""
    if key:
        return key.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"portal.audit.anchor", hashlib.sha256).digest()


def _anchor_mac(seq: int, count: int, head_hash: str, at: str) -> str:
    payload = f"{int(seq)}|{int(count)}|{head_hash}|{at}".encode()
    return hmac.new(_anchor_key(), payload, hashlib.sha256).hexdigest()


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_PATH)


_last_anchored: dict[str, tuple] = {}


def _append_anchor(seq: int, count: int, head_hash: str) -> None:
    """Append one signed checkpoint line (one write(2) with O_APPEND: lines from several
    processes never interleave)."""
    path = anchor_path()
    if _last_anchored.get(str(path)) == (seq, head_hash):
        return
    at = _iso(timezone.now())
    line = json.dumps({"seq": seq, "count": count, "hash": head_hash, "at": at,
                       "mac": _anchor_mac(seq, count, head_hash, at)}, separators=(",", ":")) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)
    except OSError:
        log.exception("could not append the audit anchor to %s", path)
        return
    _last_anchored[str(path)] = (seq, head_hash)


def audit_anchor() -> int | None:
    """Append the current head to the anchor file (the schedule's checkpoint); its seq."""
    head = AuditChainHead.objects.filter(id=1).first()
    if head is None or head.seq == 0:
        return None
    _append_anchor(head.seq, head.count, head.last_hash)
    return head.seq


def audit_seal_and_anchor() -> int:
    """What the schedule runs: seal what is committed, then write a checkpoint of the head."""
    sealed = audit_seal()
    audit_anchor()
    return sealed


@dataclass(frozen=True)
class Anchor:
    seq: int
    count: int
    hash: str
    at: str


def read_anchors() -> tuple[dict[int, Anchor], str]:
    """Every checkpoint of the anchor file by seq, and a problem if a line is not one we signed."""
    anchors: dict[int, Anchor] = {}
    try:
        text = anchor_path().read_text()
    except FileNotFoundError:
        return anchors, ""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            anchor = Anchor(int(item["seq"]), int(item["count"]), str(item["hash"]), str(item["at"]))
            good = hmac.compare_digest(str(item["mac"]), _anchor_mac(anchor.seq, anchor.count, anchor.hash, anchor.at))
        except (ValueError, KeyError, TypeError):
            good = False
        if not good:
            return anchors, f"anchor file line {number} is not a checkpoint signed with the anchor key"
        known = anchors.get(anchor.seq)
        if known is not None and known.hash != anchor.hash:
            return anchors, f"anchor file line {number} contradicts an earlier checkpoint of block {anchor.seq}"
        anchors[anchor.seq] = anchor
    return anchors, ""


# --- verifying -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    """``checked``: rows whose hashes verified (sealed and unsealed); ``first_bad_id``: the
    first altered row in chain order; ``unsealed``: rows written but not yet sealed."""

    checked: int
    first_bad_id: int | None
    reason: str = ""
    unsealed: int = 0
    sealed_blocks: int = field(default=0, compare=False)
    anchored_seq: int | None = field(default=None, compare=False)
    oldest_unsealed_at: datetime | None = field(default=None, compare=False)


class _Tampered(Exception):
    def __init__(self, row_id, reason):
        super().__init__(reason)
        self.row_id, self.reason = row_id, reason


BLOCK_COLUMNS = ("id", "last_id", "count", "digest", "seq", "prev_hash", "hash", "created_at")


def _rows_of(blocks: list[tuple]) -> dict[int, list[AuditEvent]]:
    ids = [b[0] for b in blocks]
    rows = AuditEvent.objects.filter(id__gte=min(ids), id__lte=max(b[1] for b in blocks), block__in=ids) \
        .order_by("id").only("id", "block", "hash", "at", "actor_id", "actor_label", "object_type", "object_id",
                             "action", "from_status", "to_status", "note", "data")
    by_block: dict[int, list[AuditEvent]] = {}
    for row in rows:
        by_block.setdefault(row.block, []).append(row)
    return by_block


def _check_rows(block: tuple, rows: list[AuditEvent]) -> None:
    """The rows of one block against each other and against the block's digest."""
    block_id, last_id, count, digest = block[:4]
    if not rows or rows[0].id != block_id:
        raise _Tampered(block_id, "the row was removed (it is the first row of its block)")
    prev = GENESIS
    for row in rows:
        if row.hash != stored_row_digest(prev, row):
            raise _Tampered(row.id, "content does not match its hash (the row was edited, or the row before it "
                                    "was removed)")
        prev = row.hash
    if rows[-1].id != last_id:
        raise _Tampered(last_id, "the row was removed (it is the last row of its block)")
    if len(rows) != count or prev != digest:
        raise _Tampered(block_id, "the rows of this block no longer match what was sealed (rows were rewritten, "
                                  "added or removed)")


def _by_rows(blocks: list[tuple], limit: int = 5000):
    """Consecutive groups of blocks with about ``limit`` rows together."""
    group, size = [], 0
    for block in blocks:
        group.append(block)
        size += block[2]
        if size >= limit:
            yield group
            group, size = [], 0
    if group:
        yield group


def audit_verify(*, batch_size: int = 500) -> ChainReport:
    """Walk the sealed chain in order and then the unsealed blocks; report the first row whose
    content, link or place was altered, rows removed from the end (against the chain head and
    the newest anchor), and how many rows are not yet sealed. On PostgreSQL in one snapshot."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return _verify(batch_size)
    return _verify(batch_size)


def _verify(batch_size: int) -> ChainReport:
    anchors, anchor_problem = read_anchors()
    anchored = max(anchors) if anchors else None
    if anchor_problem:
        return ChainReport(0, None, anchor_problem, anchored_seq=anchored)
    prev, seq, checked = GENESIS, 0, 0
    try:
        while True:
            page = list(AuditBlock.objects.filter(seq__gt=seq).order_by("seq").values_list(*BLOCK_COLUMNS)
                        [:batch_size])
            if not page:
                break
            for group in _by_rows(page):
                rows = _rows_of(group)
                for block in group:
                    block_id, last_id, count, digest, block_seq, prev_hash, block_hash, _at = block
                    if block_seq != seq + 1:
                        raise _Tampered(block_id, f"sealed blocks {seq + 1}–{block_seq - 1} before this row's block "
                                                  "were removed")
                    if prev_hash != prev or block_hash != block_link(prev, seq=block_seq, id=block_id,
                                                                     last_id=last_id, count=count, digest=digest):
                        raise _Tampered(block_id, "the seal of this row's block was altered (its link to the "
                                                  "previous block is broken)")
                    anchor = anchors.get(block_seq)
                    if anchor is not None and (anchor.hash != block_hash or anchor.count != checked + count):
                        raise _Tampered(block_id, f"this row's block differs from the checkpoint anchored at "
                                                  f"{anchor.at} (the chain was rewritten)")
                    _check_rows(block, rows.get(block_id, []))
                    prev, seq, checked = block_hash, block_seq, checked + count
    except _Tampered as tampered:
        return ChainReport(checked, tampered.row_id, tampered.reason, sealed_blocks=seq, anchored_seq=anchored)
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.last_hash != prev or head.seq != seq or head.count != checked):
        return ChainReport(checked, None, "the newest sealed rows were removed (the chain head does not match)",
                           sealed_blocks=seq, anchored_seq=anchored)
    if anchored is not None and anchored > seq:
        anchor = anchors[anchored]
        return ChainReport(checked, None, f"the newest sealed rows were removed: the checkpoint anchored at "
                                          f"{anchor.at} records {anchor.seq} blocks ({anchor.count} rows), the "
                                          f"chain has {seq} blocks ({checked} rows)",
                           sealed_blocks=seq, anchored_seq=anchored)
    unsealed, oldest = 0, None
    last_id = 0
    try:
        while True:
            page = list(AuditBlock.objects.filter(seq__isnull=True, id__gt=last_id).order_by("id")
                        .values_list(*BLOCK_COLUMNS)[:batch_size])
            if not page:
                break
            for group in _by_rows(page):
                rows = _rows_of(group)
                for block in group:
                    _check_rows(block, rows.get(block[0], []))
                    unsealed += block[2]
                    oldest = block[7] if oldest is None else min(oldest, block[7])
            last_id = page[-1][0]
    except _Tampered as tampered:
        return ChainReport(checked + unsealed, tampered.row_id, tampered.reason, unsealed=unsealed,
                           sealed_blocks=seq, anchored_seq=anchored)
    total = AuditEvent.objects.count()
    if total != checked + unsealed:
        stray = (AuditEvent.objects.exclude(block__in=AuditBlock.objects.values("id")).order_by("id")
                 .values_list("id", flat=True).first())
        return ChainReport(checked + unsealed, stray, f"{total - checked - unsealed} rows belong to no block "
                                                      "(they were added outside the trail)",
                           unsealed=unsealed, sealed_blocks=seq, anchored_seq=anchored)
    return ChainReport(checked + unsealed, None, unsealed=unsealed, sealed_blocks=seq, anchored_seq=anchored,
                       oldest_unsealed_at=oldest)
