"""考勤与请销假: check in/out drives 挂牌上岗; approved leave hands the post to its B post."""

import pytest

from approvals import review
from portal.sweep import sweep
from approvals.models import Stage
from attendance.models import LeaveRequest
from portal.organisation.models import StaffProfile
from tests.approvals.helpers import accepted, stage_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def market_b_post(world):
    StaffProfile.objects.filter(user=world.reviewer_market).update(
        backup=StaffProfile.objects.get(user=world.head_market))


def _claimed_market_stage(world, api):
    app = accepted(world, api)
    stage_id = stage_of(app, "MARKET")
    review.stage_claim(actor=world.reviewer_market, stage_id=stage_id)
    return stage_id


def test_an_approved_leave_routes_the_work_to_the_b_post(world, api, travel, market_b_post):
    travel(2026, 10, 12, 9)
    stage_id = _claimed_market_stage(world, api)
    leave = api(world.reviewer_market).post("/api/leave/", {"first_day": "2026-10-12", "last_day": "2026-10-13",
                                                            "reason": "病假"}, format="json")
    assert leave.status_code == 201, leave.json()
    assert api(world.reviewer_market).post(f"/api/leave/{leave.json()['id']}/approve/").status_code == 403
    approved = api(world.head_market).post(f"/api/leave/{leave.json()['id']}/approve/")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved" and approved.json()["started_at"]
    assert Stage.objects.get(pk=stage_id).assignee == world.head_market
    profile = StaffProfile.objects.get(user=world.reviewer_market)
    assert profile.absent and not profile.on_duty
    travel(2026, 10, 14, 8)
    sweep()
    assert Stage.objects.get(pk=stage_id).assignee == world.reviewer_market
    assert LeaveRequest.objects.get().ended_at is not None


def test_a_leave_approved_in_advance_begins_and_ends_with_the_sweep(world, api, travel, market_b_post):
    travel(2026, 10, 9, 10)
    stage_id = _claimed_market_stage(world, api)
    leave = api(world.reviewer_market).post("/api/leave/", {"first_day": "2026-10-12", "last_day": "2026-10-12",
                                                            "reason": "事假"}, format="json").json()
    api(world.head_market).post(f"/api/leave/{leave['id']}/approve/")
    assert Stage.objects.get(pk=stage_id).assignee == world.reviewer_market
    travel(2026, 10, 12, 0, 5)
    assert sweep()["leaves_started"] == 1
    assert Stage.objects.get(pk=stage_id).assignee == world.head_market
    travel(2026, 10, 13, 0, 5)
    assert sweep()["leaves_ended"] == 1
    assert Stage.objects.get(pk=stage_id).assignee == world.reviewer_market


def test_leave_without_a_b_post_cannot_begin(world, api, travel):
    travel(2026, 10, 12, 9)
    leave = api(world.reviewer_env).post("/api/leave/", {"first_day": "2026-10-12", "last_day": "2026-10-12",
                                                         "reason": "事假"}, format="json").json()
    response = api(world.head_env).post(f"/api/leave/{leave['id']}/approve/")
    assert response.status_code == 409 and response.json()["code"] == "no_backup"
    assert LeaveRequest.objects.get().status == "requested"


def test_check_in_and_out_follow_on_duty_and_lateness_and_absence_are_visible(world, api, travel, market_b_post):
    travel(2026, 10, 12, 8, 55)
    assert api(world.window).post("/api/attendance/check-in/").json()["late"] is False
    assert StaffProfile.objects.get(user=world.window).on_duty
    assert api(world.window).post("/api/attendance/check-in/").status_code == 409
    travel(2026, 10, 12, 9, 20)
    assert api(world.window_b).post("/api/attendance/check-in/").json()["late"] is True
    leave = api(world.reviewer_market).post("/api/leave/", {"first_day": "2026-10-12", "last_day": "2026-10-12",
                                                            "reason": "病假"}, format="json").json()
    api(world.head_market).post(f"/api/leave/{leave['id']}/approve/")
    travel(2026, 10, 12, 10)
    board = api(world.supervisor).get("/api/attendance/", {"day": "2026-10-12"}).json()
    states = {row["username"]: row["state"] for row in board["results"]}
    assert states["window"] == "present" and states["window_b"] == "late"
    assert states["reviewer_market"] == "on_leave" and states["reviewer_env"] == "absent_unexcused"
    market = api(world.head_market).get("/api/attendance/").json()["results"]
    assert {row["department"] for row in market} == {"MARKET"}
    assert api(world.window).get("/api/attendance/").status_code == 403
    travel(2026, 10, 12, 17, 30)
    assert api(world.window).post("/api/attendance/check-out/").status_code == 200
    assert not StaffProfile.objects.get(user=world.window).on_duty
    assert api().get("/api/staff/", {"username": "window"}).json()[0]["on_duty"] is False


def test_leave_requests_are_private_to_the_official_and_his_managers(world, api, travel):
    travel(2026, 10, 9, 10)
    leave = api(world.reviewer_market).post("/api/leave/", {"first_day": "2026-10-12", "last_day": "2026-10-12",
                                                            "reason": "事假"}, format="json").json()
    assert api(world.reviewer_env).get(f"/api/leave/{leave['id']}/").status_code == 404
    assert api(world.head_env).post(f"/api/leave/{leave['id']}/approve/").status_code == 404
    assert api(world.head_market).get(f"/api/leave/{leave['id']}/").status_code == 200
    assert api(world.reviewer_market).post(f"/api/leave/{leave['id']}/cancel/").json()["status"] == "cancelled"


def test_the_attendance_page_checks_in_and_shows_the_board(world, client, travel):
    travel(2026, 10, 12, 9, 30)
    client.force_login(world.window)
    client.post("/attendance/act/check-in/")
    page = client.get("/attendance/").content.decode()
    assert 'id="my-attendance"' in page and 'id="check-out"' in page
    client.force_login(world.supervisor)
    board = client.get("/attendance/").content.decode()
    assert 'data-username="window" data-state="late"' in board
