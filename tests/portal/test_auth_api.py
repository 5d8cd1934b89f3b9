"""Token auth, login throttling and the error envelope (SPEC §6)."""

import pytest

pytestmark = pytest.mark.django_db


def test_token_for_good_credentials_works_as_header(world, api):
    response = api().post("/api/auth/token/", {"username": "citizen", "password": "demo-pass-2026"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/applications/").status_code == 200


def test_wrong_password_is_400_in_the_envelope(world, api):
    response = api().post("/api/auth/token/", {"username": "citizen", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"code", "detail", "fields"}


def test_repeated_failures_lock_the_account_with_429(world, api, settings):
    client = api()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/auth/token/", {"username": "citizen", "password": "wrong"}, format="json")
    locked = client.post("/api/auth/token/", {"username": "citizen", "password": "demo-pass-2026"}, format="json")
    assert locked.status_code == 429
    assert locked.json()["code"] == "throttled"


def test_login_page_locks_out_after_failures(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "citizen", "password": "wrong"})
    response = client.post("/login/", {"username": "citizen", "password": "demo-pass-2026"})
    assert response.status_code == 429


def test_login_form_requires_csrf(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/login/", {"username": "citizen", "password": "demo-pass-2026"})
    assert response.status_code == 403


def test_unauthenticated_api_call_is_401_with_header(world, api):
    response = api().get("/api/applications/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert response.json()["code"] == "not_authenticated"


def test_schema_and_offline_docs_are_served(world, client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ("/api/applications/{id}/accept/", "/api/track/{number}/", "/api/services/{code}/"):
        assert path in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "cdn" not in page.lower()
    assert "/static/drf_spectacular_sidecar/" in page
