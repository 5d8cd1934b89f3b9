"""Issue 11 items 1 and 7: hostile input never makes the server fail, and every API error,
the framework's own included, is a JSON envelope {code, detail, fields}."""

import json

import pytest
from django.test import Client

from tests.conftest import APPLICANT

pytestmark = [pytest.mark.django_db, pytest.mark.heavy(seconds=100)]

LONG_NAME = "u" * 300


def assert_envelope(response, status):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"code", "detail", "fields"}, body
    assert isinstance(body["fields"], dict)
    return body


def test_a_username_longer_than_the_lockout_column_is_a_clean_refusal_on_the_token_endpoint(world, api):
    response = api().post("/api/auth/token/", {"username": LONG_NAME, "password": "x"}, format="json")
    body = assert_envelope(response, 400)
    assert "username" in body["fields"]


def test_a_username_longer_than_the_lockout_column_is_a_clean_refusal_on_the_login_page(world):
    response = Client().post("/login/", {"username": LONG_NAME, "password": "x"})
    assert response.status_code in (200, 400, 401)


def test_json_nested_two_thousand_deep_is_refused_by_the_parser(world, api):
    body = "[" * 2000 + "]" * 2000
    response = api(world.citizen).post("/api/applications/", body, content_type="application/json")
    assert_envelope(response, 400)
    deep_object = '{"a":' * 2000 + "1" + "}" * 2000
    response = api().post("/api/auth/token/", deep_object, content_type="application/json")
    assert_envelope(response, 400)


def test_moderate_nesting_is_still_parsed(world, api):
    response = api(world.citizen).post("/api/applications/", json.dumps(
        {"service": "MKT-002", "applicant": APPLICANT, "extra": [[[[{"a": [1]}]]]]}), content_type="application/json")
    assert response.status_code == 201


@pytest.mark.parametrize("path", [
    "/api/track/%00/?code=x",
    "/api/complaints/track/%00/?code=x",
    "/api/staff/?badge=%00",
    "/api/applications/?department=%00",
    "/api/stages/?department=%00",
    "/api/alerts/?department=%00",
    "/api/complaints/?department=%00",
    "/api/inquiries/?department=%00",
    "/api/services/%00/",
    "/api/stats/departments/%00/",
    "/api/stats/officials/%00/",
    "/api/applications/?status=%00",
    "/api/evaluations/?department=%00",
])
def test_a_nul_byte_in_the_path_or_a_query_parameter_is_refused(world, api, path):
    response = api(world.supervisor).get(path)
    assert response.status_code in (400, 404), (response.status_code, response.content[:300])
    assert_envelope(response, response.status_code)


def test_a_nul_byte_on_a_page_is_refused_not_a_crash(world):
    client = Client()
    client.force_login(world.window)
    for path in ["/track/?number=%00&code=x", "/catalogue/?q=%00", "/%00/"]:
        assert client.get(path).status_code in (400, 404), path


@pytest.mark.parametrize("limit", ["99999999999999999999", "-1", "0", "1e9", "%00"])
@pytest.mark.parametrize("path", ["/api/applications/", "/api/stages/", "/api/complaints/", "/api/inquiries/",
                                  "/api/accountability/cases/", "/api/accountability/typical-cases/", "/api/evaluations/", "/api/register/", "/api/alerts/",
                                  "/api/staff/", "/api/leave/", "/api/campaigns/"])
def test_a_huge_or_odd_limit_on_a_list_is_not_a_crash(world, api, path, limit):
    response = api(world.supervisor).get(f"{path}?limit={limit}&offset={limit}")
    assert response.status_code in (200, 400), (response.status_code, response.content[:300])
    if response.status_code == 400:
        assert_envelope(response, 400)
    if limit == "99999999999999999999":
        assert "limit" in assert_envelope(response, 400)["fields"]


def _in_review(world, api):
    citizen, clerk = api(world.citizen), api(world.window)
    app = citizen.post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT}, format="json").json()
    from tests.conftest import upload
    for code in ["FORM", "LICENCE", "LAYOUT", "SAFETY"]:
        upload(citizen, app["id"], code)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    return app, clerk


def test_a_suspension_longer_than_the_column_holds_is_a_field_error(world, api):
    app, clerk = _in_review(world, api)
    assert clerk.post(f"/api/applications/{app['id']}/accept/").status_code == 200
    response = api(world.head_market).post(f"/api/applications/{app['id']}/suspend/", {
        "kind": "expert_review", "reason": "专家评审", "expected_working_days": 32768}, format="json")
    body = assert_envelope(response, 400)
    assert "expected_working_days" in body["fields"], body


def test_a_correction_reason_longer_than_its_column_is_a_field_error(world, api):
    app, clerk = _in_review(world, api)
    response = clerk.post(f"/api/applications/{app['id']}/correction-notice/", {
        "items": [{"material": "FORM", "reason": "字" * 501}]}, format="json")
    body = assert_envelope(response, 400)
    assert "items" in body["fields"], body


def test_a_json_body_over_the_limit_is_413_in_the_envelope(world, api):
    body = json.dumps({"service": "MKT-002", "applicant": APPLICANT, "pad": "x" * (3 * 1024 * 1024)})
    response = api(world.citizen).post("/api/applications/", body, content_type="application/json")
    assert_envelope(response, 413)


@pytest.mark.parametrize("path", ["/api/nope/", "/api/applications/-1/", "/api/applications/abc/submit/"])
def test_unknown_api_paths_are_a_json_404(world, api, path):
    body = assert_envelope(api(world.citizen).get(path), 404)
    assert body["code"] == "not_found"


def test_an_unknown_page_stays_an_html_404(world):
    response = Client().get("/nope-nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_in_production_an_api_500_is_a_json_envelope_and_a_page_500_stays_html(world, settings, monkeypatch):
    from approvals import api as approvals_api
    from public import views as public_views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    settings.DEBUG = False
    monkeypatch.setattr(approvals_api.TrackApi, "get", boom)
    client = Client(raise_request_exception=False)
    body = assert_envelope(client.get("/api/track/X/?code=y"), 500)
    assert body["code"] == "server_error"
    assert "boom" not in json.dumps(body)
    monkeypatch.setattr(public_views, "published_catalogue", boom)
    response = client.get("/")
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")


def test_errors_speak_english_when_asked(world, api):
    response = api().get("/api/nope/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "Not found."
    response = api().get("/api/nope/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["detail"] != "Not found."


def test_a_correction_reason_longer_than_its_column_is_refused_on_the_page(world, api):
    from approvals.models import CorrectionNotice

    app, _clerk = _in_review(world, api)
    client = Client()
    client.force_login(world.window)
    response = client.post(f"/applications/{app['id']}/act/correction/", {
        "material": ["FORM"], "reason_FORM": "字" * 501, "confirmed": "1"})
    assert response.status_code < 500
    assert not CorrectionNotice.objects.filter(application_id=app["id"]).exists()
