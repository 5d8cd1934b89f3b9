"""Personas (healthchecks' hc/test.py): the owner, the window, a department, an outsider.
Every object endpoint answers an outsider with 404 (existence does not leak) or 401."""

import pytest

from tests.conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db

MKT2 = ["FORM", "LICENCE", "LAYOUT", "SAFETY"]


@pytest.fixture
def accepted_app(world, api):
    citizen, clerk = api(world.citizen), api(world.window)
    app = citizen.post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT}, format="json").json()
    for code in MKT2:
        upload(citizen, app["id"], code)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    clerk.post(f"/api/applications/{app['id']}/accept/")
    return citizen.get(f"/api/applications/{app['id']}/").json()


def object_endpoints(app):
    pk = app["id"]
    file_id = app["materials"][0]["file_id"]
    doc_id = app["documents"][0]["id"]
    return [
        ("get", f"/api/applications/{pk}/"),
        ("get", f"/api/applications/{pk}/materials/{file_id}/file/"),
        ("get", f"/api/applications/{pk}/documents/{doc_id}/pdf/"),
        ("post", f"/api/applications/{pk}/materials/"),
        ("post", f"/api/applications/{pk}/submit/"),
        ("post", f"/api/applications/{pk}/correction-notice/"),
        ("post", f"/api/applications/{pk}/resubmit/"),
        ("post", f"/api/applications/{pk}/accept/"),
        ("post", f"/api/applications/{pk}/refuse/"),
        ("post", f"/api/applications/{pk}/withdraw/"),
        ("get", f"/applications/{pk}/"),
        ("get", f"/applications/{pk}/documents/{doc_id}.pdf"),
        ("get", f"/applications/{pk}/files/{file_id}/"),
    ]


def test_outsider_citizen_gets_404_on_every_object_endpoint(world, api, accepted_app, client):
    outsider = api(world.citizen2)
    client.force_login(world.citizen2)
    for method, url in object_endpoints(accepted_app):
        caller = client if not url.startswith("/api/") else outsider
        response = getattr(caller, method)(url)
        assert response.status_code == 404, (url, response.status_code)


def test_a_department_without_a_stage_gets_404(world, api, accepted_app):
    housing = api(world.reviewer_housing)
    for method, url in object_endpoints(accepted_app)[:10]:
        assert getattr(housing, method)(url).status_code == 404, url


def test_anonymous_gets_401_with_the_envelope(world, api, accepted_app):
    for method, url in object_endpoints(accepted_app)[:10]:
        response = getattr(api(), method)(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "not_authenticated"


def test_owner_and_staff_of_the_department_see_it(world, api, accepted_app):
    pk = accepted_app["id"]
    for user in (world.citizen, world.window, world.reviewer_market, world.head_market, world.supervisor):
        assert api(user).get(f"/api/applications/{pk}/").status_code == 200, user.username


def test_outsider_lists_nothing(world, api, accepted_app):
    assert api(world.citizen2).get("/api/applications/").json()["count"] == 0
    assert api(world.reviewer_fire).get("/api/applications/").json()["count"] == 0


def test_tracking_code_is_shown_to_applicant_and_staff_only(world, api, accepted_app):
    assert accepted_app["tracking_code"]
    number, code = accepted_app["number"], accepted_app["tracking_code"]
    public = api().get(f"/api/track/{number}/?code={code}")
    assert public.status_code == 200
    body = public.json()
    assert body["status"] == "in_review"
    assert "applicant" not in body and "tracking_code" not in body
    assert "陈民" not in public.content.decode()
    assert api().get(f"/api/track/{number}/?code=WRONG123").status_code == 404
    assert api().get(f"/api/track/{number}/").status_code == 404
    assert api().get(f"/api/track/NO-SUCH/?code={code}").status_code == 404
