"""中介服务 (seed 001 lines 369, 403; issue 13 item 8): an intermediary service published for an
item with its own limit and fee is ordered during review and tracked like a stage; while it runs
the departments' clocks stand still, so its time is visible on its own and never eats a
department's limit."""

import pytest

from approvals.models import Application
from portal.sweep import sweep
from tests.approvals.helpers import accepted

pytestmark = pytest.mark.django_db


def order(api, user, app, service="INT-001"):
    return api(user).post(f"/api/applications/{app['id']}/intermediary/", {"service": service}, format="json")


def test_the_intermediarys_time_does_not_count_inside_the_departments_limit(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "MKT-003")
    assert app["due_at"] == "2026-10-16T23:59:59+08:00"
    travel(2026, 9, 29, 10)
    response = order(api, world.reviewer_market, app)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "suspended" and body["suspension"]["kind"] == "intermediary"
    stage = body["intermediary_stages"][0]
    assert (stage["service"], stage["status"], stage["days"], stage["fee"], stage["due_at"]) == (
        "INT-001", "running", 5, "300.00", "2026-10-12T23:59:59+08:00")
    assert Application.objects.get(pk=app["id"]).remaining_days_frozen == 9
    travel(2026, 10, 12, 15)
    done = api(world.reviewer_market).post(f"/api/intermediary-stages/{stage['id']}/complete/",
                                           {"report": "检验合格"}, format="json")
    assert done.status_code == 200, done.json()
    assert (done.json()["working_days_used"], done.json()["overdue"]) == (5, False)
    body = api(world.reviewer_market).get(f"/api/applications/{app['id']}/").json()
    # The 9 working days the department had left run from the day after the report: 10-23, not 10-16.
    assert body["status"] == "in_review" and body["due_at"] == "2026-10-23T23:59:59+08:00"
    assert body["stages"][0]["due_at"] == "2026-10-23T23:59:59+08:00"
    travel(2026, 10, 17, 1)
    sweep()
    assert Application.objects.get(pk=app["id"]).status == "in_review"
    travel(2026, 10, 24, 0, 1)
    sweep()
    assert Application.objects.get(pk=app["id"]).status == "deemed_approved"


def test_an_intermediary_past_its_own_limit_is_shown_late(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "MKT-003")
    travel(2026, 9, 29, 10)
    stage = order(api, world.reviewer_market, app).json()["intermediary_stages"][0]
    travel(2026, 10, 13, 9)
    running = api(world.citizen).get(f"/api/applications/{app['id']}/").json()["intermediary_stages"][0]
    assert (running["status"], running["overdue"]) == ("running", True)
    travel(2026, 10, 14, 9)
    done = api(world.window).post(f"/api/intermediary-stages/{stage['id']}/complete/", {}, format="json").json()
    assert (done["working_days_used"], done["overdue"]) == (7, True)


def test_only_a_service_published_for_the_item_is_ordered_by_its_department(world, api):
    app = accepted(world, api, "MKT-002")
    response = order(api, world.reviewer_market, app)
    assert response.status_code == 400 and response.json()["code"] == "not_for_this_item"
    app = accepted(world, api, "MKT-003")
    assert order(api, world.citizen, app).status_code in (403, 404)
    assert order(api, world.reviewer_fire, app).status_code in (403, 404)
    assert order(api, world.window, app).status_code == 403
    stage = order(api, world.head_market, app).json()["intermediary_stages"][0]
    assert order(api, world.head_market, app).status_code == 409
    # The head cannot restart the clock by hand: the intermediary's completion does.
    resume = api(world.head_market).post(f"/api/applications/{app['id']}/resume/")
    assert resume.status_code == 409 and resume.json()["code"] == "intermediary_running"
    assert api(world.citizen).post(f"/api/intermediary-stages/{stage['id']}/complete/", {},
                                   format="json").status_code == 403
    assert api(world.citizen2).post(f"/api/intermediary-stages/{stage['id']}/complete/", {},
                                    format="json").status_code == 404


def test_a_withdrawal_cancels_the_running_intermediary(world, api):
    app = accepted(world, api, "MKT-003")
    order(api, world.reviewer_market, app)
    body = api(world.citizen).post(f"/api/applications/{app['id']}/withdraw/", {}, format="json").json()
    assert body["status"] == "withdrawn" and body["intermediary_stages"][0]["status"] == "cancelled"


def test_the_catalogue_publishes_the_intermediary_with_its_limit_and_fee(world, api, client):
    item = api().get("/api/services/MKT-003/").json()
    assert item["intermediary_services"] == [{
        "code": "INT-001", "name": "食品检验检测", "kind": "testing", "provider": "示例市食品检验检测中心（中介机构）",
        "days": 5, "fee": {"amount": "300.00", "basis": item["intermediary_services"][0]["fee"]["basis"]}}]
    assert api().get("/api/services/MKT-002/").json()["intermediary_services"] == []
    listed = api().get("/api/intermediary-services/").json()
    assert [(s["code"], s["services"]) for s in listed] == [("INT-001", ["MKT-003"])]
    assert 'data-intermediary="INT-001"' in client.get("/services/MKT-003/").content.decode()


def test_the_intermediary_through_the_pages(world, api, client, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "MKT-003")
    client.force_login(world.reviewer_market)
    assert 'id="order-intermediary"' in client.get(f"/applications/{app['id']}/").content.decode()
    client.post(f"/applications/{app['id']}/act/intermediary/", {"service": "INT-001"})
    stage = Application.objects.get(pk=app["id"]).intermediary_stages.get()
    page = client.get(f"/applications/{app['id']}/").content.decode()
    assert 'data-intermediary-status="running"' in page and 'id="complete-intermediary"' in page
    client.post(f"/applications/{app['id']}/act/intermediary_complete/", {"intermediary": stage.pk, "report": "合格"})
    assert Application.objects.get(pk=app["id"]).status == "in_review"
    assert 'data-intermediary-status="completed"' in client.get(f"/applications/{app['id']}/").content.decode()


def test_the_project_manager_sees_the_intermediarys_clock(world, api, travel):
    from django.contrib.auth.models import User

    from tests.approvals.helpers import MATERIALS
    from tests.conftest import APPLICANT, upload

    travel(2026, 9, 28, 10)
    enterprise, manager = User.objects.get(username="enterprise"), User.objects.get(username="manager_project")
    client = api(enterprise)
    app = client.post("/api/applications/", {"service": "MKT-003", "applicant": APPLICANT, "project": "KP-2026-001"},
                      format="json").json()
    for code in MATERIALS["MKT-003"]:
        upload(client, app["id"], code)
    client.post(f"/api/applications/{app['id']}/submit/")
    assert api(world.window).post(f"/api/applications/{app['id']}/accept/").status_code == 200
    travel(2026, 9, 29, 10)
    assert order(api, world.reviewer_market, app).status_code == 200
    travel(2026, 10, 13, 9)
    project = api(manager).get("/api/projects/KP-2026-001/").json()
    intermediary = project["applications"][0]["intermediary_stages"][0]
    assert (intermediary["service"], intermediary["status"], intermediary["overdue"]) == ("INT-001", "running", True)


def test_supervisors_see_how_long_intermediaries_take_and_which_run_late(world, api, client, travel):
    travel(2026, 9, 28, 10)
    first, second = accepted(world, api, "MKT-003"), accepted(world, api, "MKT-003")
    travel(2026, 9, 29, 10)
    done = order(api, world.reviewer_market, first).json()["intermediary_stages"][0]
    late = order(api, world.reviewer_market, second).json()["intermediary_stages"][0]
    travel(2026, 10, 9, 10)
    api(world.window).post(f"/api/intermediary-stages/{done['id']}/complete/", {}, format="json")
    travel(2026, 10, 13, 9)
    figures = api(world.supervisor).get("/api/intermediary-services/figures/").json()
    assert [(f["code"], f["ordered"], f["running"], f["late"], f["average_working_days"]) for f in figures] == [
        ("INT-001", 2, 1, 1, 3.0)]
    assert api(world.reviewer_market).get("/api/intermediary-services/figures/").status_code == 403
    running_late = api(world.supervisor).get("/api/intermediary-stages/?status=running&overdue=true").json()
    assert [(i["id"], i["application_number"]) for i in running_late] == [(late["id"], second["number"])]
    assert api(world.citizen2).get("/api/intermediary-stages/").json() == []
    client.force_login(world.supervisor)
    page = client.get("/intermediaries/").content.decode()
    assert 'data-intermediary="INT-001" data-late="1"' in page and f'data-intermediary-stage="{late["id"]}"' in page
    client.force_login(world.reviewer_market)
    assert client.get("/intermediaries/").status_code == 403


def test_a_township_supervisor_counts_only_his_townships_intermediaries(world, api):
    from django.contrib.auth.models import User

    app = accepted(world, api, "MKT-003")
    assert order(api, world.reviewer_market, app).status_code == 200
    town = User.objects.get(username="supervisor_town")
    assert [f["ordered"] for f in api(town).get("/api/intermediary-services/figures/").json()] == [0]
    assert [f["ordered"] for f in api(world.supervisor).get("/api/intermediary-services/figures/").json()] == [1]


def test_an_intermediary_past_its_limit_is_told_once_to_the_department_and_the_supervisors(world, api, travel):
    from portal.notifications.models import Notification

    travel(2026, 9, 28, 10)
    app = accepted(world, api, "MKT-003")
    travel(2026, 9, 29, 10)
    order(api, world.reviewer_market, app)

    def told():
        return set(Notification.objects.filter(event="intermediary_late", ref=app["number"]).values_list(
            "user__username", flat=True))

    travel(2026, 10, 12, 23, 59)
    assert sweep().intermediaries_late == 0 and told() == set()
    travel(2026, 10, 13, 0, 1)
    assert sweep().intermediaries_late == 1
    assert {"reviewer_market", "head_market", "supervisor"} <= told()
    count = Notification.objects.filter(event="intermediary_late").count()
    travel(2026, 10, 14, 9)
    assert sweep().intermediaries_late == 0
    assert Notification.objects.filter(event="intermediary_late").count() == count
    # The departments' clocks still stand still: nothing lapses while the intermediary runs.
    assert Application.objects.get(pk=app["id"]).status == "suspended"
    events = [e["action"] for e in api(world.supervisor).get(f"/api/applications/{app['id']}/").json()["events"]]
    assert events.count("intermediary_late") == 1
