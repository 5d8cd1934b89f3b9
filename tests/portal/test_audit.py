"""全程留痕: append-only, hash-chained; verify_audit finds the first tampered row.
(The attacks of the security review are in tests/security/test_audit_tampering.py.)"""

import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from portal.audit.models import AuditEvent
from portal.audit.models import AuditBlock, AuditChainHead
from portal.audit.services import AuditEntry, audit_log, audit_log_many, audit_seal, audit_verify, row_digest

pytestmark = pytest.mark.django_db


def make_events(world, n=5, seal=True):
    events = [audit_log(actor=world.window, obj=world.citizen, action=f"step{i}", from_status="a", to_status="b")
              for i in range(n)]
    if seal:
        audit_seal()
    return events


def test_chain_of_untouched_rows_verifies(world):
    make_events(world)
    report = audit_verify()
    assert report.first_bad_id is None and report.reason == ""
    assert report.checked == AuditEvent.objects.count()
    call_command("verify_audit")


def test_edited_row_is_reported_as_the_first_tampered(world):
    events = make_events(world)
    AuditEvent.objects.filter(pk=events[2].pk).update(note="rewritten history")
    report = audit_verify()
    assert report.first_bad_id == events[2].pk
    with pytest.raises(CommandError, match=f"row {events[2].pk}"):
        call_command("verify_audit")


def test_a_deleted_row_is_named(world):
    events = make_events(world)
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    assert audit_verify().first_bad_id == events[1].pk


def test_a_row_deleted_from_the_middle_of_a_block_breaks_the_link_of_the_next(world):
    rows = audit_log_many(actor=world.window, entries=[AuditEntry("user", world.citizen.pk, f"step{i}")
                                                        for i in range(4)])
    audit_seal()
    AuditEvent.objects.filter(pk=rows[1].pk).delete()
    assert audit_verify().first_bad_id == rows[2].pk


def test_writers_take_no_shared_lock_and_unsealed_rows_are_reported_as_such(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        audit_log(actor=world.window, obj=world.citizen, action="step")
    sql = " ".join(q["sql"].lower() for q in queries.captured_queries)
    assert "auditchainhead" not in sql and "for update" not in sql
    report = audit_verify()
    assert report.first_bad_id is None and report.unsealed == 1 and report.checked == 1
    assert audit_seal() == 1
    assert audit_verify() == type(report)(checked=1, first_bad_id=None)
    assert AuditChainHead.objects.get().seq == 1 and AuditBlock.objects.get().seq == 1


def test_an_edit_before_sealing_is_named_too(world):
    events = make_events(world, seal=False)
    AuditEvent.objects.filter(pk=events[3].pk).update(action="other")
    assert audit_verify().first_bad_id == events[3].pk


def test_deleting_the_newest_row_is_detected_at_the_head(world):
    make_events(world)
    AuditEvent.objects.order_by("-id").first().delete()
    report = audit_verify()
    assert report.reason


def test_every_transition_of_an_application_is_in_the_trail(world, api):
    from tests.conftest import APPLICANT, upload

    citizen, clerk = api(world.citizen), api(world.window)
    app = citizen.post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT}, format="json").json()
    for code in ["FORM", "LICENCE", "LAYOUT", "SAFETY"]:
        upload(citizen, app["id"], code)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    clerk.post(f"/api/applications/{app['id']}/accept/")
    events = citizen.get(f"/api/applications/{app['id']}/").json()["events"]
    transitions = [(e["action"], e["from_status"], e["to_status"], e["actor"]) for e in events if e["to_status"]]
    assert transitions == [
        ("create", "", "draft", "citizen"),
        ("submit", "draft", "submitted", "citizen"),
        ("accept", "submitted", "in_review", "window"),
    ]
    assert audit_verify().first_bad_id is None


# The hash is defined as SHA-256 of json.dumps(row, ensure_ascii=False, sort_keys=True,
# separators=(",", ":")) over every column; the writer builds that text by hand for speed. Any
# text, any flat or nested data must give the same hash both ways, or old rows would stop verifying.

_scalars = st.one_of(st.text(), st.integers(), st.booleans(), st.none())
_data = st.one_of(
    st.dictionaries(st.text(), st.one_of(st.text(), st.integers())),
    st.dictionaries(st.text(), st.recursive(_scalars, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
                                            max_leaves=6)),
)


@given(note=st.text(), action=st.text(min_size=1), label=st.text(), object_id=st.integers(0, 2**62), data=_data,
       micros=st.integers(0, 10**12), row_id=st.integers(1, 2**62), actor_id=st.one_of(st.none(), st.integers(1, 2**31)))
def test_the_fast_hash_is_the_hash_of_the_canonical_json(note, action, label, object_id, data, micros, row_id,
                                                          actor_id):
    at = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=micros)
    prev = hashlib.sha256(note.encode("utf-8", "surrogatepass")).hexdigest()
    expected = hashlib.sha256(json.dumps(
        [prev, row_id, row_id - 1, at.isoformat(), actor_id, label, "stage", object_id, action, "pending",
         "deemed_approved", note, data],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    ).encode("utf-8", "surrogatepass")).hexdigest()
    try:
        fast = row_digest(prev, id=row_id, block=row_id - 1, at=at, actor_id=actor_id, actor_label=label,
                          object_type="stage", object_id=object_id, action=action, from_status="pending",
                          to_status="deemed_approved", note=note, data=data)
    except UnicodeEncodeError:
        # Lone surrogates cannot be stored in PostgreSQL text either; both ways refuse them.
        with pytest.raises(UnicodeEncodeError):
            json.dumps([note, label, action, data], ensure_ascii=False).encode()
        return
    assert fast == expected


def test_a_busy_process_seals_after_a_commit_at_most_once_a_window(world, settings,
                                                                     django_capture_on_commit_callbacks):
    """The after-commit seal is coalesced per process (AUDIT_SEAL_COALESCE_SECONDS): the first
    commit is sealed at once, one within the window is left to the next seal, and that seal
    takes every block committed meanwhile."""
    from portal.audit.services import _SealAfterCommit

    settings.AUDIT_SEAL_COALESCE_SECONDS = 3600
    _SealAfterCommit.last = float("-inf")  # time.monotonic() may be small after a boot
    audit_seal()
    with django_capture_on_commit_callbacks(execute=True):
        first = audit_log(actor=world.window, obj=world.citizen, action="first")
    assert AuditBlock.objects.get(pk=first.block).seq is not None  # sealed right after its commit
    with django_capture_on_commit_callbacks(execute=True):
        second = audit_log(actor=world.window, obj=world.citizen, action="second")
    with django_capture_on_commit_callbacks(execute=True):
        third = audit_log(actor=world.window, obj=world.citizen, action="third")
    assert AuditBlock.objects.filter(pk__in=[second.block, third.block], seq__isnull=True).count() == 2
    assert audit_verify().unsealed == 2
    assert audit_seal() == 2  # the schedule's (or the next commit's) seal takes both
    report = audit_verify()
    assert report.first_bad_id is None and report.checked == AuditEvent.objects.count()


@pytest.mark.postgres
@pytest.mark.parametrize("count", [1, 3, 9])  # one statement up to 8 rows, bulk_create and a block row beyond
def test_rows_written_in_one_statement_are_the_rows_the_orm_reads_back_and_they_verify(world, count):
    note = 'a "quoted"\tnote\nwith \\ backslash and 中文'
    data = {"material": "FORM", "nested": {"list": [1, "二", None]}, "sha256": "ab" * 32}
    events = audit_log_many(actor=world.window, entries=[
        AuditEntry(object_type="application", object_id=7, action=f"step{i}", from_status="draft",
                   to_status="submitted", note=note, data=data) for i in range(count)])
    stored = {e.pk: e for e in AuditEvent.objects.filter(pk__in=[e.pk for e in events])}
    for event in events:
        assert not event._state.adding
        row = stored[event.pk]
        assert (row.at, row.actor_id, row.actor_label, row.note, row.data, row.block, row.hash) == \
            (event.at, world.window.pk, "window", note, data, events[0].pk, event.hash)
    block = AuditBlock.objects.get(pk=events[0].pk)
    assert (block.last_id, block.count, block.digest, block.seq, block.prev_hash, block.hash) == \
        (events[-1].pk, count, events[-1].hash, None, "", "")
    audit_seal()
    assert audit_verify().first_bad_id is None


def test_a_seal_writes_its_blocks_and_the_head_in_one_statement_and_links_each_block(world):
    """The sealer's write is one UPDATE of every block it seals inside the head's UPDATE (not a
    CASE per column and block, nor a second statement for the head); each block gets the next
    seq, the previous block's hash and its link, and the head moves to the last."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.audit.services import block_link

    make_events(world, n=1)  # a chain with a head already
    head = AuditChainHead.objects.get(pk=1)
    blocks = [audit_log_many(actor=world.window, entries=[AuditEntry("user", world.citizen.pk, f"s{i}")] * (i + 1))
              for i in range(4)]
    with CaptureQueriesContext(connection) as queries:
        assert audit_seal() == 4
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("UPDATE", "WITH"))]
    if connection.vendor == "postgresql":  # SQLite, with one writer, keeps Django's bulk_update and save
        assert len(writes) == 1 and "CASE" not in writes[0]
    prev, seq, count = head.last_hash, head.seq, head.count
    for rows in blocks:
        block = AuditBlock.objects.get(pk=rows[0].block)
        seq += 1
        assert (block.seq, block.prev_hash, block.last_id, block.count) == (seq, prev, rows[-1].pk, len(rows))
        assert block.hash == block_link(prev, seq=seq, id=block.id, last_id=block.last_id, count=block.count,
                                        digest=block.digest)
        assert block.sealed_at is not None
        prev, count = block.hash, count + len(rows)
    head.refresh_from_db()
    assert (head.last_hash, head.seq, head.count) == (prev, seq, count)
    assert audit_verify().first_bad_id is None
