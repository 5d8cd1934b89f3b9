"""The portal's PostgreSQL connections run without parallel query unless told (settings:
DB_PARALLEL_WORKERS). Under load a parallel worker, a new server process per statement, turned
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


@pytest.mark.parametrize("value, expected", [(None, "0"), ("2", "2")])
def test_an_operator_may_allow_parallel_workers(value, expected):
    env = {k: v for k, v in os.environ.items() if k != "DB_PARALLEL_WORKERS"}
    env["DATABASE_URL"] = "postgres://u@127.0.0.1/db"
    if value is not None:
        env["DB_PARALLEL_WORKERS"] = value
    shown = subprocess.run(
        [sys.executable, "-c", "import json, portal.settings as s; print(json.dumps(s.DATABASES['default']['OPTIONS']))"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    options = json.loads(shown.stdout.strip().splitlines()[-1])
    assert options["options"] == f"-c max_parallel_workers_per_gather={expected}"
