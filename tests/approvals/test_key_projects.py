"""特事特办 / 绿色通道 and 项目经理制 (seed 001 line 43; issue 13 item 5): an application filed
under a key project (重点项目) runs every stage on the project's shorter committed limit, the
deadline engine lapses it then and not at the item's limit, and the project has its own view
for its manager (项目经理) and the supervisors of its center — nobody else."""

import pytest
from django.contrib.auth.models import Group, User

from approvals.models import Application
from portal.organisation import roles
from portal.sweep import sweep
from projects.models import KeyProject
from tests.approvals.helpers import MATERIALS, stage_of
from tests.conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db

PROJECT = "KP-2026-001"


def apply(api, user, service="MKT-002", project=PROJECT, accept_by=None):
    client = api(user)
    body = {"service": service, "applicant": APPLICANT}
    if project is not None:
        body["project"] = project
    response = client.post("/api/applications/", body, format="json")
    assert response.status_code == 201, response.json()
    app = response.json()
    for code in MATERIALS[service]:
        assert upload(client, app["id"], code).status_code == 201
    assert client.post(f"/api/applications/{app['id']}/submit/").status_code == 200
    response = api(accept_by).post(f"/api/applications/{app['id']}/accept/")
    assert response.status_code == 200, response.json()
    return response.json()


def people():
    return User.objects.get(username="enterprise"), User.objects.get(username="manager_project")


def test_a_key_projects_application_runs_on_the_shorter_limit_and_lapses_then(world, api, travel):
    enterprise, _manager = people()
    travel(2026, 9, 28, 10)
    green = apply(api, enterprise, accept_by=world.window)
    ordinary = apply(api, world.citizen, project=None, accept_by=world.window)
    # 5 working days from 2026-09-28 end on the make-up Saturday 2026-10-10 (SPEC §3); the item's 10 on 10-16.
    assert green["due_at"] == "2026-10-10T23:59:59+08:00" and green["stages"][0]["due_at"] == green["due_at"]
    assert green["key_project"] == {"code": PROJECT, "name": "示例新材料产业园一期项目",
                                    "manager": "manager_project", "manager_name": "钱项目", "green_channel_days": 5}
    assert ordinary["due_at"] == "2026-10-16T23:59:59+08:00" and ordinary["key_project"] is None
    travel(2026, 10, 10, 23, 59)
    sweep()
    assert Application.objects.get(pk=green["id"]).status == "in_review"
    travel(2026, 10, 11, 0, 1)
    sweep()
    assert Application.objects.get(pk=green["id"]).status == "deemed_approved"
    assert Application.objects.get(pk=ordinary["id"]).status == "in_review"


def test_every_stage_of_a_joint_item_is_capped_at_the_projects_limit(world, api, travel):
    travel(2026, 9, 28, 10)
    project = KeyProject.objects.get(code=PROJECT)
    project.stage_days = 3
    project.save()
    app = apply(api, world.window, service="HSG-001", accept_by=world.window)
    assert {s["department"] for s in app["stages"]} == {"HOUSING", "ENV", "FIRE"}
    # 3 working days from 2026-09-28: 09-29, 09-30 and, after the National Day holiday, 10-08.
    assert {s["due_at"] for s in app["stages"]} == {"2026-10-08T23:59:59+08:00"} == {app["due_at"]}
    receipt = Application.objects.get(pk=app["id"]).documents.get(kind="receipt")
    assert receipt.content["committed_days"] == 3 and receipt.content["green_channel"] is True


def test_the_limit_is_fixed_at_acceptance(world, api, travel):
    travel(2026, 9, 28, 10)
    enterprise, _manager = people()
    app = apply(api, enterprise, accept_by=world.window)
    KeyProject.objects.filter(code=PROJECT).update(stage_days=1, active=False)
    travel(2026, 10, 9, 10)
    extended = api(world.head_market).post(f"/api/applications/{app['id']}/extend/",
                                           {"working_days": 2, "reason": "补充论证"}, format="json")
    assert extended.status_code == 200, extended.json()
    assert extended.json()["key_project"]["green_channel_days"] == 5
    assert extended.json()["due_at"] == "2026-10-13T23:59:59+08:00"


def test_only_the_enterprise_or_the_window_files_under_a_key_project(world, api):
    response = api(world.citizen).post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT,
                                                               "project": PROJECT}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "not_your_project"
    response = api(world.window).post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT,
                                                              "project": "KP-NONE"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "unknown_project"
    KeyProject.objects.filter(code=PROJECT).update(active=False)
    enterprise, _manager = people()
    response = api(enterprise).post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT,
                                                            "project": PROJECT}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "unknown_project"


def test_the_manager_follows_every_application_of_the_project_across_departments(world, api, travel):
    travel(2026, 9, 28, 10)
    enterprise, manager = people()
    market = apply(api, enterprise, accept_by=world.window)
    joint = apply(api, world.window, service="HSG-001", accept_by=world.window)
    other = apply(api, world.citizen, project=None, accept_by=world.window)
    assert api(world.reviewer_env).post(f"/api/stages/{stage_of(joint, 'ENV')}/claim/").status_code == 200
    view = api(manager).get(f"/api/projects/{PROJECT}/")
    assert view.status_code == 200, view.json()
    body = view.json()
    assert body["manager"]["username"] == "manager_project" and body["stage_days"] == 5
    assert {a["number"] for a in body["applications"]} == {market["number"], joint["number"]}
    env = next(s for a in body["applications"] for s in a["stages"] if s["department"] == "ENV")
    assert (env["assignee"], env["due_at"], env["overdue"]) == ("reviewer_env", "2026-10-10T23:59:59+08:00", False)
    assert body["figures"]["applications"] == 2 and body["figures"]["open"] == 2
    # He reads the project's applications, whatever their department, and no other.
    assert api(manager).get(f"/api/applications/{joint['id']}/").status_code == 200
    assert api(manager).get(f"/api/applications/{other['id']}/").status_code == 404
    listed = api(manager).get("/api/applications/").json()["results"]
    assert {a["id"] for a in listed} == {market["id"], joint["id"]}
    travel(2026, 10, 12, 9)
    body = api(manager).get(f"/api/projects/{PROJECT}/").json()
    assert body["figures"]["overdue_stages"] >= 1


def test_the_project_view_is_for_its_manager_and_the_supervisors_of_its_center(world, api, client):
    _enterprise, manager = people()
    assert api(world.supervisor).get(f"/api/projects/{PROJECT}/").status_code == 200
    assert [p["code"] for p in api(world.supervisor).get("/api/projects/").json()["results"]] == [PROJECT]
    for outsider in (world.window, world.reviewer_market, world.head_market, world.citizen, world.discipline):
        assert api(outsider).get(f"/api/projects/{PROJECT}/").status_code == 404
        assert api(outsider).get("/api/projects/").json()["results"] == []
    assert api().get(f"/api/projects/{PROJECT}/").status_code in (401, 403)
    other = User.objects.create_user("manager_other", password="x")
    other.groups.set([Group.objects.get(name=roles.PROJECT_MANAGER)])
    assert api(other).get(f"/api/projects/{PROJECT}/").status_code == 404
    # A township supervisor does not see a project of the county center.
    town = User.objects.get(username="supervisor_town")
    assert api(town).get(f"/api/projects/{PROJECT}/").status_code == 404
    client.force_login(manager)
    page = client.get(f"/projects/{PROJECT}/")
    assert page.status_code == 200 and "示例新材料产业园一期项目" in page.content.decode()
    assert client.get("/projects/").status_code == 200
    client.force_login(world.reviewer_market)
    assert client.get(f"/projects/{PROJECT}/").status_code == 404


def test_the_enterprise_and_the_window_file_under_the_project_on_the_pages(world, client):
    enterprise, _manager = people()
    client.force_login(enterprise)
    assert 'name="project"' in client.get("/apply/MKT-002/").content.decode()
    client.post("/apply/MKT-002/", {**APPLICANT, "project": PROJECT})
    assert Application.objects.filter(created_by=enterprise, key_project__code=PROJECT).count() == 1
    client.force_login(world.citizen)
    assert 'name="project"' not in client.get("/apply/MKT-002/").content.decode()
    client.force_login(world.window)
    client.post("/window/intake/", {"service": "HSG-001", **APPLICANT, "project": PROJECT})
    assert Application.objects.filter(created_by=world.window, key_project__code=PROJECT).count() == 1


def test_the_manager_is_told_of_every_alert_on_the_projects_applications(world, api, travel):
    from portal.notifications.models import Notification

    enterprise, _manager = people()
    travel(2026, 9, 28, 10)
    green = apply(api, enterprise, accept_by=world.window)
    safety = apply(api, enterprise, service="FIRE-002", accept_by=world.window)
    ordinary = apply(api, world.citizen, service="FIRE-002", project=None, accept_by=world.window)

    def told(event):
        return set(Notification.objects.filter(event=event, user__username="manager_project").values_list(
            "ref", flat=True))

    # 5 working days end on 10-10: yellow once one is left (after 10-09), red past 10-10 for an item
    # without deemed approval (FIRE-002); the item's own 10 days of the ordinary one run to 10-16.
    travel(2026, 10, 10, 9)
    sweep()
    assert told("alert_yellow") == {green["number"], safety["number"]}
    travel(2026, 10, 11, 9)
    sweep()
    assert told("alert_red") == {safety["number"]}
    travel(2026, 10, 17, 9)
    sweep()
    assert ordinary["number"] not in told("alert_red") | told("alert_yellow")


def test_the_project_view_shows_a_draft_only_once_a_pre_review_shows_it_to_the_center(world, api):
    enterprise, manager = people()
    draft = api(enterprise).post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT,
                                                         "project": PROJECT}, format="json").json()
    assert api(manager).get(f"/api/projects/{PROJECT}/").json()["applications"] == []
    assert api(enterprise).post(f"/api/applications/{draft['id']}/pre-review/", {}, format="json").status_code == 200
    shown = api(manager).get(f"/api/projects/{PROJECT}/").json()["applications"]
    assert [(a["id"], a["status"], len(a["pre_reviews"])) for a in shown] == [(draft["id"], "draft", 1)]
    assert api(manager).get(f"/api/applications/{draft['id']}/").status_code == 200
