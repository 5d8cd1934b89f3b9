"""Cases opened by hand: a supervisor's referral or a red alert; only this way against
a leader in charge or the principal leader."""

import pytest

from portal.sweep import sweep
from tests.approvals.helpers import accepted

pytestmark = pytest.mark.django_db


def refer(api, user, **body):
    payload = {"subject": "head_market", "subject_role": "leader_in_charge", "source": "referral",
               "source_ref": "JC-2026-07", "summary": "分管领导对超期办件督办不力。", **body}
    return api(user).post("/api/accountability/cases/", payload, format="json")


def test_a_supervisor_refers_the_leader_in_charge(world, api):
    response = refer(api, world.supervisor)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["subject"] == "head_market" and body["subject_role"] == "leader_in_charge"
    assert body["source"] == "referral" and body["source_ref"] == "JC-2026-07"
    assert body["status"] == "opened" and body["sanction"] is None and body["department"] == "MARKET"


def test_the_discipline_office_refers_the_principal(world, api):
    response = refer(api, world.discipline, subject_role="principal", subject="head_fire", source_ref="JC-9")
    assert response.status_code == 201 and response.json()["subject_role"] == "principal"


def test_only_case_workers_refer(world, api):
    for user in (world.citizen, world.reviewer_market, world.head_fire, world.window):
        assert refer(api, user).status_code == 403, user.username


def test_a_referral_names_an_official_and_a_reference(world, api):
    response = refer(api, world.supervisor, subject="citizen", source_ref="")
    assert response.status_code == 400
    assert set(response.json()["fields"]) >= {"subject", "source_ref"}


def test_cases_from_complaints_and_deemed_approvals_are_not_opened_by_hand(world, api):
    for source in ("complaint", "deemed_approval"):
        response = refer(api, world.supervisor, source=source)
        assert response.status_code == 400 and "source" in response.json()["fields"]


def test_a_red_alert_case_references_an_application_with_a_red_alert(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "FIRE-002")
    response = refer(api, world.supervisor, subject="head_fire", subject_role="direct", source="red_alert",
                     source_ref=app["number"])
    assert response.status_code == 400 and "source_ref" in response.json()["fields"]
    travel(2026, 10, 17, 9)
    sweep()
    response = refer(api, world.supervisor, subject="head_fire", subject_role="direct", source="red_alert",
                     source_ref=app["number"])
    assert response.status_code == 201
    assert response.json()["department"] == "FIRE" and response.json()["source_ref"] == app["number"]


def test_the_same_referral_twice_is_the_same_case(world, api):
    first = refer(api, world.supervisor).json()
    second = refer(api, world.supervisor).json()
    assert first["id"] == second["id"]
    assert api(world.supervisor).get("/api/accountability/cases/").json()["count"] == 1


def test_a_deemed_approval_opens_a_case_the_subject_sees(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api)
    api(world.reviewer_market).post(f"/api/stages/{app['stages'][0]['id']}/claim/")
    travel(2026, 10, 17, 9)
    sweep()
    mine = api(world.reviewer_market).get("/api/accountability/cases/").json()["results"]
    assert [(c["source"], c["source_ref"], c["subject_role"]) for c in mine] == [
        ("deemed_approval", app["number"], "direct")]
    case_id = mine[0]["id"]
    body = api(world.discipline).get(f"/api/accountability/cases/{case_id}/").json()
    assert body["status"] == "opened" and body["department"] == "MARKET"
    assert api(world.discipline).post(f"/api/accountability/cases/{case_id}/start-investigation/").status_code == 200
