"""The portal's PostgreSQL connections run without parallel query or JIT compilation unless told
(settings: DB_PARALLEL_WORKERS, DB_JIT). Under load a parallel worker, a new server process per statement, turned
the supervisors' 0.1 ms count of open overdue stages into 100-480 ms (BENCHMARKS.md, load)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_portals_connections_plan_no_parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
        # A plan the server would otherwise make parallel: a forced one shows no Gather.
        cursor.execute("SET LOCAL parallel_setup_cost = 0")
        cursor.execute("SET LOCAL parallel_tuple_cost = 0")
        cursor.execute("SET LOCAL min_parallel_table_scan_size = 0")
        cursor.execute("EXPLAIN SELECT count(*) FROM approvals_stage")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Gather" not in plan, plan


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_portals_connections_compile_nothing_just_in_time():
    """JIT compilation turned a township supervisor's 1 ms period statement into 90-104 ms."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SET LOCAL jit_above_cost = 0")  # what would otherwise compile any plan
        cursor.execute("EXPLAIN (ANALYZE) SELECT count(*) FROM approvals_stage")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "JIT" not in plan, plan


@pytest.mark.parametrize("workers, jit, expected", [(None, None, "0 -c jit=off"), ("2", None, "2 -c jit=off"),
                                                     (None, "1", "0 -c jit=on")])
def test_an_operator_may_allow_parallel_workers_and_jit(workers, jit, expected):
    env = {k: v for k, v in os.environ.items() if k not in ("DB_PARALLEL_WORKERS", "DB_JIT")}
    env["DATABASE_URL"] = "postgres://u@127.0.0.1/db"
    if workers is not None:
        env["DB_PARALLEL_WORKERS"] = workers
    if jit is not None:
        env["DB_JIT"] = jit
    shown = subprocess.run(
        [sys.executable, "-c", "import json, portal.settings as s; print(json.dumps(s.DATABASES['default']['OPTIONS']))"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    options = json.loads(shown.stdout.strip().splitlines()[-1])
    assert options["options"] == f"-c max_parallel_workers_per_gather={expected}"
