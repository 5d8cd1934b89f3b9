"""Lateness of deemed approvals with a real Celery worker and beat on Redis.

N deadlines spread over a window of real time; beat enqueues the sweep every second and
one worker runs it. Measured: decided_at − due_at per stage (p50/p99/max), early
decisions (must be 0), duplicate decisions (must be 0), and the worker's memory.

    DATABASE_URL=postgres://… REDIS_URL=redis://127.0.0.1:6379/10 python -m bench.lateness
    (BENCH_DEADLINES=2000 BENCH_WINDOW_SECONDS=120 by default)
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from bench.common import ROOT, setup_django, write_section

COUNT = int(os.environ.get("BENCH_DEADLINES", "2000"))
WINDOW = float(os.environ.get("BENCH_WINDOW_SECONDS", "120"))
LEAD = 10.0  # seconds before the first deadline, for the worker to start
INTERVAL = 1


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (the prefork pool)."""
    total = 0
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/10")
    os.environ["DEADLINE_SWEEP_SECONDS"] = str(INTERVAL)
    setup_django()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils import timezone

    from approvals.models import Stage
    from bench.sweep import populate
    from portal.audit.models import AuditEvent
    from portal.catalogue.models import ServiceItem

    service = ServiceItem.objects.get(code="MKT-002")
    clerk = User.objects.get(username="window")
    start = timezone.now()
    with connection.cursor() as cursor:
        populate(cursor, service_id=service.pk, department_id=service.department_id, clerk_id=clerk.pk,
                 now=start, open_count=COUNT, due_count=0)
        # Spread the deadlines evenly over the window, starting LEAD seconds from now.
        cursor.execute("""
            UPDATE approvals_stage SET due_at = %(first)s + (application_id - 1) * %(step)s * interval '1 second';
            UPDATE approvals_application a SET due_at = s.due_at FROM approvals_stage s WHERE s.application_id = a.id;
        """, {"first": start + timedelta(seconds=LEAD), "step": WINDOW / COUNT})
    connection.close()

    env = dict(os.environ)
    subprocess.run(["redis-cli", "-u", env["REDIS_URL"], "flushdb"], capture_output=True)
    celery = [sys.executable, "-m", "celery", "-A", "portal"]
    worker = subprocess.Popen(celery + ["worker", "--concurrency=1", "--loglevel=warning", "--without-gossip",
                                        "--without-mingle"], cwd=ROOT, env=env)
    beat = subprocess.Popen(celery + ["beat", "--loglevel=warning", "--schedule=/tmp/portal-bench-beat"],
                            cwd=ROOT, env=env)
    memory = []
    deadline = time.time() + LEAD + WINDOW + 30
    try:
        while time.time() < deadline:
            time.sleep(5)
            memory.append(rss_kib(worker.pid))
            if not Stage.objects.filter(status="pending").exists():
                break
            connection.close()
    finally:
        for process in (beat, worker):
            process.send_signal(signal.SIGTERM)
        for process in (beat, worker):
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()

    rows = list(Stage.objects.filter(status="deemed_approved").values_list("due_at", "decided_at"))
    lateness = [(decided - due).total_seconds() for due, decided in rows]
    early = sum(1 for value in lateness if value < 0)
    left = Stage.objects.filter(status="pending").count()
    events = AuditEvent.objects.filter(object_type="stage", action="deem_approve").count()
    duplicates = events - len(rows)
    p50, p99, worst = percentile(lateness, 0.5), percentile(lateness, 0.99), max(lateness)
    floor_p99 = 0.99 * INTERVAL
    body = f"""
Command: `make bench` (runs `python -m bench.lateness`), {COUNT:,} deadlines spread over {WINDOW:.0f} s,
one Celery worker (`--concurrency=1`) and one beat on Redis, beat interval {INTERVAL} s, PostgreSQL.

| measure | value |
|---|---:|
| deemed approvals | {len(rows):,} of {COUNT:,} (not decided: {left}) |
| lateness p50 (decided_at − due_at) | {p50:.3f} s |
| lateness p99 | {p99:.3f} s (goal ≤ 2 s) |
| lateness max | {worst:.3f} s |
| early decisions | {early} (goal 0) |
| duplicate decisions (audit entries − decided stages) | {duplicates} (goal 0) |
| worker RSS first / last / max sample | {memory[0] if memory else 0:,} / {memory[-1] if memory else 0:,} / {max(memory) if memory else 0:,} KiB |

Baseline in the same run: the beat interval alone makes a deadline wait up to one interval
for the next tick, so the floor of p99 is {floor_p99:.2f} s; measured p99 / floor = **{p99 / floor_p99:.2f}**.
"""
    write_section("Deadline lateness with Celery worker and beat", body)
    print(body)


if __name__ == "__main__":
    main()
