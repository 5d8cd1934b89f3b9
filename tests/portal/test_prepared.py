"""Querysets compiled once per process (portal.prepared): the same rows and related rows as a
plain evaluation, the new values in every call, Django's own path for anything else."""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections, transaction
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from approvals.locks import application_lock
from approvals.models import Application
from approvals.permissions import applications_visible_to, sees_own_applications_only
from portal.errors import NotFound
from portal.locking import for_update
from portal.prepared import PreparedQuery, prepared_sql

pytestmark = pytest.mark.django_db


def _tokens_with_profile():
    return PreparedQuery(lambda key: Token.objects.select_related("user__staff_profile").filter(key=key)[:1], str)


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_each_call_finds_its_own_row_with_the_related_rows_a_plain_read_gives(world):
    query = _tokens_with_profile()
    for user in User.objects.all():
        key = Token.objects.get_or_create(user=user)[0].key
        plain = Token.objects.select_related("user__staff_profile").get(key=key)
        [prepared] = query(key)
        assert _fields(prepared) == _fields(plain)
        assert _fields(prepared.user) == _fields(plain.user)
        with CaptureQueriesContext(connection) as queries:
            profile = getattr(prepared.user, "staff_profile", None)
        assert len(queries) == 0, "the profile (or its absence) came with the row"
        expected = getattr(plain.user, "staff_profile", None)
        assert (profile and _fields(profile)) == (expected and _fields(expected)), user.username
    assert query("no such key") == []


def test_the_shape_is_compiled_once(world, monkeypatch):
    query = _tokens_with_profile()
    keys = [Token.objects.get_or_create(user=user)[0].key for user in User.objects.all()[:3]]
    query(keys[0])
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or original(self, *a, **k))
    with CaptureQueriesContext(connection) as queries:
        found = [query(key)[0].key for key in keys]
    assert found == keys
    assert compiled == [] and len(queries) == 3


def test_a_value_of_another_type_takes_djangos_own_path(world):
    query = PreparedQuery(lambda pk: User.objects.filter(pk=pk), int)
    pk = world.window.pk
    assert [u.username for u in query(pk)] == ["window"]
    assert [u.username for u in query(str(pk))] == ["window"]  # Django converts "12"
    with pytest.raises(ValueError):
        query("twelve")  # and refuses what is no id, as a plain filter does


def test_a_shape_that_transforms_its_value_is_refused():
    query = PreparedQuery(lambda name: User.objects.filter(username__icontains=name), str)
    with pytest.raises(ValueError, match="cannot be prepared"):
        query("window")


@pytest.mark.django_db(transaction=True)
def test_a_row_lock_outside_a_transaction_is_refused_as_django_refuses_it(world):
    query = PreparedQuery(lambda pk: for_update(Application.objects.filter(pk=pk)), int)
    with pytest.raises(TransactionManagementError):
        query(1)
    with transaction.atomic():
        query(1)  # compiled inside one
    with pytest.raises(TransactionManagementError):
        query(1)  # and refused outside again


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_another_thread_uses_its_own_connection(world):
    query = _tokens_with_profile()
    key = Token.objects.get_or_create(user=world.window)[0].key
    assert query(key)[0].user.username == "window"  # compiled on this thread's connection
    seen = {}

    def read():
        try:
            with CaptureQueriesContext(connections["default"]) as queries:
                seen["user"] = query(key)[0].user.username
            seen["queries"] = len(queries)
            seen["connection"] = connections["default"]
        finally:
            connections.close_all()

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    assert seen["user"] == "window" and seen["queries"] == 1
    assert seen["connection"] is not connection


# The two application locks built on it (approvals.locks).

def test_own_applications_only_is_exactly_what_the_visibility_rule_gives(world, api):
    from tests.approvals.helpers import accepted

    accepted(world, api)
    api(world.citizen2).post("/api/applications/", {"service": "MKT-002", "applicant": {
        "name": "李四", "id_number": "11010519491231002X", "phone": "13800138001"}}, format="json")
    own_only = [u for u in User.objects.all() if sees_own_applications_only(u)]
    assert {"citizen", "citizen2"} <= {u.username for u in own_only}
    assert not any(u.username in ("window", "reviewer_market", "supervisor") for u in own_only)
    for user in own_only:
        assert set(applications_visible_to(user).values_list("pk", flat=True)) == \
            set(Application.objects.filter(applicant=user).values_list("pk", flat=True)), user.username


def test_the_lock_finds_only_what_the_caller_may_see_and_names_its_row(world, api):
    from tests.approvals.helpers import accepted

    app = accepted(world, api)  # the citizen's
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            mine = application_lock(app["id"], visible_to=world.citizen)
            anyone = application_lock(app["id"])
        assert mine.pk == anyone.pk == app["id"] and mine.service.code == "MKT-002"
        with pytest.raises(NotFound):
            application_lock(app["id"], visible_to=world.citizen2)
        with pytest.raises(NotFound):
            application_lock(app["id"] + 10_000)
        with pytest.raises(NotFound):
            application_lock("x")
        assert application_lock(app["id"], visible_to=world.window).pk == app["id"]  # the window's rule
    if connection.vendor == "postgresql":
        locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
        assert len(locks) == 2
        for sql in locks:
            assert 'FOR UPDATE OF "approvals_application"' in sql and "catalogue_serviceitem" in sql


@pytest.mark.postgres
def test_postgresql_prepares_it_once_per_session_and_executes_it_by_name(world):
    query = _tokens_with_profile()
    key = Token.objects.get_or_create(user=world.reviewer_market)[0].key
    with CaptureQueriesContext(connection) as queries:
        assert query(key)[0].user.username == "reviewer_market"
        assert query(key)[0].user.username == "reviewer_market"
    sent = [q["sql"] for q in queries.captured_queries]
    assert len(sent) == 2 and all(s.startswith("EXECUTE portal_pq_") for s in sent), sent
    assert 'FROM "authtoken_token"' in sent[0]  # what it does, as a comment for logs and readers
    name = sent[0].split()[1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = %s", [name])
        [(statement,)] = cursor.fetchall()
    assert statement.startswith(f"PREPARE {name} AS SELECT") and "$1" in statement


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_new_database_session_prepares_it_again(world):
    query = _tokens_with_profile()
    key = Token.objects.get_or_create(user=world.window)[0].key
    assert query(key)[0].user.username == "window"
    connection.close()  # the next call opens a new session, where nothing is prepared
    assert query(key)[0].user.username == "window"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'portal_pq_%%'")
        assert cursor.fetchone()[0] >= 1


@pytest.mark.postgres
def test_without_server_side_preparation_the_sql_is_sent_as_it_is(world, settings):
    settings.DB_SERVER_PREPARE = False
    query = _tokens_with_profile()
    key = Token.objects.get_or_create(user=world.window)[0].key
    with CaptureQueriesContext(connection) as queries:
        assert query(key)[0].user.username == "window"
    assert queries.captured_queries[0]["sql"].startswith("SELECT")


@pytest.mark.postgres
def test_sql_written_by_hand_is_prepared_once_per_session_and_gives_the_rows_plain_sql_gives(world, settings):
    sql = "SELECT username, 'a%%' FROM auth_user WHERE username = ANY(%s) ORDER BY username"

    def rows():
        with connection.cursor() as cursor:
            cursor.execute(*prepared_sql(connection, sql, [["window", "reviewer_market"]]))
            return cursor.fetchall()

    with CaptureQueriesContext(connection) as queries:
        first, second = rows(), rows()
    sent = [q["sql"] for q in queries.captured_queries]
    assert len(sent) == 2 and all(s.startswith("EXECUTE portal_pq_") for s in sent), sent
    assert sent[0].split()[1] == sent[1].split()[1] and "FROM auth_user" in sent[0]
    settings.DB_SERVER_PREPARE = False
    with CaptureQueriesContext(connection) as queries:
        plain = rows()
    assert queries.captured_queries[0]["sql"].startswith("SELECT username")
    assert first == second == plain == [("reviewer_market", "a%"), ("window", "a%")]


@pytest.mark.postgres
def test_raw_sql_is_prepared_once_per_session_and_answers_as_sent_plainly(world):
    from portal.prepared import prepared_sql

    sql = "SELECT %s::int + 1, %s::text || '%%'"
    with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
        cursor.execute(*prepared_sql(connection, sql, [41, "a"]))
        first = cursor.fetchone()
        cursor.execute(*prepared_sql(connection, sql, [1, "b"]))
        second = cursor.fetchone()
    assert (first, second) == ((42, "a%"), (2, "b%"))
    sent = [q["sql"] for q in queries.captured_queries]
    assert len(sent) == 2 and all(s.startswith("EXECUTE portal_pq_") for s in sent), sent
    assert len({s.split()[1] for s in sent}) == 1  # one name for the one text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_asked_on_the_generic_plan_runs_on_it_and_only_it_does(world):
    """``generic_plan``: outside a transaction the EXECUTE runs on PostgreSQL's generic plan
    (pg_prepared_statements counts it), with the rows a plain statement gives; the session's
    own setting is untouched afterwards, and inside a transaction the server chooses as usual."""
    sql = 'SELECT "username" FROM "auth_user" WHERE "username" = ANY(%s) ORDER BY 1'
    names = [["window", "reviewer_market"]]

    def run():
        with connection.cursor() as cursor:
            statement, params = prepared_sql(connection, sql, names, generic_plan=True)
            cursor.execute(statement, params)
            return statement, cursor.fetchall()

    def plans():
        name = statement.split("EXECUTE ", 1)[1].split(" ", 1)[0]
        with connection.cursor() as cursor:
            cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s", [name])
            return cursor.fetchone()

    statement, rows = run()
    assert statement.startswith("SET LOCAL plan_cache_mode = force_generic_plan; EXECUTE portal_pq_")
    assert rows == [("reviewer_market",), ("window",)]
    assert plans() == (1, 0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("auto",)
    with transaction.atomic():
        statement, rows = run()
    assert statement.startswith("EXECUTE portal_pq_") and rows == [("reviewer_market",), ("window",)]
    assert plans() == (1, 1)


def test_a_prepared_count_counts_what_djangos_count_counts_compiling_once(world, monkeypatch):
    from portal.prepared import PreparedCount

    def build(prefix, limit_id):
        return User.objects.filter(username__startswith=prefix).exclude(pk=limit_id).order_by("-id")[:4]

    counted = PreparedCount(lambda limit_id: User.objects.filter(is_active=True).exclude(pk=limit_id)
                            .order_by("-id")[:4], int)
    ids = list(User.objects.values_list("pk", flat=True))
    assert counted(ids[0]) == User.objects.filter(is_active=True).exclude(pk=ids[0]).order_by("-id")[:4].count()
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or original(self, *a, **k))
    with CaptureQueriesContext(connection) as queries:
        answers = [counted(pk) for pk in ids[:3]] + [counted(-5)]
    monkeypatch.undo()
    assert answers == [User.objects.filter(is_active=True).exclude(pk=pk).order_by("-id")[:4].count()
                       for pk in ids[:3] + [-5]]
    assert compiled == [] and len(queries) == 4
    assert counted(str(ids[0])) == answers[0]  # another type: Django's own count
    with pytest.raises(ValueError, match="cannot be prepared"):
        PreparedCount(build, str, int)("win", ids[0])
