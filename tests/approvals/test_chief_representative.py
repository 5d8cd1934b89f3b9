"""首席代表制 (seed 001 line 93, issue 13 item 1): "除确需现场踏勘的行政审批办件和联办件、上报件等
行政审批办件外,其它办件由首席代表签字后即生效". The chief representative's signature decides any
item of his department on the spot, except site-inspection, joint and referred-up items; the
on-site decision counts in 现场办结率."""

import pytest

from tests.approvals.helpers import accepted, stage_of

pytestmark = pytest.mark.django_db


def decide_on_site(api, user, app):
    return api(user).post(f"/api/applications/{app['id']}/decide-on-site/", {"opinion": "材料齐全，当场核准"},
                          format="json")


def test_chief_representative_signs_a_promised_item_and_the_certificate_is_issued(world, api):
    app = accepted(world, api, "MKT-002")
    response = decide_on_site(api, world.window, app)
    assert response.status_code == 200, response.json()
    body = api(world.citizen).get(f"/api/applications/{app['id']}/").json()
    assert body["status"] == "approved" and body["onsite"] is True
    assert body["decision"]["outcome"] == "approved" and body["decision"]["certificate_number"]
    assert [d["kind"] for d in body["documents"]].count("certificate") == 1
    stage = api(world.reviewer_market).get(f"/api/stages/{stage_of(app, 'MARKET')}/").json()
    assert stage["status"] == "approved" and stage["assignee"] == "window"
    assert stage["opinion"] == "材料齐全，当场核准"
    assert any(e["action"] == "approve_on_site" for e in body["events"])


def test_an_item_needing_a_site_inspection_is_not_signed_at_the_counter(world, api):
    app = accepted(world, api, "MKT-003")
    response = decide_on_site(api, world.window, app)
    assert response.status_code == 409 and response.json()["code"] == "site_inspection_required"
    body = api(world.window).get(f"/api/applications/{app['id']}/").json()
    assert body["status"] == "in_review" and body["onsite"] is False


def test_a_joint_item_is_not_signed_at_the_counter_even_by_the_lead_departments_representative(world, api):
    world.window.staff_profile.chief_representative_for.add(world.head_housing.staff_profile.department)
    app = accepted(world, api, "HSG-001")
    response = decide_on_site(api, world.window, app)
    assert response.status_code == 409 and response.json()["code"] == "joint_item", response.json()


def test_only_the_departments_own_chief_representative_signs(world, api):
    app = accepted(world, api, "FIRE-002")
    response = decide_on_site(api, world.window, app)
    assert response.status_code == 403 and response.json()["code"] == "not_chief_representative"


def test_a_stage_a_reviewer_already_claimed_is_not_taken_from_him(world, api):
    app = accepted(world, api, "MKT-002")
    assert api(world.reviewer_market).post(f"/api/stages/{stage_of(app, 'MARKET')}/claim/").status_code == 200
    response = decide_on_site(api, world.window, app)
    assert response.status_code == 409 and response.json()["code"] == "claimed_by_other"


def test_the_on_site_decision_counts_in_the_on_site_rate(world, api):
    signed, reviewed = accepted(world, api, "MKT-002"), accepted(world, api, "MKT-003")
    assert decide_on_site(api, world.window, signed).status_code == 200
    assert api(world.reviewer_market).post(f"/api/stages/{stage_of(reviewed, 'MARKET')}/approve/",
                                           {"opinion": "现场核查合格"}, format="json").status_code == 200
    rows = {r["department"]: r for r in api(world.supervisor).get("/api/stats/departments/").json()["results"]}
    assert (rows["MARKET"]["decided"], rows["MARKET"]["onsite"], rows["MARKET"]["onsite_rate"]) == (2, 1, 0.5)


def test_the_catalogue_publishes_which_items_need_a_site_inspection(world, api, client):
    assert api().get("/api/services/MKT-003/").json()["requires_site_inspection"] is True
    assert api().get("/api/services/MKT-002/").json()["requires_site_inspection"] is False
    assert 'id="site-inspection"' in client.get("/services/MKT-003/").content.decode()


def test_the_page_offers_the_on_site_decision_only_where_the_signature_decides(world, api, client):
    promised, inspected = accepted(world, api, "MKT-002"), accepted(world, api, "MKT-003")
    client.force_login(world.window)
    assert 'id="decide-on-site"' in client.get(f"/applications/{promised['id']}/").content.decode()
    assert 'id="decide-on-site"' not in client.get(f"/applications/{inspected['id']}/").content.decode()
    response = client.post(f"/applications/{inspected['id']}/act/onsite/", {"confirmed": "1"}, follow=True)
    assert "现场踏勘" in response.content.decode()
    assert api(world.window).get(f"/api/applications/{inspected['id']}/").json()["status"] == "in_review"
    client.post(f"/applications/{promised['id']}/act/onsite/", {"confirmed": "1"})
    assert api(world.window).get(f"/api/applications/{promised['id']}/").json()["status"] == "approved"
