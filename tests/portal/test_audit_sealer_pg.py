"""The audit sealer under real concurrency on PostgreSQL (SQLite has one writer: nothing to prove there).

Writers append blocks in their own transactions without a shared lock; blocks commit in any
order; the sealer chains each committed block exactly once."""

import threading

import pytest
from django.db import connection, transaction

from portal.audit.models import AuditBlock, AuditChainHead, AuditEvent
from portal.audit.services import ChainReport, audit_log, audit_seal, audit_verify

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_block_committed_after_a_later_one_is_chained_after_it(world):
    """The lower id commits last: the chain follows the order blocks were sealed, not ids."""
    first_written, second_sealed = threading.Event(), threading.Event()
    errors = []

    def slow_writer():
        try:
            with transaction.atomic():
                audit_log(actor=world.window, obj=world.citizen, action="slow")
                first_written.set()
                assert second_sealed.wait(30)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert first_written.wait(30)
    fast = audit_log(actor=world.window, obj=world.citizen, action="fast")  # commits and seals at once
    assert AuditBlock.objects.get(id=fast.pk).seq == 1
    second_sealed.set()
    thread.join(30)
    assert not errors, errors
    slow = AuditEvent.objects.get(action="slow")
    assert slow.pk < fast.pk
    assert AuditBlock.objects.get(id=slow.pk).seq == 2  # sealed right after its own commit
    assert audit_verify() == ChainReport(checked=2, first_bad_id=None)


def test_many_writers_at_once_never_wait_for_each_other_and_every_block_is_sealed_once(world):
    writers = 24
    barrier = threading.Barrier(writers)
    errors = []

    def writer(index):
        try:
            barrier.wait()
            for step in range(3):
                with transaction.atomic():
                    audit_log(actor=world.window, obj=world.citizen, action=f"w{index}-{step}")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    audit_seal()  # whatever a busy sealer left (the schedule's job)
    seqs = sorted(AuditBlock.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, writers * 3 + 1))
    head = AuditChainHead.objects.get()
    assert (head.seq, head.count) == (writers * 3, writers * 3)
    assert audit_verify() == ChainReport(checked=writers * 3, first_bad_id=None)


def test_a_sweep_seals_its_batches_once_at_its_end(world, api, travel, monkeypatch):
    """The deadline sweep's batches leave their blocks to one seal when the sweep ends (not one
    sealing transaction per batch), and nothing it wrote is left unsealed."""
    from portal.audit import services
    from portal.sweep import sweep
    from tests.approvals.helpers import accepted

    travel(2026, 9, 28, 10)
    for _ in range(3):
        accepted(world, api)
    travel(2026, 10, 17, 9)
    seals = []
    seal_once = services._seal_once
    monkeypatch.setattr(services, "_seal_once", lambda: seals.append(AuditBlock.objects.filter(
        seq__isnull=True).count()) or seal_once())

    report = sweep(batch=1, workers=1)

    assert report["deemed_approved_stages"] == 3
    assert seals[0] >= 3  # the three batches' blocks, sealed together
    assert len(seals) == 1
    assert not AuditBlock.objects.filter(seq__isnull=True).exists()
    chain = audit_verify()
    assert chain.first_bad_id is None and not chain.unsealed


def test_a_long_sweep_seals_on_the_way(world, api, travel, monkeypatch, settings):
    """A backlog that takes longer than AUDIT_SEAL_SECONDS is sealed as the sweep goes (a worker
    busy sweeping runs no scheduled seal), not only at its end."""
    from portal.audit import services
    from portal.sweep import sweep
    from tests.approvals.helpers import accepted

    settings.AUDIT_SEAL_SECONDS = 0
    travel(2026, 9, 28, 10)
    for _ in range(3):
        accepted(world, api)
    travel(2026, 10, 17, 9)
    seals = []
    seal_once = services._seal_once
    monkeypatch.setattr(services, "_seal_once", lambda: seals.append(1) or seal_once())

    assert sweep(batch=1, workers=1)["deemed_approved_stages"] == 3

    assert len(seals) >= 3
    assert not AuditBlock.objects.filter(seq__isnull=True).exists()
