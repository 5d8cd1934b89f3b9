"""The kept connection's health check (portal/db/postgresql/base.py): a session still open is
found usable without a statement sent; a session the server ended is found unusable, and
Django's check then closes it so that the request connects anew instead of failing.

Real PostgreSQL: the ended session is a backend terminated from a second connection, as a
restart or an administrator would end it."""

import psycopg2
import pytest
from django.db import connection, connections


def _other():
    s = connection.settings_dict
    other = psycopg2.connect(dbname=s["NAME"], user=s["USER"], host=s["HOST"] or "127.0.0.1",
                             port=s["PORT"] or 5432, password=s["PASSWORD"] or None)
    other.autocommit = True
    return other


def _last_statement_of(pid: int) -> str:
    other = _other()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
            return cursor.fetchone()[0]
    finally:
        other.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_open_session_is_usable_without_asking_the_server():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid() /* before the check */")
        pid = cursor.fetchone()[0]
    assert connection.vendor == "postgresql" and type(connections["default"]).__module__ == "portal.db.postgresql.base"
    assert connection.is_usable()
    assert _last_statement_of(pid) == "SELECT pg_backend_pid() /* before the check */"  # no SELECT 1 was sent
    with connection.cursor() as cursor:
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_session_the_server_ended_is_found_and_replaced_before_the_request_uses_it():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = _other()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            # terminated: the backend is gone once it no longer shows in pg_stat_activity
            for _ in range(200):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    break
    finally:
        other.close()
    health_checks = connection.health_check_enabled
    try:
        assert not connection.is_usable()
        # What Django does before a request's first statement on a kept connection.
        connection.health_check_enabled, connection.health_check_done = True, False
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != pid  # a new session, not the dead one
    finally:
        connection.health_check_enabled = health_checks
    assert connection.is_usable()
