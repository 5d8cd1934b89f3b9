"""A database that goes away under a request (PostgreSQL restarted, a connection cut) is 503 with
Retry-After on the API (in the error envelope) and on the pages, not a 500: the request did not
happen as far as its transaction goes, and the same request a moment later works.

Real PostgreSQL: the test's own connection (the one the test client's requests use) is
terminated from a second connection, as a restart would, and the next request meets it."""

import pytest
from django.db import connection
from django.test import Client

from tests.portal.sessions import end_this_session


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path, api", [("/api/track/SQ20260101000001/?code=ABCDEFGH", True),
                                       ("/track/?number=SQ20260101000001&code=ABCDEFGH", False)])
def test_a_request_that_meets_a_database_gone_is_told_to_try_again(path, api):
    try:
        end_this_session()
        response = Client().get(path)
        assert response.status_code == 503
        assert response["Retry-After"] == "5"
        if api:
            assert response.json()["code"] == "unavailable"
        else:
            page = response.content.decode()
            assert "稍后" in page
            # A page a person can read (its language and title for a screen reader) and a way on.
            assert '<html lang="zh-hans">' in page and "<title>请重试" in page
            assert f'href="{path.replace("&", "&amp;")}"' in page
    finally:
        connection.close()
    # The next request has a connection again and is answered as usual.
    assert Client().get(path).status_code in (200, 404)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_form_sent_while_the_database_is_gone_is_said_to_be_unsaved():
    client = Client()
    try:
        end_this_session()
        response = client.post("/login/", {"username": "citizen", "password": "demo-pass-2026"})
        assert response.status_code == 503 and response["Retry-After"] == "5"
        page = response.content.decode()
        assert "未保存" in page and "重试</a>" not in page
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_api_call_by_token_that_meets_a_database_gone_is_told_to_try_again(world):
    """The token is read by a statement prepared on the session (portal.prepared): preparing it
    on a dead connection is the same 503 as any statement's."""
    from rest_framework.authtoken.models import Token

    key = Token.objects.get_or_create(user=world.citizen)[0].key
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    connection._portal_prepared = None  # nothing prepared on this session yet: the first call prepares
    try:
        end_this_session()
        response = client.get("/api/applications/")
        assert response.status_code == 503 and response.json()["code"] == "unavailable"
    finally:
        connection.close()
    assert client.get("/api/applications/").status_code == 200
