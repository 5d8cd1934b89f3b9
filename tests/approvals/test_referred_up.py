"""五制 上报事项负责代理制 and the three-level network (seed 001 lines 103, 403, 409; issue 13
items 2 and 7): a township center takes in only the items it publishes, forwards the item it
cannot decide to the competent center, a named official of the township follows it on its own
clock, the result is handed out at the township's window, and figures roll up the tree — a
township supervisor sees only his own."""

import pytest
from django.contrib.auth.models import User

from portal.organisation.models import Department
from tests.approvals.helpers import MATERIALS, stage_of
from tests.conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db


def walk_in(api, clerk, service="MKT-002", accept=True):
    client = api(clerk)
    response = client.post("/api/applications/", {"service": service, "applicant": APPLICANT}, format="json")
    assert response.status_code == 201, response.json()
    app = response.json()
    for code in MATERIALS[service]:
        assert upload(client, app["id"], code).status_code == 201
    assert client.post(f"/api/applications/{app['id']}/submit/").status_code == 200
    if accept:
        response = client.post(f"/api/applications/{app['id']}/accept/")
        assert response.status_code == 200, response.json()
    return response.json()


def township_supervisor():
    """The demo world's township supervisor (seed_demo)."""
    return User.objects.get(username="supervisor_town")


def test_a_referred_up_item_is_tracked_by_the_township_official_and_handed_out_there(world, api, travel):
    travel(2026, 9, 28, 10)
    town_clerk = User.objects.get(username="window_town")
    app = walk_in(api, town_clerk)
    assert app["intake_center"] == "TOWN"
    referral = app["referral"]
    assert (referral["from_center"], referral["to_center"], referral["official"]) == ("TOWN", "CITY", "window_town")
    assert referral["due_at"] == "2026-10-16T23:59:59+08:00" and referral["result"] is None
    assert any(e["action"] == "refer_up" for e in app["events"])
    travel(2026, 10, 9, 10)
    assert api(world.reviewer_market).post(f"/api/stages/{stage_of(app, 'MARKET')}/approve/",
                                           {"opinion": "同意"}, format="json").status_code == 200
    body = api(town_clerk).get(f"/api/applications/{app['id']}/").json()
    assert body["referral"]["result"] == "approved" and body["referral"]["overdue"] is False
    response = api(world.window).post(f"/api/applications/{app['id']}/hand-over/")
    assert response.status_code == 403 and response.json()["code"] == "hand_over_at_intake_window"
    assert api(town_clerk).post(f"/api/applications/{app['id']}/hand-over/").json()["status"] == "issued"


def test_a_township_takes_in_only_the_items_it_publishes(world, api):
    town_clerk = User.objects.get(username="window_town")
    response = api(town_clerk).post("/api/applications/", {"service": "HSG-001", "applicant": APPLICANT},
                                    format="json")
    assert response.status_code == 400 and response.json()["code"] == "not_published_here"
    centers = {c["code"]: c for c in api().get("/api/centers/").json()}
    assert {"service": "MKT-002", "referred_to": "CITY"} in centers["TOWN"]["items"]
    assert (centers["TOWN"]["level"], centers["TOWN"]["parent"]) == ("township", "CITY")
    assert (centers["VIL"]["level"], centers["VIL"]["parent"]) == ("village", "TOWN")


def test_a_referred_up_item_is_not_signed_on_site(world, api):
    town_clerk = User.objects.get(username="window_town")
    town_clerk.staff_profile.chief_representative_for.add(Department.objects.get(code="MARKET"))
    app = walk_in(api, town_clerk)
    response = api(town_clerk).post(f"/api/applications/{app['id']}/decide-on-site/")
    assert response.status_code == 409 and response.json()["code"] == "referred_up"


def test_the_referral_has_its_own_clock(world, api, travel):
    travel(2026, 9, 28, 10)
    app = walk_in(api, User.objects.get(username="window_town"))
    travel(2026, 10, 16, 23)
    assert api(world.window).get(f"/api/applications/{app['id']}/").json()["referral"]["overdue"] is False
    travel(2026, 10, 19, 9)
    assert api(world.window).get(f"/api/applications/{app['id']}/").json()["referral"]["overdue"] is True
    figures = api(world.supervisor).get("/api/centers/CITY/figures/").json()
    assert figures["children"][0]["figures"]["referred_late"] == 1


def test_figures_roll_up_the_tree_and_a_township_supervisor_sees_only_his_own(world, api, client):
    county = walk_in(api, world.window, "MKT-001")
    api(world.window).post(f"/api/applications/{county['id']}/decide-on-site/")
    walk_in(api, User.objects.get(username="window_town"))
    city = api(world.supervisor).get("/api/centers/CITY/figures/").json()
    town = city["children"][0]
    assert (town["center"], town["level"], town["figures"]["taken_in"], town["figures"]["referred"]) == (
        "TOWN", "township", 1, 1)
    assert (city["figures"]["taken_in"], city["figures"]["decided"], city["figures"]["onsite"]) == (2, 1, 1)
    supervisor_town = township_supervisor()
    assert api(supervisor_town).get("/api/centers/TOWN/figures/").json()["figures"]["taken_in"] == 1
    assert api(supervisor_town).get("/api/centers/CITY/figures/").status_code == 404
    assert api(world.reviewer_market).get("/api/centers/TOWN/figures/").status_code == 404
    client.force_login(world.supervisor)
    page = client.get("/centers/CITY/figures/").content.decode()
    assert 'data-center="TOWN" data-taken-in="1"' in page and 'data-center="CITY" data-taken-in="2"' in page
