"""Issue 11 item 9: an online draft (phone, tracking code, files) belongs to the applicant
until it is submitted; a walk-in draft the window is taking down is the clerks' alone."""

import pytest
from django.test import Client

from tests.conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db

STAFF = ["window", "reviewer_market", "head_market", "supervisor", "discipline"]


@pytest.fixture
def online_draft(world, api):
    citizen = api(world.citizen)
    app = citizen.post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT}, format="json").json()
    file_id = upload(citizen, app["id"], "FORM").json()["id"]
    return app, file_id


@pytest.mark.parametrize("username", STAFF)
def test_no_official_sees_an_online_draft_through_the_api(world, api, online_draft, username):
    app, file_id = online_draft
    client = api(getattr(world, username))
    listed = client.get("/api/applications/", {"limit": 200}).json()["results"]
    assert app["id"] not in [a["id"] for a in listed]
    assert client.get(f"/api/applications/{app['id']}/").status_code == 404
    assert client.get(f"/api/applications/{app['id']}/materials/{file_id}/file/").status_code == 404
    search = client.get("/api/applications/", {"q": app["number"], "limit": 200}).json()["results"]
    assert app["id"] not in [a["id"] for a in search]


@pytest.mark.parametrize("username", STAFF)
def test_no_official_sees_an_online_draft_on_the_pages(world, online_draft, username):
    app, file_id = online_draft
    client = Client()
    client.force_login(getattr(world, username))
    assert client.get(f"/applications/{app['id']}/").status_code == 404
    assert client.get(f"/applications/{app['id']}/files/{file_id}/").status_code == 404
    if username == "window":
        queue = client.get("/window/queue/", {"q": app["number"]}).content.decode()
        assert f"/applications/{app['id']}/" not in queue and APPLICANT["phone"] not in queue


def test_the_applicant_still_sees_his_draft(world, api, online_draft):
    app, file_id = online_draft
    citizen = api(world.citizen)
    detail = citizen.get(f"/api/applications/{app['id']}/").json()
    assert detail["applicant"]["phone"] == APPLICANT["phone"] and detail["tracking_code"]
    assert citizen.get(f"/api/applications/{app['id']}/materials/{file_id}/file/").status_code == 200


def test_once_submitted_the_window_sees_it(world, api, online_draft):
    app, _ = online_draft
    citizen = api(world.citizen)
    for code in ["LICENCE", "LAYOUT", "SAFETY"]:
        upload(citizen, app["id"], code)
    assert citizen.post(f"/api/applications/{app['id']}/submit/").status_code == 200
    assert api(world.window).get(f"/api/applications/{app['id']}/").status_code == 200
    assert api(world.supervisor).get(f"/api/applications/{app['id']}/").status_code == 200


def test_a_walk_in_draft_is_seen_by_clerks_only(world, api):
    clerk = api(world.window)
    app = clerk.post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT}, format="json").json()
    assert app["status"] == "draft"
    assert api(world.window_b).get(f"/api/applications/{app['id']}/").status_code == 200
    for username in ["reviewer_market", "head_market", "supervisor", "discipline", "citizen"]:
        assert api(getattr(world, username)).get(f"/api/applications/{app['id']}/").status_code == 404, username


@pytest.mark.parametrize("username", STAFF + ["citizen2"])
def test_nobody_else_uploads_to_an_online_draft(world, api, online_draft, username):
    from approvals.models import MaterialFile

    app, _file_id = online_draft
    before = MaterialFile.objects.count()
    assert upload(api(getattr(world, username)), app["id"], "LICENCE").status_code == 404
    assert upload(api(getattr(world, username)), 10**9, "LICENCE").status_code == 404
    assert MaterialFile.objects.count() == before


@pytest.mark.parametrize("username", STAFF + ["citizen2"])
def test_nobody_else_acts_on_an_online_draft(world, api, online_draft, username):
    from approvals.models import Application

    app, _file_id = online_draft
    client = api(getattr(world, username))
    for action in ("submit", "withdraw", "accept", "refuse", "pre-review"):
        assert client.post(f"/api/applications/{app['id']}/{action}/", {}, format="json").status_code == 404, action
    assert client.post(f"/api/applications/{10**9}/submit/").status_code == 404
    assert Application.objects.get(pk=app["id"]).status == "draft"
