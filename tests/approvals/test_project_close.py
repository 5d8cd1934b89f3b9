"""特事特办 ends (issue 13 review): the supervisors who designate a key project take it off the
green channel (绿色通道) — POST /api/projects/{code}/close/ and a confirmed button on the project
page — with a reason in the audit trail. Its applications not yet accepted are accepted on their
item's own limit; a stage already running keeps the limit it was accepted on (never moved, so
never lapsed at once); nothing is filed or linked under it any more."""

import pytest
from django.contrib.auth.models import User

from approvals.models import Application
from portal.audit.models import AuditEvent
from portal.sweep import sweep
from projects.models import KeyProject
from tests.approvals.test_key_projects import apply
from tests.approvals.test_project_designation import submitted
from tests.conftest import APPLICANT

pytestmark = pytest.mark.django_db

PROJECT = "KP-2026-001"
CLOSE = f"/api/projects/{PROJECT}/close/"


def closed_events():
    project = KeyProject.objects.get(code=PROJECT)
    return list(AuditEvent.objects.filter(object_type="keyproject", object_id=project.pk, action="project_close"))


def test_only_the_supervisors_who_designate_close_a_key_project(world, api):
    manager, town = User.objects.get(username="manager_project"), User.objects.get(username="supervisor_town")
    body = {"reason": "项目已竣工投产"}
    # Per object: its manager sees it but may not close it; whoever may not see it gets 404.
    assert api(manager).post(CLOSE, body, format="json").status_code == 403
    for outsider in (world.window, world.reviewer_market, world.citizen, world.discipline, town):
        assert api(outsider).post(CLOSE, body, format="json").status_code == 404
    assert api().post(CLOSE, body, format="json").status_code in (401, 403)
    assert KeyProject.objects.get(code=PROJECT).active
    assert api(world.supervisor).post(CLOSE, {}, format="json").status_code == 400
    response = api(world.supervisor).post(CLOSE, body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["active"] is False and not KeyProject.objects.get(code=PROJECT).active
    [event] = closed_events()
    assert (event.actor_label, event.note, event.from_status, event.to_status) == (
        "supervisor", "项目已竣工投产", "active", "closed")
    again = api(world.supervisor).post(CLOSE, body, format="json")
    assert again.status_code == 409 and again.json()["code"] == "project_closed"
    assert len(closed_events()) == 1


def test_a_running_stage_keeps_its_limit_and_one_not_yet_accepted_runs_on_the_items(world, api, travel):
    enterprise = User.objects.get(username="enterprise")
    travel(2026, 9, 28, 10)
    running = apply(api, enterprise, accept_by=world.window)  # 5 working days: ends 2026-10-10
    waiting = submitted(api, world)
    assert api(world.supervisor).post(f"/api/projects/{PROJECT}/link/", {"application": waiting["number"]},
                                      format="json").status_code == 200
    assert api(world.supervisor).post(CLOSE, {"reason": "特事特办结束"}, format="json").status_code == 200
    [event] = closed_events()
    assert event.data == {"not_yet_accepted": 1, "running": 1}
    # The running one: its stages keep the green-channel limit, to the day, and lapse then.
    detail = api(world.window).get(f"/api/applications/{running['id']}/").json()
    assert detail["due_at"] == "2026-10-10T23:59:59+08:00" and detail["key_project"]["green_channel_days"] == 5
    assert [s["due_at"] for s in detail["stages"]] == ["2026-10-10T23:59:59+08:00"]
    # The one not yet accepted: accepted on MKT-002's own 10 working days, still followed by the manager.
    accepted = api(world.window).post(f"/api/applications/{waiting['id']}/accept/").json()
    assert accepted["due_at"] == "2026-10-16T23:59:59+08:00"
    assert Application.objects.get(pk=waiting["id"]).green_channel_days is None
    codes = [a["id"] for a in api(User.objects.get(username="manager_project")).get(
        f"/api/projects/{PROJECT}/").json()["applications"]]
    assert {running["id"], waiting["id"]} <= set(codes)
    travel(2026, 10, 11, 0, 1)
    sweep()
    assert Application.objects.get(pk=running["id"]).status == "deemed_approved"
    assert Application.objects.get(pk=waiting["id"]).status == "in_review"


def test_nothing_is_filed_or_linked_under_a_closed_project(world, api):
    enterprise = User.objects.get(username="enterprise")
    api(world.supervisor).post(CLOSE, {"reason": "特事特办结束"}, format="json")
    filed = api(enterprise).post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT,
                                                        "project": PROJECT}, format="json")
    assert filed.status_code == 400 and filed.json()["code"] == "unknown_project"
    app = submitted(api, world)
    link = api(world.supervisor).post(f"/api/projects/{PROJECT}/link/", {"application": app["number"]},
                                      format="json")
    assert link.status_code == 409 and link.json()["code"] == "project_closed"
    assert Application.objects.get(pk=app["id"]).key_project is None


def test_the_project_page_closes_it_after_a_confirmation(world, client):
    client.force_login(User.objects.get(username="manager_project"))
    assert 'id="project-close"' not in client.get(f"/projects/{PROJECT}/").content.decode()
    client.force_login(world.supervisor)
    page = client.get(f"/projects/{PROJECT}/").content.decode()
    assert 'id="project-close"' in page
    ask = client.post(f"/projects/{PROJECT}/close/", {"reason": "项目已竣工投产"})
    assert ask.status_code == 200 and 'name="confirmed"' in ask.content.decode()
    assert "项目已竣工投产" in ask.content.decode() and KeyProject.objects.get(code=PROJECT).active
    done = client.post(f"/projects/{PROJECT}/close/", {"reason": "项目已竣工投产", "confirmed": "1"})
    assert done.status_code == 302 and not KeyProject.objects.get(code=PROJECT).active
    page = client.get(f"/projects/{PROJECT}/").content.decode()
    assert 'id="project-closed"' in page and 'id="project-close"' not in page and 'id="project-link"' not in page
    assert [e.note for e in closed_events()] == ["项目已竣工投产"]
