"""Sweep throughput: N open applications, D of them due → deemed approvals per second with
their side effects (stage + application rows, certificate, accountability case, audit
chain, outbox), against a raw set-based UPDATE of the same rows as the floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python -m bench.sweep
    (BENCH_OPEN=1000000 BENCH_DUE=100000 by default)
"""

import os
import time
from datetime import timedelta

from bench.common import setup_django, write_section

OPEN = int(os.environ.get("BENCH_OPEN", "1000000"))
DUE = int(os.environ.get("BENCH_DUE", "100000"))
BATCH = int(os.environ.get("BENCH_BATCH", "1000"))


def populate(cursor, *, service_id, department_id, clerk_id, now, open_count=None, due_count=None) -> None:
    """Insert ``open_count`` in-review applications, each with one pending stage; the first
    ``due_count`` are overdue at ``now``."""
    open_count = OPEN if open_count is None else open_count
    due_count = DUE if due_count is None else due_count
    cursor.execute("TRUNCATE approvals_alertrecord, approvals_issueddocument, approvals_stage, "
                   "approvals_materialfile, approvals_correctionitem, approvals_correctionnotice, "
                   "approvals_application, accountability_accountabilitycase, notifications_notification, "
                   "audit_auditevent, audit_auditblock, audit_auditchainhead RESTART IDENTITY CASCADE")
    # The audit checkpoints of the emptied chain go with it (the benchmark's own anchor file).
    from django.conf import settings

    settings.AUDIT_ANCHOR_PATH.unlink(missing_ok=True)
    past, future = now - timedelta(hours=1), now + timedelta(days=30)
    cursor.execute("""
        INSERT INTO approvals_application (number, tracking_code, service_id, channel, status, applicant_name,
            applicant_id_number, applicant_phone, applicant_email, created_by_id, created_at, submitted_at,
            intake_clerk_id, accepted_at, deemed_accepted, due_at, warn_at, due_provisional, alert,
            refusal_reason, refusal_legal_basis, suspension_kind, suspension_reason, suspension_note,
            suspended_days_total, extension_reason, outcome, onsite, certificate_number, spot_missed, proxy_consent)
        SELECT 'BN' || lpad(g::text, 9, '0'), 'BENCH000', %(service)s, 'online', 'in_review', '基准',
            '11010519491231002X', '13800138000', 'bench@example.invalid', %(clerk)s, %(created)s, %(created)s,
            %(clerk)s, %(created)s, false, CASE WHEN g <= %(due)s THEN %(past)s ELSE %(future)s END,
            %(future)s, false, 'none', '', '', '', '', '', 0, '', '', false, '', false, ''
        FROM generate_series(1, %(open)s) AS g
    """, {"service": service_id, "clerk": clerk_id, "created": now - timedelta(days=20), "due": due_count,
          "past": past, "future": future, "open": open_count})
    cursor.execute("""
        INSERT INTO approvals_stage (application_id, department_id, lead, status, days, started_at, due_at,
            warn_at, alert, deemed_approval, opinion, legal_basis)
        SELECT id, %(department)s, true, 'pending', 10, accepted_at, due_at, %(future)s, 'none', true, '', ''
        FROM approvals_application
    """, {"department": department_id, "future": future})
    settle(cursor)


def settle(cursor) -> None:
    """Start each measurement from the same quiet state: hint bits set, statistics fresh,
    dirty pages written (otherwise the first pass after loading a million rows pays for the
    load, and autovacuum or a checkpoint lands in the middle of one measurement only)."""
    for table in ("approvals_application", "approvals_stage"):
        cursor.execute(f"VACUUM ANALYZE {table}")
    cursor.execute("CHECKPOINT")


def _side_effects(cursor) -> dict[str, int]:
    counts = {}
    for name, sql in {
        "stages deemed approved": "SELECT count(*) FROM approvals_stage WHERE status = 'deemed_approved'",
        "applications deemed approved": "SELECT count(*) FROM approvals_application WHERE status = 'deemed_approved'",
        "certificates": "SELECT count(*) FROM approvals_issueddocument WHERE kind = 'certificate'",
        "accountability cases": "SELECT count(*) FROM accountability_accountabilitycase WHERE source = 'deemed_approval'",
        # The lapses' own entries (the sweep's later steps may add others, e.g. an escalation
        # proposal once a department collects many cases).
        "audit entries": "SELECT count(*) FROM audit_auditevent WHERE action IN ('deem_approve', 'decide') "
                         "OR (action = 'open' AND data->>'source' = 'deemed_approval')",
        "messages to applicants": "SELECT count(*) FROM notifications_notification WHERE event = 'decided'",
        "case notices to officials (one per official per batch)":
            "SELECT count(*) FROM notifications_notification WHERE event = 'case_opened'",
    }.items():
        cursor.execute(sql)
        counts[name] = cursor.fetchone()[0]
    return counts


def main() -> None:
    setup_django()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils import timezone

    from portal.sweep import sweep
    from portal.audit.services import audit_verify
    from portal.catalogue.models import ServiceItem

    service = ServiceItem.objects.get(code="MKT-002")
    clerk = User.objects.get(username="window")
    now = timezone.now()
    workers = settings.DEADLINE_SWEEP_WORKERS

    def load() -> float:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            populate(cursor, service_id=service.pk, department_id=service.department_id, clerk_id=clerk.pk, now=now)
            return time.perf_counter() - started

    def timed_sweep(threads: int) -> tuple[int, float]:
        started = time.perf_counter()
        report = sweep(now=now, batch=BATCH, workers=threads)
        seconds = time.perf_counter() - started
        assert report["deemed_approved_stages"] == DUE, report
        return report["deemed_approved_stages"], seconds

    # What a long-running worker has loaded before its first sweep (URL configuration, the
    # Chinese catalogue): not part of any sweep's cost.
    from django.urls import reverse
    from django.utils import translation

    reverse("application-detail", args=[1])
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("deemed approved")

    load_seconds = load()
    done, sweep_seconds = timed_sweep(workers)
    # Not measured: every side effect is there, once, and the audit chain verifies.
    with connection.cursor() as cursor:
        effects = _side_effects(cursor)
    expected = {"stages deemed approved": DUE, "applications deemed approved": DUE, "certificates": DUE,
                "accountability cases": DUE, "audit entries": 3 * DUE, "messages to applicants": DUE}
    notices = effects.pop("case notices to officials (one per official per batch)")
    assert effects == expected and 1 <= notices <= DUE, (effects, notices)
    chain = audit_verify()
    assert chain.first_bad_id is None and not chain.reason and chain.checked >= 3 * DUE and not chain.unsealed, chain

    load()
    single, single_seconds = timed_sweep(1)

    with connection.cursor() as cursor:
        populate(cursor, service_id=service.pk, department_id=service.department_id, clerk_id=clerk.pk, now=now)
        started = time.perf_counter()
        cursor.execute("""
            WITH due AS (
                UPDATE approvals_stage SET status = 'deemed_approved', decided_at = %(now)s
                WHERE status IN ('pending', 'claimed') AND deemed_approval AND due_at < %(now)s
                RETURNING application_id)
            UPDATE approvals_application a SET status = 'deemed_approved', outcome = 'deemed_approved',
                decided_at = %(now)s, certificate_number = 'ZS' || a.id
            FROM due WHERE a.id = due.application_id
        """, {"now": now})
        raw_rows = cursor.rowcount
        raw_seconds = time.perf_counter() - started
    assert raw_rows == DUE

    rate, single_rate, raw_rate = done / sweep_seconds, single / single_seconds, raw_rows / raw_seconds
    body = f"""
Command: `make bench` (runs `python -m bench.sweep`), `BENCH_OPEN={OPEN} BENCH_DUE={DUE}`, PostgreSQL.
Each measurement starts from a fresh load of the {OPEN:,} open applications (one stage each,
the first {DUE:,} overdue), vacuumed and checkpointed (loading took {load_seconds:.1f} s, not measured).

| what | rows | seconds | rows/s |
|---|---:|---:|---:|
| sweep (`portal.sweep.sweep`, batch {BATCH}, {workers} threads = `DEADLINE_SWEEP_WORKERS`): stage + application deemed approved, certificate, accountability case, 3 audit entries (stage, case opened, decision), message to the applicant, case notice | {done:,} | {sweep_seconds:.2f} | {rate:,.0f} |
| the same sweep on one thread | {single:,} | {single_seconds:.2f} | {single_rate:,.0f} |
| floor: one set-based `UPDATE` of the same stages and applications, no side effects | {raw_rows:,} | {raw_seconds:.2f} | {raw_rate:,.0f} |

Ratio sweep / raw UPDATE: **{rate / raw_rate:.3f}** (goal ≥ 0.25); sweep rate **{rate:,.0f}/s** (goal ≥ 5,000/s)
— {"**met**" if rate >= 5000 and rate / raw_rate >= 0.25 else "**not met**"}.
Checked after the timed sweep: {", ".join(f"{v:,} {k}" for k, v in effects.items())}, {notices:,} notices
to the department head (one per batch, listing its cases); the audit chain verifies ({chain.checked:,} entries,
all sealed, in {chain.sealed_blocks:,} blocks; the sealing is part of the timed sweep).

How: each batch claims applications by walking the partial index of open stages in due order
(`FOR UPDATE OF application SKIP LOCKED`, stops at the batch), reads them as plain rows, decides
in Python, and writes one `UPDATE` per table and one `COPY` per kind of new row; the audit
rows of a batch are one block, hashed row by row without any shared lock, and the sealer links
the block into the chain after the batch commits (`portal.audit.services`). A backlog of more than one batch is shared by
`DEADLINE_SWEEP_WORKERS` threads with their own connections (SKIP LOCKED hands each its rows).
"""
    write_section("Deadline sweep throughput", body)
    print(body)


if __name__ == "__main__":
    main()
