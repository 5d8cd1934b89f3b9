"""The embedded default (``make run``: SQLite) answers what PostgreSQL answers.

The portal writes some hot statements by hand for PostgreSQL (the progress query's arrays, the
statistics' one statement, statements prepared on the session) and keeps the ORM's portable
path for other databases. CI runs the suite on PostgreSQL only, so the portable paths would go
untested: this runs the tests of those features again, in a child pytest on SQLite."""

import os
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
ON_SQLITE = [
    "tests/approvals/test_track_reads.py",  # the progress query (page and API)
    "tests/approvals/test_personas.py",
    "tests/approvals/test_event_rows.py",  # the detail's history
    "tests/supervision/test_stats_api.py",  # the statistics
    "tests/portal/test_token_reads.py",  # the token with its profile and roles
    "tests/portal/test_prepared.py",
]


def test_the_features_with_a_postgresql_statement_pass_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CI", "PYTEST_XDIST_WORKER",
                                                             "PYTEST_XDIST_WORKER_COUNT")}
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:xdist",
                          "-p", "no:cacheprovider", *ON_SQLITE],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    tail = "\n".join(run.stdout.splitlines()[-25:])
    assert run.returncode == 0, tail
    assert " passed" in tail and "failed" not in tail, tail
