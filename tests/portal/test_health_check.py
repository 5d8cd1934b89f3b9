"""The kept connection's health check (portal/db/postgresql/base.py): a session still open is
found usable without a statement sent; a session the server ended is found unusable, and
Django's check then closes it so that the request connects anew instead of failing.

Real PostgreSQL: the ended session is a backend terminated from a second connection, as a
restart or an administrator would end it."""

import pytest
from django.db import connection, connections

from tests.portal.sessions import end_this_session, last_statement_of, this_session_pid


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_open_session_is_usable_without_asking_the_server():
    pid = this_session_pid("SELECT pg_backend_pid() /* before the check */")
    assert connection.vendor == "postgresql" and type(connections["default"]).__module__ == "portal.db.postgresql.base"
    assert connection.is_usable()
    assert last_statement_of(pid) == "SELECT pg_backend_pid() /* before the check */"  # no SELECT 1 was sent
    with connection.cursor() as cursor:
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_session_the_server_ended_is_found_and_replaced_before_the_request_uses_it():
    pid = end_this_session(wait=True)
    health_checks = connection.health_check_enabled
    try:
        assert not connection.is_usable()
        # What Django does before a request's first statement on a kept connection.
        connection.health_check_enabled, connection.health_check_done = True, False
        assert this_session_pid() != pid  # a new session, not the dead one
    finally:
        connection.health_check_enabled = health_checks
    assert connection.is_usable()
