"""Races on PostgreSQL with real threads (SQLite ignores row locks, so these prove nothing there)."""

import threading

import pytest
from django.db import connection

from accountability.models import AccountabilityCase
from approvals import review
from portal.sweep import sweep
from approvals.models import Application, IssuedDocument, Stage
from portal.audit.models import AuditEvent
from portal.audit.services import ChainReport, audit_verify
from portal.errors import StateConflict
from tests.approvals.helpers import accepted, stage_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*calls):
    """Start every call at the same instant in its own thread and connection; return results/errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_reviewers_claiming_one_stage_one_wins_the_other_gets_409(world, api):
    app = accepted(world, api)
    stage_id = stage_of(app, "MARKET")
    for _ in range(5):
        Stage.objects.filter(pk=stage_id).update(status="pending", assignee=None)
        results = run_together(
            lambda: review.stage_claim(actor=world.reviewer_market, stage_id=stage_id),
            lambda: review.stage_claim(actor=world.head_market, stage_id=stage_id),
        )
        outcomes = sorted(kind for kind, _ in results)
        assert outcomes == ["error", "ok"], results
        assert isinstance(next(v for k, v in results if k == "error"), StateConflict)


def test_decision_racing_the_sweep_ends_with_exactly_one_final_event(world, api, travel):
    for _ in range(6):
        travel(2026, 9, 28, 10)
        app = accepted(world, api)
        stage_id = stage_of(app, "MARKET")
        travel(2026, 10, 17, 0, 0, 0)
        results = run_together(
            lambda: sweep(),
            lambda stage_id=stage_id: review.stage_approve(actor=world.reviewer_market, stage_id=stage_id,
                                                          opinion="同意"),
        )
        application = Application.objects.get(pk=app["id"])
        assert application.status in ("approved", "deemed_approved"), results
        decides = AuditEvent.objects.filter(object_type="application", object_id=app["id"], action="decide")
        assert decides.count() == 1
        stage_finals = AuditEvent.objects.filter(object_type="stage", object_id=stage_id,
                                                 action__in=["approve", "deem_approve"])
        assert stage_finals.count() == 1
        assert IssuedDocument.objects.filter(application_id=app["id"], kind="certificate").count() == 1
        cases = AccountabilityCase.objects.filter(source_ref=application.number).count()
        assert cases == (1 if application.status == "deemed_approved" else 0)
        loser = [v for k, v in results if k == "error"]
        assert all(isinstance(e, StateConflict) for e in loser)
    assert audit_verify() == ChainReport(checked=AuditEvent.objects.count(), first_bad_id=None)


def test_two_sweeps_at_once_never_double_approve(world, api, travel):
    travel(2026, 9, 28, 10)
    apps = [accepted(world, api, "HSG-001") for _ in range(12)]
    travel(2026, 10, 20, 9)
    results = run_together(lambda: sweep(batch=4), lambda: sweep(batch=4), lambda: sweep(batch=4))
    assert all(kind == "ok" for kind, _ in results), results
    total = sum(report["deemed_approved_stages"] for _, report in results)
    assert total == 36
    ids = [a["id"] for a in apps]
    assert Application.objects.filter(pk__in=ids, status="deemed_approved").count() == 12
    assert AuditEvent.objects.filter(object_type="stage", action="deem_approve").count() == 36
    assert IssuedDocument.objects.filter(application_id__in=ids, kind="certificate").count() == 12
    assert AccountabilityCase.objects.filter(source="deemed_approval").count() == 36
    assert audit_verify() == ChainReport(checked=AuditEvent.objects.count(), first_bad_id=None)


def test_a_backlog_is_shared_by_sweep_threads_and_lapses_exactly_once(world, api, travel, monkeypatch):
    """More than a batch due: threads with their own connections work it off together
    (SKIP LOCKED shares the rows); every stage lapses once and the audit chain stays linear."""
    from approvals import lapse

    travel(2026, 9, 28, 10)
    apps = [accepted(world, api, "HSG-001") for _ in range(10)]
    travel(2026, 10, 20, 9)
    claimed_by: dict[str, int] = {}
    claims: list[str] = []
    recording = threading.Lock()
    # The sweep's first batch runs alone; the next two claims (made by two threads, since a
    # thread waiting here claims nothing else) hold their row locks until both are in, so
    # the threads overlap by construction rather than by how they happen to be scheduled.
    overlap = threading.Barrier(2, timeout=30)
    claim_due = lapse.claim_due

    def recording_claim(now, batch):
        rows = claim_due(now, batch)
        if rows:
            with recording:
                name = threading.current_thread().name
                claimed_by[name] = claimed_by.get(name, 0) + len(rows)
                claims.append(name)
                turn = len(claims)
            if turn in (2, 3):
                overlap.wait()
        return rows

    monkeypatch.setattr(lapse, "claim_due", recording_claim)
    monkeypatch.setattr("approvals.deadlines.claim_due", recording_claim)
    report = sweep(batch=2, workers=3)
    assert report["deemed_approved_stages"] == 30
    assert len(claimed_by) >= 2 and claims[1] != claims[2], claims
    assert sum(claimed_by.values()) == 10
    ids = [a["id"] for a in apps]
    assert Application.objects.filter(pk__in=ids, status="deemed_approved").count() == 10
    assert AuditEvent.objects.filter(object_type="stage", action="deem_approve").count() == 30
    assert AuditEvent.objects.filter(object_type="application", action="decide").count() == 10
    assert IssuedDocument.objects.filter(application_id__in=ids, kind="certificate").count() == 10
    assert AccountabilityCase.objects.filter(source="deemed_approval").count() == 30
    assert audit_verify() == ChainReport(checked=AuditEvent.objects.count(), first_bad_id=None)
    assert sweep().deemed_approved_stages == 0
