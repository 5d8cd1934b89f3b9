"""项目经理制 / 绿色通道 (seed 001 line 43; issue 13 item 5): a supervisor of a center designates a
key project (重点项目) of that center or one below it, names its project manager (项目经理) and
links the project's applications — through the API and the pages; the project's manager and
anyone else may not; every change is in the audit trail."""

import pytest
from django.contrib.auth.models import Group, User

from approvals.models import Application
from portal.audit.models import AuditEvent
from portal.organisation import roles
from projects.models import KeyProject
from tests.approvals.helpers import MATERIALS
from tests.conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db

PROJECT = "KP-2026-001"
NEW = {"code": "KP-2026-009", "name": "示例物流园项目", "enterprise": "示例物流有限公司",
       "manager": "manager_project", "stage_days": 4}


def another_manager() -> User:
    other = User.objects.create_user("manager_other", password="x", first_name="孙项目")
    other.groups.set([Group.objects.get(name=roles.PROJECT_MANAGER)])
    return other


def submitted(api, world, service="MKT-002") -> dict:
    client = api(world.citizen)
    app = client.post("/api/applications/", {"service": service, "applicant": APPLICANT}, format="json").json()
    for code in MATERIALS[service]:
        assert upload(client, app["id"], code).status_code == 201
    response = client.post(f"/api/applications/{app['id']}/submit/")
    assert response.status_code == 200, response.json()
    return response.json()


def events(obj, action):
    return list(AuditEvent.objects.filter(object_type=obj._meta.model_name, object_id=obj.pk, action=action))


def test_a_supervisor_designates_a_key_project_of_his_center_and_names_its_manager(world, api):
    response = api(world.supervisor).post("/api/projects/", {**NEW, "applicant": "enterprise"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["manager"]["username"] == "manager_project" and response.json()["center"] == "CITY"
    project = KeyProject.objects.get(code=NEW["code"])
    assert (project.stage_days, project.active, project.applicant.username) == (4, True, "enterprise")
    [event] = events(project, "project_designate")
    assert event.actor_label == "supervisor" and event.data["manager"] == "manager_project"
    listed = api(User.objects.get(username="manager_project")).get("/api/projects/").json()["results"]
    assert NEW["code"] in [p["code"] for p in listed]
    assert api(world.supervisor).post("/api/projects/", NEW, format="json").json()["code"] == "project_exists"


def test_only_a_supervisor_designates_a_key_project(world, api):
    manager = User.objects.get(username="manager_project")
    for someone in (world.window, world.reviewer_market, world.head_market, world.citizen, world.discipline, manager):
        assert api(someone).post("/api/projects/", NEW, format="json").status_code == 403
    assert api().post("/api/projects/", NEW, format="json").status_code in (401, 403)
    assert not KeyProject.objects.filter(code=NEW["code"]).exists()


def test_the_manager_holds_the_project_manager_role(world, api):
    response = api(world.supervisor).post("/api/projects/", {**NEW, "manager": "reviewer_market"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "not_a_project_manager"


def test_a_township_supervisor_designates_for_his_township_only(world, api):
    town = User.objects.get(username="supervisor_town")
    refused = api(town).post("/api/projects/", {**NEW, "center": "CITY"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "center_not_yours"
    # 三级政务服务: he names a project manager within his reach — the township's, not the county's.
    refused = api(town).post("/api/projects/", NEW, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "manager_not_in_reach"
    assert api(town).post("/api/projects/", {**NEW, "manager": "manager_town"}, format="json").json()[
        "center"] == "TOWN"
    # The county supervisor sees (and may change) the township's project; the township's not the county's.
    assert api(world.supervisor).get(f"/api/projects/{NEW['code']}/").status_code == 200
    assert api(town).post(f"/api/projects/{PROJECT}/manager/", {"manager": "manager_project", "reason": "x"},
                          format="json").status_code == 404


def test_the_supervisor_hands_the_project_to_another_manager(world, api):
    manager, other = User.objects.get(username="manager_project"), another_manager()
    body = {"manager": "manager_other", "reason": "原项目经理调岗"}
    # Per object: its manager sees the project but may not change it; others do not see it at all.
    assert api(manager).post(f"/api/projects/{PROJECT}/manager/", body, format="json").status_code == 403
    for outsider in (world.reviewer_market, world.window, world.citizen, other):
        assert api(outsider).post(f"/api/projects/{PROJECT}/manager/", body, format="json").status_code == 404
    assert KeyProject.objects.get(code=PROJECT).manager == manager
    response = api(world.supervisor).post(f"/api/projects/{PROJECT}/manager/", body, format="json")
    assert response.status_code == 200 and response.json()["manager"]["username"] == "manager_other"
    assert api(other).get(f"/api/projects/{PROJECT}/").status_code == 200
    assert api(manager).get(f"/api/projects/{PROJECT}/").status_code == 404
    [event] = events(KeyProject.objects.get(code=PROJECT), "project_manager_assign")
    assert (event.data, event.note) == ({"from": "manager_project", "to": "manager_other"}, "原项目经理调岗")
    again = api(world.supervisor).post(f"/api/projects/{PROJECT}/manager/", body, format="json")
    assert again.status_code == 409 and again.json()["code"] == "same_manager"


def test_a_linked_application_runs_on_the_green_channel_from_its_acceptance(world, api, travel):
    travel(2026, 9, 28, 10)
    manager = User.objects.get(username="manager_project")
    app = submitted(api, world)
    link = {"application": app["number"]}
    assert api(manager).post(f"/api/projects/{PROJECT}/link/", link, format="json").status_code == 403
    assert api(world.reviewer_market).post(f"/api/projects/{PROJECT}/link/", link, format="json").status_code == 404
    response = api(world.supervisor).post(f"/api/projects/{PROJECT}/link/", link, format="json")
    assert response.status_code == 200, response.json()
    assert app["id"] in [a["id"] for a in response.json()["applications"]]
    accepted = api(world.window).post(f"/api/applications/{app['id']}/accept/").json()
    # The project's 5 working days from 2026-09-28 end on the make-up Saturday 2026-10-10; MKT-002's 10 on 10-16.
    assert accepted["due_at"] == "2026-10-10T23:59:59+08:00"
    application = Application.objects.get(pk=app["id"])
    assert [e.data["project"] for e in events(application, "project_link")] == [PROJECT]
    assert [e.data["application"] for e in events(KeyProject.objects.get(code=PROJECT), "project_link")] == [
        app["number"]]
    again = api(world.supervisor).post(f"/api/projects/{PROJECT}/link/", link, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_linked"
    # From acceptance the limit is fixed: the application stays with the project.
    fixed = api(world.supervisor).post(f"/api/projects/{PROJECT}/unlink/", {**link, "reason": "误挂"}, format="json")
    assert fixed.status_code == 409 and fixed.json()["code"] == "limit_fixed"


def test_an_application_accepted_already_keeps_its_limit_when_linked(world, api, travel):
    travel(2026, 9, 28, 10)
    app = submitted(api, world)
    due = api(world.window).post(f"/api/applications/{app['id']}/accept/").json()["due_at"]
    response = api(world.supervisor).post(f"/api/projects/{PROJECT}/link/", {"application": app["number"]},
                                          format="json")
    assert response.status_code == 200
    application = Application.objects.get(pk=app["id"])
    assert application.key_project.code == PROJECT and application.green_channel_days is None
    assert api(world.window).get(f"/api/applications/{app['id']}/").json()["due_at"] == due


def test_an_application_not_yet_accepted_leaves_the_project_with_a_reason(world, api):
    app = submitted(api, world)
    link = {"application": app["number"]}
    api(world.supervisor).post(f"/api/projects/{PROJECT}/link/", link, format="json")
    assert api(world.supervisor).post(f"/api/projects/{PROJECT}/unlink/", link, format="json").status_code == 400
    response = api(world.supervisor).post(f"/api/projects/{PROJECT}/unlink/", {**link, "reason": "误挂"},
                                          format="json")
    assert response.status_code == 200
    application = Application.objects.get(pk=app["id"])
    assert application.key_project is None
    assert [e.note for e in events(application, "project_unlink")] == ["误挂"]


def test_the_supervisor_designates_and_links_on_the_pages(world, api, client):
    app = submitted(api, world)
    client.force_login(User.objects.get(username="manager_project"))
    assert client.get("/projects/new/").status_code == 403
    page = client.get(f"/projects/{PROJECT}/").content.decode()
    assert 'id="project-link"' not in page and 'id="project-manager-form"' not in page
    client.force_login(world.supervisor)
    assert 'name="manager"' in client.get("/projects/new/").content.decode()
    response = client.post("/projects/new/", {**NEW, "applicant": ""})
    assert response.status_code == 302 and response["Location"] == f"/projects/{NEW['code']}/"
    assert KeyProject.objects.get(code=NEW["code"]).manager.username == "manager_project"
    another_manager()
    page = client.get(f"/projects/{NEW['code']}/").content.decode()
    assert 'id="project-link"' in page and 'value="manager_other"' in page
    client.post(f"/projects/{NEW['code']}/link/", {"application": app["number"]})
    assert Application.objects.get(pk=app["id"]).key_project.code == NEW["code"]
    client.post(f"/projects/{NEW['code']}/manager/", {"manager": "manager_other", "reason": "调岗"})
    assert KeyProject.objects.get(code=NEW["code"]).manager.username == "manager_other"
    client.post(f"/projects/{NEW['code']}/unlink/", {"application": app["number"], "reason": "误挂"})
    assert Application.objects.get(pk=app["id"]).key_project is None


def test_a_change_in_the_admin_is_audited_too(world, client):
    admin = User.objects.get(username="admin")
    client.force_login(admin)
    project = KeyProject.objects.get(code=PROJECT)
    page = client.get(f"/admin/projects/keyproject/{project.pk}/change/")
    assert page.status_code == 200
    form = {"code": project.code, "name": project.name, "enterprise": project.enterprise,
            "center": project.center_id, "manager": project.manager_id, "applicant": project.applicant_id or "",
            "stage_days": 2, "active": "on", "designated_at_0": "2026-09-01", "designated_at_1": "09:00:00",
            "note": ""}
    response = client.post(f"/admin/projects/keyproject/{project.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    [event] = events(project, "project_change")
    assert event.actor_label == "admin" and event.data["stage_days"] == "2"


def test_a_township_supervisor_is_offered_and_may_name_only_managers_within_his_reach(world, api, client):
    town = User.objects.get(username="supervisor_town")
    client.force_login(town)
    form = client.get("/projects/new/").content.decode()
    assert 'value="manager_town"' in form and 'value="manager_project"' not in form
    assert api(town).post("/api/projects/", {**NEW, "manager": "manager_town"}, format="json").status_code == 201
    page = client.get(f"/projects/{NEW['code']}/").content.decode()
    assert 'value="manager_town"' in page and 'value="manager_project"' not in page
    refused = api(town).post(f"/api/projects/{NEW['code']}/manager/",
                             {"manager": "manager_project", "reason": "调岗"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "manager_not_in_reach"
    assert KeyProject.objects.get(code=NEW["code"]).manager.username == "manager_town"
    # The county's supervisor reaches the whole county: both are offered, and he may hand it over.
    client.force_login(world.supervisor)
    page = client.get(f"/projects/{NEW['code']}/").content.decode()
    assert 'value="manager_town"' in page and 'value="manager_project"' in page
    handed = api(world.supervisor).post(f"/api/projects/{NEW['code']}/manager/",
                                        {"manager": "manager_project", "reason": "调岗"}, format="json")
    assert handed.status_code == 200
