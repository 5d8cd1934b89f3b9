"""Issue 11 item 3: an attacker with SQL access to the database rewrites the audit trail
(全程留痕). Each attack of the review is replayed; ``verify_audit`` must report every one.

The attacker knows the hash algorithm (it is in the source) and can recompute every hash
stored in the database; what he lacks is the anchor key and the anchor file."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from portal.audit.models import AuditBlock, AuditChainHead, AuditEvent
from portal.audit.services import GENESIS, audit_verify, block_link, stored_row_digest
from tests.conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(world, api, django_capture_on_commit_callbacks):
    """An application taken in and accepted through the API; every commit's seal and anchor run."""
    citizen, clerk = api(world.citizen), api(world.window)
    with django_capture_on_commit_callbacks(execute=True):
        app = citizen.post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT},
                           format="json").json()
    for code in ["FORM", "LICENCE", "LAYOUT", "SAFETY"]:
        with django_capture_on_commit_callbacks(execute=True):
            upload(citizen, app["id"], code)
    with django_capture_on_commit_callbacks(execute=True):
        citizen.post(f"/api/applications/{app['id']}/submit/")
    with django_capture_on_commit_callbacks(execute=True):
        clerk.post(f"/api/applications/{app['id']}/accept/")
    report = audit_verify()
    assert report.first_bad_id is None and not report.reason and report.unsealed == 0, report
    assert report.anchored_seq == AuditChainHead.objects.get().seq  # anchored after the last seal
    return app


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _rehash_from(block_seq: int) -> None:
    """The attacker covers his tracks: every row hash, block digest and seal from ``block_seq``
    on recomputed, and the chain head moved to match."""
    previous = AuditBlock.objects.filter(seq=block_seq - 1).first()
    prev = previous.hash if previous else GENESIS
    count = (AuditChainHead.objects.get().count
             - sum(AuditBlock.objects.filter(seq__gte=block_seq).values_list("count", flat=True)))
    seq = block_seq - 1
    for block in AuditBlock.objects.filter(seq__gte=block_seq).order_by("seq"):
        rows = list(AuditEvent.objects.filter(block=block.id).order_by("id"))
        if not rows:
            block.delete()
            continue
        digest = GENESIS
        for row in rows:
            digest = stored_row_digest(digest, row)
            _sql("UPDATE audit_auditevent SET hash = %s WHERE id = %s", [digest, row.id])
        seq += 1
        link = block_link(prev, seq=seq, id=rows[0].id, last_id=rows[-1].id, count=len(rows), digest=digest)
        _sql("UPDATE audit_auditblock SET id = %s, last_id = %s, count = %s, digest = %s, seq = %s, prev_hash = %s, "
             "hash = %s WHERE id = %s", [rows[0].id, rows[-1].id, len(rows), digest, seq, prev, link, block.id])
        prev, count = link, count + len(rows)
    _sql("UPDATE audit_auditchainhead SET last_hash = %s, seq = %s, count = %s", [prev, seq, count])


def _reported(report, row_id=None):
    assert report.reason, report
    if row_id is not None:
        assert report.first_bad_id == row_id, report
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit")


def test_changing_who_acted_is_named(world, trail):
    """The review: ``UPDATE … SET actor_id`` left verify_audit "intact" and the history showed
    another official's badge."""
    accept = AuditEvent.objects.get(object_type="application", object_id=trail["id"], action="accept")
    _sql("UPDATE audit_auditevent SET actor_id = %s WHERE id = %s", [world.head_market.pk, accept.pk])
    _reported(audit_verify(), accept.pk)


def test_changing_who_acted_and_recomputing_every_hash_is_caught_by_the_anchor(world, trail):
    accept = AuditEvent.objects.get(object_type="application", object_id=trail["id"], action="accept")
    _sql("UPDATE audit_auditevent SET actor_id = %s, actor_label = 'head_market' WHERE id = %s",
         [world.head_market.pk, accept.pk])
    _rehash_from(AuditBlock.objects.get(id=accept.block).seq)
    _reported(audit_verify(), AuditBlock.objects.get(id=accept.block).id)


def test_a_deleted_middle_row_is_named(world, trail):
    submit = AuditEvent.objects.get(object_type="application", object_id=trail["id"], action="submit")
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [submit.pk])
    _reported(audit_verify(), submit.pk)


def test_a_deleted_middle_row_with_the_chain_relinked_is_caught_by_the_anchor(world, trail):
    submit = AuditEvent.objects.get(object_type="application", object_id=trail["id"], action="submit")
    seq = AuditBlock.objects.get(id=submit.block).seq
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [submit.pk])
    _rehash_from(seq)
    report = audit_verify()
    _reported(report)
    assert report.first_bad_id is not None and report.first_bad_id > submit.pk  # the first re-linked block


def test_deleting_the_newest_rows_and_rolling_the_head_back_is_caught_by_the_anchor(world, trail):
    """The review: deleting the newest rows and rolling the chain head back went unnoticed."""
    head = AuditChainHead.objects.get()
    keep = head.seq - 2
    doomed = list(AuditBlock.objects.filter(seq__gt=keep))
    kept = AuditBlock.objects.get(seq=keep)
    _sql("DELETE FROM audit_auditevent WHERE block = ANY(%s)" if connection.vendor == "postgresql" else
         f"DELETE FROM audit_auditevent WHERE block IN ({','.join(str(b.id) for b in doomed)})",
         [[b.id for b in doomed]] if connection.vendor == "postgresql" else [])
    AuditBlock.objects.filter(seq__gt=keep).delete()
    _sql("UPDATE audit_auditchainhead SET last_hash = %s, seq = %s, count = %s",
         [kept.hash, keep, head.count - sum(b.count for b in doomed)])
    report = audit_verify()
    _reported(report)
    assert "removed" in report.reason and f"{head.seq} blocks" in report.reason


def test_a_forged_checkpoint_is_refused(world, trail, settings):
    with open(settings.AUDIT_ANCHOR_PATH, "a") as anchors:
        anchors.write('{"seq":1,"count":1,"hash":"%s","at":"2026-01-01T00:00:00+00:00","mac":"00"}\n' % GENESIS)
    _reported(audit_verify())


def test_rows_added_outside_the_trail_are_named(world, trail):
    row = AuditEvent.objects.order_by("-id").first()
    _sql("INSERT INTO audit_auditevent (id, at, actor_id, actor_label, object_type, object_id, action, from_status, "
         "to_status, note, data, block, hash) SELECT id + 1000, at, actor_id, actor_label, object_type, object_id, "
         "action, from_status, to_status, note, data, 999999, hash FROM audit_auditevent WHERE id = %s", [row.pk])
    _reported(audit_verify(), row.pk + 1000)
