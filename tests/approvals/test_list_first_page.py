"""The applications' list of the window and the overseers reads its first page by a statement
compiled once per shape (approvals.api.ApplicationListCreateApi.first_page): the page, its links and
its count are what the ordinary query gives."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from approvals.api import ApplicationListCreateApi
from approvals.models import Application
from tests.approvals.test_intake_api import complete_draft, draft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_pages_prepared(monkeypatch):
    """Pages of one and two rows prepared too, so that a short list runs past its first page."""
    monkeypatch.setattr("approvals.api._PREPARED_LIMITS", frozenset({1, 2, 10, 20, 50, 100}))

QUERIES = [{"status": "submitted", "limit": 20}, {"status": "submitted", "limit": 1}, {"status": "submitted"},
           {"status": "submitted", "limit": 10}, {"status": "draft,submitted"},
           {}, {"limit": 2}, {"status": "submitted,", "limit": 2}, {"status": "submitted", "alert": "none"},
           {"status": "submitted", "offset": 1, "limit": 1}, {"status": "a,b,c,d,e"}]


@pytest.mark.parametrize("username", ["window", "window_town", "supervisor", "supervisor_town", "admin",
                                      "reviewer_market", "citizen"])
def test_the_prepared_first_page_is_the_ordinary_one(world, api, monkeypatch, username):
    citizen = api(world.citizen)
    for _ in range(3):
        app = complete_draft(citizen)
        assert citizen.post(f"/api/applications/{app['id']}/submit/").status_code == 200
    draft(citizen), draft(api(world.window))
    client = api(User.objects.get(username=username))
    prepared = [client.get("/api/applications/", query) for query in QUERIES]
    with monkeypatch.context() as ordinary_only:
        ordinary_only.setattr(ApplicationListCreateApi, "first_page", lambda self, request, limit: None)
        ordinary = [client.get("/api/applications/", query) for query in QUERIES]
    for query, answer, expected in zip(QUERIES, prepared, ordinary):
        assert answer.status_code == expected.status_code == 200
        assert answer.json() == expected.json(), query
    if username == "window":
        page = prepared[1].json()
        assert page["count"] >= 3 and page["next"] and len(page["results"]) == 1
        following = client.get(page["next"]).json()
        assert following["results"] and following["results"][0]["id"] < page["results"][0]["id"]


def _submitted(citizen, count: int) -> list[dict]:
    """``count`` complete applications of ``citizen`` (an API client), submitted."""
    apps = [complete_draft(citizen) for _ in range(count)]
    for app in apps:
        assert citizen.post(f"/api/applications/{app['id']}/submit/").status_code == 200
    return apps


def test_the_windows_first_page_is_one_statement_compiled_once_and_planned_for_its_status(world, api, monkeypatch):
    [app] = _submitted(api(world.citizen), 1)
    client = api(world.window)
    for status in ["in_review"] * 6 + ["submitted"]:  # more than the five calls after which a plan may stay
        client.get("/api/applications/", {"status": status, "limit": 20})
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(self.query.model) or
                        original(self, *a, **k))
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/api/applications/", {"status": "submitted", "limit": 20}).json()
    assert app["id"] in [row["id"] for row in page["results"]] and page["count"] == len(page["results"])
    reads = [q["sql"] for q in queries.captured_queries if '"approvals_application"' in q["sql"]]
    assert len(reads) == 1 and "'submitted'" in reads[0]
    assert Application not in compiled
    # Sent as SQL with its status, not EXECUTE of a statement prepared by name: PostgreSQL's plan for
    # any status walked every application for a status with none (350-470 ms at a million).
    assert not reads[0].startswith("EXECUTE")


def test_a_longer_list_is_counted_by_sql_compiled_once(world, api):
    _submitted(api(world.citizen), 2)
    client = api(world.window)
    client.get("/api/applications/", {"status": "submitted", "limit": 1})
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/api/applications/", {"status": "submitted", "limit": 1}).json()
    assert page["next"] and page["count"] >= 2 and page["count_exact"]
    reads = [q["sql"] for q in queries.captured_queries if '"approvals_application"' in q["sql"]]
    assert len(reads) == 2 and reads[1].startswith("SELECT COUNT(*)")  # planned for its values (PreparedCount)
    assert not reads[0].startswith("EXECUTE")  # so is the page


def test_a_page_size_not_prepared_is_read_by_the_ordinary_query(world, api):
    client = api(world.window)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/applications/", {"status": "submitted", "limit": 7}).status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if '"approvals_application"' in q["sql"]]
    assert reads and not any(sql.startswith("EXECUTE ") for sql in reads)


@pytest.mark.postgres
def test_the_windows_page_and_count_walk_an_index_of_the_status_in_id_order(world, api):
    """The window's list by status, newest first, and its bounded count are a walk of
    app_status_list_idx that stops at the page (with sorts and sequential scans priced out, the
    planner still needs no sort): at 10,800 submitted applications a sort of them all took 4 ms of
    PostgreSQL for the page and as much again for the count."""
    clerk = api(world.window)
    _submitted(api(world.citizen), 3)
    clerk.get("/api/applications/", {"status": "submitted", "limit": 1})
    with CaptureQueriesContext(connection) as queries:
        assert clerk.get("/api/applications/", {"status": "submitted", "limit": 1}).json()["count"] >= 3
    statements = [(q["sql"], q.get("params")) for q in queries.captured_queries if '"approvals_application"' in q["sql"]]
    assert len(statements) == 2  # the page and its count
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        for sql, _params in statements:
            # The statements as sent (an EXECUTE of a prepared one, or the count's SQL with its values).
            cursor.execute("EXPLAIN " + sql.split(" /* ")[0] if sql.startswith("EXECUTE") else "EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "app_status_list_idx" in plan and "Sort" not in plan, plan


@pytest.mark.postgres
def test_the_window_queue_pages_walk_an_index_in_deadline_then_id_order(world, api, client):
    """The window's queue ("new" by intake deadline, "due soon" by deadline, then id): deadlines
    fall at the end of a working day, so thousands of applications share one; each section's page is
    a range of app_intake_due_list_idx / app_due_list_idx with no sort (sorting every application
    sharing the first deadline took 135 ms at a million)."""
    from tests.approvals.helpers import accepted

    _submitted(api(world.citizen), 2)
    accepted(world, api)
    client.force_login(world.window)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/window/queue/", secure=True).status_code == 200
    sections = {index: [q["sql"] for q in queries.captured_queries
                        if q["sql"].startswith("SELECT") and f'ORDER BY "approvals_application"."{key}" ASC' in q["sql"]]
                for index, key in [("app_intake_due_list_idx", "intake_due_at"), ("app_due_list_idx", "due_at")]}
    with connection.cursor() as cursor:
        for setting in ["enable_seqscan", "enable_sort", "enable_incremental_sort", "enable_bitmapscan"]:
            cursor.execute(f"SET LOCAL {setting} = off")
        for index, statements in sections.items():
            assert len(statements) == 1, statements
            cursor.execute("EXPLAIN " + statements[0])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert index in plan and "Sort" not in plan, plan
