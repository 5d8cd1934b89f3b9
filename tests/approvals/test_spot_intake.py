"""当场受理 (seed 001 line 29 and the 一次性告知 passages; issue 13 item 3): a walk-in application
handed in with every required material and no notice issued is accepted or refused on the spot:
before the clerk takes in the next walk-in, and the same working day at the latest; otherwise a
red alert is raised and it no longer counts as completed on site."""

import pytest

from portal.sweep import sweep
from tests.approvals.helpers import MATERIALS
from tests.conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db


def walk_in(api, world, service="MKT-002", complete=True, clerk=None):
    clerk = api(clerk or world.window)
    response = clerk.post("/api/applications/", {"service": service, "applicant": APPLICANT}, format="json")
    assert response.status_code == 201, response.json()
    app = response.json()
    for code in MATERIALS[service][: None if complete else -1]:
        assert upload(clerk, app["id"], code).status_code == 201
    response = clerk.post(f"/api/applications/{app['id']}/submit/")
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_complete_walk_in_must_be_answered_the_same_working_day(world, api, travel):
    travel(2026, 9, 29, 10)
    app = walk_in(api, world)
    assert app["spot_intake"] == {"due_at": "2026-09-29T23:59:59+08:00", "missed": False}
    incomplete = walk_in(api, world, complete=False, clerk=world.window_b)
    assert incomplete["spot_intake"] is None  # incomplete: no 当场受理 clock


def test_a_walk_in_handed_in_on_a_day_off_is_due_by_the_next_working_day(world, api, travel):
    travel(2026, 10, 3, 10)  # National Day holiday
    assert walk_in(api, world)["spot_intake"]["due_at"] == "2026-10-08T23:59:59+08:00"


def test_the_clerk_answers_a_complete_walk_in_before_taking_in_the_next(world, api, travel):
    travel(2026, 9, 29, 10)
    first = walk_in(api, world)
    response = api(world.window).post("/api/applications/", {"service": "MKT-001", "applicant": APPLICANT},
                                      format="json")
    assert response.status_code == 409 and response.json()["code"] == "walk_in_waiting"
    assert first["number"] in response.json()["detail"]
    assert api(world.window_b).post("/api/applications/", {"service": "MKT-001", "applicant": APPLICANT},
                                    format="json").status_code == 201  # another clerk's counter
    assert api(world.window).post(f"/api/applications/{first['id']}/accept/").status_code == 200
    assert walk_in(api, world, "MKT-001")["status"] == "submitted"


def test_an_unanswered_walk_in_raises_a_red_alert_after_its_day_once(world, api, travel):
    travel(2026, 9, 29, 10)
    app = walk_in(api, world)
    travel(2026, 9, 29, 23)
    assert sweep().spot_intake_missed == 0
    travel(2026, 9, 30, 9)
    assert sweep().spot_intake_missed == 1
    assert sweep().spot_intake_missed == 0
    body = api(world.window).get(f"/api/applications/{app['id']}/").json()
    assert body["spot_intake"]["missed"] is True and body["status"] == "submitted"
    alerts = api(world.supervisor).get("/api/alerts/").json()["results"]
    mine = [a for a in alerts if a["application"] == app["number"]]
    assert len(mine) == 1 and mine[0]["level"] == "red" and mine[0]["assignee"] == "window"
    assert any(e["action"] == "spot_intake_missed" for e in body["events"])


def test_a_missed_walk_in_decided_on_site_later_does_not_count_as_on_site(world, api, travel):
    travel(2026, 9, 29, 10)
    late, prompt = walk_in(api, world), None
    travel(2026, 9, 30, 9)
    sweep()
    assert api(world.window).post(f"/api/applications/{late['id']}/accept/").status_code == 200
    assert api(world.window).post(f"/api/applications/{late['id']}/decide-on-site/").json()["onsite"] is False
    prompt = walk_in(api, world)
    api(world.window).post(f"/api/applications/{prompt['id']}/accept/")
    assert api(world.window).post(f"/api/applications/{prompt['id']}/decide-on-site/").json()["onsite"] is True
    rows = {r["department"]: r for r in api(world.supervisor).get(
        "/api/stats/departments/", {"from": "2026-09-01", "to": "2026-09-30"}).json()["results"]}
    assert (rows["MARKET"]["decided"], rows["MARKET"]["onsite"]) == (2, 1)


def test_the_page_tells_the_clerk_to_answer_on_the_spot(world, api, client, travel):
    travel(2026, 9, 29, 10)
    app = walk_in(api, world)
    client.force_login(world.window)
    assert 'id="spot-intake" data-missed="0"' in client.get(f"/applications/{app['id']}/").content.decode()
    travel(2026, 9, 30, 9)
    sweep()
    assert 'id="spot-intake" data-missed="1"' in client.get(f"/applications/{app['id']}/").content.decode()
