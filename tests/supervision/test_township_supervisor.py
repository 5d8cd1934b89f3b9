"""三级政务服务 supervision (seed 001 line 403, 分中心 supervision; issue 13 item 7): the demo
world's township supervisor oversees the township center only — its figures, its alerts, its
escalations — while the county supervisor oversees the whole tree, the township included."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from approvals.models import Alert, AlertRecord, Application
from portal.organisation.models import Department
from portal.organisation.selectors import SupervisorsOf
from tests.approvals.helpers import accepted

pytestmark = pytest.mark.django_db


def test_the_demo_world_has_a_township_supervisor_and_keeps_the_county_one(world, town):
    assert town.groups.filter(name="supervisor").exists()
    assert town.staff_profile.department.center.code == "TOWN"
    assert world.supervisor.staff_profile.department.code == "CENTER"
    assert world.supervisor.staff_profile.department.center.code == "CITY"


def test_township_escalations_reach_both_supervisors_county_ones_only_the_county(world, town):
    supervisors_of = SupervisorsOf()
    assert set(supervisors_of(Department.objects.get(code="TOWN").pk)) == {town, world.supervisor}
    assert supervisors_of(Department.objects.get(code="MARKET").pk) == [world.supervisor]


def test_township_supervisor_reads_only_the_departments_of_his_center(world, api, town):
    assert api(town).get("/api/stats/departments/MARKET/").status_code == 404
    assert api(town).get("/api/stats/departments/TOWN/").status_code == 200
    listed = {row["department"] for row in api(town).get("/api/stats/departments/").json()["results"]}
    assert "MARKET" not in listed
    assert "MARKET" in {row["department"] for row in api(world.supervisor).get("/api/stats/departments/")
                        .json()["results"]}
    assert api(world.supervisor).get("/api/stats/departments/TOWN/").status_code == 200
    assert api(town).get("/api/stats/officials/reviewer_market/").status_code == 404
    assert api(town).get("/api/stats/officials/window_town/").status_code == 200


def test_township_supervisor_sees_only_his_centers_alerts(world, api, town):
    application = Application.objects.get(pk=accepted(world, api)["id"])
    for code in ("MARKET", "TOWN"):
        AlertRecord.objects.create(level=Alert.RED if code == "MARKET" else Alert.YELLOW, application=application,
                                   department=Department.objects.get(code=code), raised_at=timezone.now(),
                                   due_at=timezone.now())
    seen = {a["department"] for a in api(town).get("/api/alerts/").json()["results"]}
    assert seen == {"TOWN"}
    assert {a["department"] for a in api(world.supervisor).get("/api/alerts/").json()["results"]} == {
        "MARKET", "TOWN"}


def test_township_dashboard_shows_his_center_and_not_the_county(world, client, town):
    client.force_login(town)
    page = client.get("/supervision/").content.decode()
    assert 'data-department="MARKET"' not in page
    assert 'href="/centers/TOWN/figures/"' in page
    client.force_login(world.supervisor)
    page = client.get("/supervision/").content.decode()
    assert 'data-department="MARKET"' in page and 'href="/centers/CITY/figures/"' in page


def test_township_supervisor_reads_only_the_applications_taken_in_at_his_centers(world, api, town):
    from tests.approvals.test_referred_up import walk_in

    county = accepted(world, api)
    township = walk_in(api, User.objects.get(username="window_town"))
    listed = {a["number"] for a in api(town).get("/api/applications/").json()["results"]}
    assert township["number"] in listed and county["number"] not in listed
    assert api(town).get(f"/api/applications/{county['id']}/").status_code == 404
    assert api(town).get(f"/api/applications/{township['id']}/").status_code == 200
    stages = {s["application_number"] for s in api(town).get("/api/stages/").json()["results"]}
    assert stages == {township["number"]}
    everything = {a["number"] for a in api(world.supervisor).get("/api/applications/").json()["results"]}
    assert {county["number"], township["number"]} <= everything


def test_township_supervisor_handles_only_the_complaints_about_his_centers(world, api, town):
    about_town = api().post("/api/complaints/", {"category": "attitude", "description": "镇窗口态度差",
                                                 "staff_badge": "T0101"}, format="json").json()
    about_county = api().post("/api/complaints/", {"category": "attitude", "description": "市窗口态度差",
                                                   "staff_badge": "C0101"}, format="json").json()
    listed = {c["number"] for c in api(town).get("/api/complaints/").json()["results"]}
    assert about_town["number"] in listed and about_county["number"] not in listed
    assert api(town).post(f"/api/complaints/{about_county['id']}/accept/").status_code == 404
    assert api(town).post(f"/api/complaints/{about_town['id']}/accept/").status_code == 200
    assert {about_town["number"], about_county["number"]} <= {
        c["number"] for c in api(world.supervisor).get("/api/complaints/").json()["results"]}
