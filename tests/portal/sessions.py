"""The test's PostgreSQL session seen and ended from another one, as a restart or an
administrator would end it (tests of the health check and of a database gone mid-request)."""

import psycopg2
from django.db import connection


def other_session():
    """A second connection to the test database, outside Django (autocommit)."""
    s = connection.settings_dict
    other = psycopg2.connect(dbname=s["NAME"], user=s["USER"], host=s["HOST"] or "127.0.0.1",
                             port=s["PORT"] or 5432, password=s["PASSWORD"] or None)
    other.autocommit = True
    return other


def this_session_pid(sql: str = "SELECT pg_backend_pid()") -> int:
    """The server process of Django's connection (``sql`` is the statement that asks it)."""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def end_this_session(*, wait: bool = False) -> int:
    """Terminate Django's session from another one; with ``wait``, return only once the server
    process is gone. Returns its pid."""
    pid = this_session_pid()
    other = other_session()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(200 if wait else 0):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    break
    finally:
        other.close()
    return pid


def last_statement_of(pid: int) -> str:
    """The last statement the server process ``pid`` received (pg_stat_activity)."""
    other = other_session()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
            return cursor.fetchone()[0]
    finally:
        other.close()
