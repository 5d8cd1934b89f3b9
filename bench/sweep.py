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


def populate(cursor, *, service_id, department_id, clerk_id, now, open_count=None, due_count=None) -> None:
    """Insert ``open_count`` in-review applications, each with one pending stage; the first
    ``due_count`` are overdue at ``now``."""
    open_count = OPEN if open_count is None else open_count
    due_count = DUE if due_count is None else due_count
    cursor.execute("TRUNCATE approvals_alertrecord, approvals_issueddocument, approvals_stage, "
                   "approvals_materialfile, approvals_correctionitem, approvals_correctionnotice, "
                   "approvals_application, accountability_accountabilitycase, notifications_notification, "
                   "audit_auditevent, audit_auditchainhead RESTART IDENTITY CASCADE")
    past, future = now - timedelta(hours=1), now + timedelta(days=30)
    cursor.execute("""
        INSERT INTO approvals_application (number, tracking_code, service_id, channel, status, applicant_name,
            applicant_id_number, applicant_phone, applicant_email, created_by_id, created_at, submitted_at,
            intake_clerk_id, accepted_at, deemed_accepted, due_at, warn_at, due_provisional, alert,
            refusal_reason, refusal_legal_basis, suspension_kind, suspension_reason, suspension_note,
            suspended_days_total, extension_reason, outcome, onsite, certificate_number)
        SELECT 'BN' || lpad(g::text, 9, '0'), 'BENCH000', %(service)s, 'online', 'in_review', '基准',
            '11010519491231002X', '13800138000', 'bench@example.invalid', %(clerk)s, %(created)s, %(created)s,
            %(clerk)s, %(created)s, false, CASE WHEN g <= %(due)s THEN %(past)s ELSE %(future)s END,
            %(future)s, false, 'none', '', '', '', '', '', 0, '', '', false, ''
        FROM generate_series(1, %(open)s) AS g
    """, {"service": service_id, "clerk": clerk_id, "created": now - timedelta(days=20), "due": due_count,
          "past": past, "future": future, "open": open_count})
    cursor.execute("""
        INSERT INTO approvals_stage (application_id, department_id, lead, status, days, started_at, due_at,
            warn_at, alert, deemed_approval, opinion)
        SELECT id, %(department)s, true, 'pending', 10, accepted_at, due_at, %(future)s, 'none', true, ''
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


def main() -> None:
    setup_django()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils import timezone

    from approvals.deadlines import sweep
    from portal.catalogue.models import ServiceItem

    service = ServiceItem.objects.get(code="MKT-002")
    clerk = User.objects.get(username="window")
    now = timezone.now()
    with connection.cursor() as cursor:
        started = time.perf_counter()
        populate(cursor, service_id=service.pk, department_id=service.department_id, clerk_id=clerk.pk, now=now)
        load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    report = sweep(now=now, batch=1000)
    sweep_seconds = time.perf_counter() - started
    done = report["deemed_approved_stages"]
    assert done == DUE, report

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

    rate, raw_rate = done / sweep_seconds, raw_rows / raw_seconds
    body = f"""
Command: `make bench` (runs `python -m bench.sweep`), `BENCH_OPEN={OPEN} BENCH_DUE={DUE}`, PostgreSQL.

| what | rows | seconds | rows/s |
|---|---:|---:|---:|
| sweep (`approvals.deadlines.sweep`, batch 1000): stage + application deemed approved, certificate, accountability case, audit chain, outbox message | {done:,} | {sweep_seconds:.2f} | {rate:,.0f} |
| floor: one set-based `UPDATE` of the same stages and applications, no side effects | {raw_rows:,} | {raw_seconds:.2f} | {raw_rate:,.0f} |

Ratio sweep / raw UPDATE: **{rate / raw_rate:.3f}** (goal ≥ 0.1); sweep rate goal ≥ 5,000/s.
Loading the {OPEN:,} open applications took {load_seconds:.1f} s (not measured above).
"""
    write_section("Deadline sweep throughput", body)
    print(body)


if __name__ == "__main__":
    main()
