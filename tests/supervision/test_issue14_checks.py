"""Issue 14, "How it is checked": each scenario driven end to end through the REST API with
time travel (the deadline sweep as ``manage.py enforce_deadlines`` runs it).

| scenario | test |
|---|---|
| a FIRE-002 stage overdue and unanswered opens exactly one case after the grace period | ``tests/approvals/test_inaction.py::test_unclaimed_overdue_fire_stage_opens_one_case_against_the_head_after_the_grace_period`` |
| three cases in a department within 12 months propose one against the leader in charge | ``test_three_cases_opened_through_the_api_propose_one_against_the_leader_in_charge`` (below) |
| a department below 90 % on-site appears flagged in the monthly report | ``test_a_month_decided_through_the_api_flags_a_department_below_ninety_percent_on_site`` (below) |
| a campaign's answers are aggregated and published | ``tests/appraisal/test_campaigns.py::test_a_campaigns_answers_are_aggregated_and_published`` |
| an approved leave routes the work to the B post | ``test_a_leave_approved_through_the_api_routes_the_claimed_work_to_the_b_post_until_it_ends`` (below) |
"""

import csv
import io

import pytest

from portal.organisation.models import StaffProfile
from portal.sweep import sweep
from supervision.demo import demo_responsible_persons_seed, demo_targets_seed
from tests.approvals.helpers import accepted, stage_of

pytestmark = pytest.mark.django_db


def _refer(api, world, n):
    response = api(world.supervisor).post("/api/accountability/cases/", {
        "subject": "reviewer_market", "source": "referral", "source_ref": f"JB2026-{n:04d}",
        "summary": "群众反映窗口拖延办理，查证属实。"}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_three_cases_opened_through_the_api_propose_one_against_the_leader_in_charge(world, api, travel):
    demo_responsible_persons_seed()
    discipline = api(world.discipline)
    for n, (month, day) in enumerate(((1, 5), (3, 9)), start=1):
        travel(2026, month, day, 10)
        _refer(api, world, n)
        sweep()
    assert discipline.get("/api/accountability/proposals/?department=MARKET").json()["count"] == 0
    travel(2026, 6, 2, 10)
    third = _refer(api, world, 3)
    sweep()
    sweep()  # once only
    body = discipline.get("/api/accountability/proposals/?department=MARKET").json()
    assert body["count"] == 1
    proposal = body["results"][0]
    assert (proposal["subject"], proposal["subject_role"], proposal["status"], proposal["case_count"]) == (
        "leader_market", "leader_in_charge", "proposed", 3)
    assert third["number"] in proposal["cases"]
    confirmed = discipline.post(f"/api/accountability/proposals/{proposal['id']}/confirm/", {}, format="json")
    assert confirmed.status_code == 200, confirmed.json()
    case = discipline.get("/api/accountability/cases/?subject=leader_market").json()["results"]
    assert [(c["number"], c["subject_role"], c["source_ref"]) for c in case] == [
        (confirmed.json()["case"], "leader_in_charge", proposal["number"])]


def test_a_month_decided_through_the_api_flags_a_department_below_ninety_percent_on_site(world, api, travel):
    demo_targets_seed()
    travel(2026, 11, 9, 10)
    signed = accepted(world, api, "MKT-002")
    assert api(world.window).post(f"/api/applications/{signed['id']}/decide-on-site/", {"opinion": "当场核准"},
                                  format="json").status_code == 200
    reviewed = accepted(world, api, "MKT-002")
    stage = stage_of(reviewed, "MARKET")
    assert api(world.reviewer_market).post(f"/api/stages/{stage}/claim/").status_code == 200
    travel(2026, 11, 12, 15)
    assert api(world.reviewer_market).post(f"/api/stages/{stage}/approve/", {"opinion": "符合条件"},
                                           format="json").status_code == 200
    travel(2026, 12, 1, 9)
    sweep()
    body = api(world.supervisor).get("/api/stats/monthly-report/", {"month": "2026-11"}).json()
    rows = {r["department"]: r for r in body["departments"]}
    assert (rows["MARKET"]["decided"], rows["MARKET"]["onsite_rate"]) == (2, 0.5)
    assert "onsite_rate" in rows["MARKET"]["below_target"] and "MARKET" in body["below_target"]
    assert "HOUSING" not in body["below_target"]  # nothing decided: no figure, no breach
    text = api(world.supervisor).get("/api/stats/monthly-report/csv/", {"month": "2026-11"}).content.decode()
    header, *lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    market = dict(zip(header, next(line for line in lines if line[1] == "MARKET")))
    assert "现场办结率" in market["未达标"].split("、")


def test_a_leave_approved_through_the_api_routes_the_claimed_work_to_the_b_post_until_it_ends(
        world, api, travel):
    StaffProfile.objects.filter(user=world.reviewer_market).update(
        backup=StaffProfile.objects.get(user=world.head_market))
    travel(2026, 10, 12, 9)
    app = accepted(world, api, "MKT-002")
    stage = stage_of(app, "MARKET")
    assert api(world.reviewer_market).post(f"/api/stages/{stage}/claim/").status_code == 200
    leave = api(world.reviewer_market).post("/api/leave/", {"first_day": "2026-10-12", "last_day": "2026-10-13",
                                                            "reason": "病假"}, format="json").json()
    assert api(world.head_market).post(f"/api/leave/{leave['id']}/approve/").json()["status"] == "approved"

    def assignee(application):
        stages = api(world.supervisor).get(f"/api/applications/{application['id']}/").json()["stages"]
        return next(s["assignee"] for s in stages if s["department"] == "MARKET")

    assert assignee(app) == "head_market"
    assert api(world.reviewer_market).post(f"/api/stages/{stage}/approve/", {"opinion": "x"},
                                           format="json").status_code in (403, 404, 409)
    staff = api().get("/api/staff/", {"username": "reviewer_market"}).json()
    staff = staff["results"] if isinstance(staff, dict) else staff
    assert staff[0]["on_duty"] is False
    travel(2026, 10, 14, 8)
    sweep()
    assert assignee(app) == "reviewer_market"
