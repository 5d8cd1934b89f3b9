"""AB岗工作制 (SPEC §2): while A is absent his open intake queue, stages, inquiries and
new assignments go to B; they come back when A returns; A and B cannot both be
absent; deadlines never move; every routing is in the audit trail."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from approvals.models import Application, Stage
from portal.audit.models import AuditEvent
from portal.errors import StateConflict
from inquiries.models import Inquiry
from portal.organisation import posts, services
from portal.organisation.models import RoutedWork, StaffProfile
from tests.conftest import APPLICANT, upload
from tests.inquiries.helpers import online, walk_in

pytestmark = pytest.mark.django_db

MKT2 = ["FORM", "LICENCE", "LAYOUT", "SAFETY"]


def walk_in_draft(api, clerk) -> int:
    response = api(clerk).post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def claimed_stage(world, api) -> int:
    citizen = api(world.citizen)
    app = citizen.post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT}, format="json").json()
    for code in MKT2:
        upload(citizen, app["id"], code)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    accepted = api(world.window_b).post(f"/api/applications/{app['id']}/accept/").json()
    stage_id = accepted["stages"][0]["id"]
    assert api(world.reviewer_market).post(f"/api/stages/{stage_id}/claim/").status_code == 200
    return stage_id


def absent(api, world, username="window", by=None):
    return api(by or world.supervisor).post(f"/api/staff/{username}/absent/", {"note": "年休假"}, format="json")


def returned(api, world, username="window", by=None):
    return api(by or world.supervisor).post(f"/api/staff/{username}/return/")


def test_marking_a_absent_routes_his_intake_queue_and_inquiries_to_b(world, api):
    draft = walk_in_draft(api, world.window)
    inquiry = walk_in(api, world.window)
    response = absent(api, world)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["absent"], body["on_duty"], body["backup"]) == (True, False, "window_b")
    assert body["moved"] == {"intake": [draft], "inquiry": [inquiry["id"]]}
    assert Application.objects.get(pk=draft).intake_clerk == world.window_b
    assert Inquiry.objects.get(pk=inquiry["id"]).owner == world.window_b
    # B now owns it and may act on it; the first-inquiry officer is still A.
    detail = api(world.window_b).get(f"/api/inquiries/{inquiry['id']}/").json()
    assert (detail["owner"], detail["first_inquiry_officer"]) == ("window_b", "window")


def test_routing_never_moves_a_deadline(world, api):
    inquiry = walk_in(api, world.window)
    stage = claimed_stage(world, api)
    api(world.head_market).post("/api/staff/reviewer_market/backup/", {"backup": "head_market"}, format="json")
    due = (Inquiry.objects.get(pk=inquiry["id"]).due_at, Stage.objects.get(pk=stage).due_at)
    absent(api, world)
    absent(api, world, "reviewer_market", by=world.head_market)
    returned(api, world)
    assert (Inquiry.objects.get(pk=inquiry["id"]).due_at, Stage.objects.get(pk=stage).due_at) == due


def test_a_reviewers_claimed_stage_goes_to_b_and_comes_back(world, api):
    stage = claimed_stage(world, api)
    head = api(world.head_market)
    head.post("/api/staff/reviewer_market/backup/", {"backup": "head_market"}, format="json")
    assert absent(api, world, "reviewer_market", by=world.head_market).json()["moved"] == {"stage": [stage]}
    assert Stage.objects.get(pk=stage).assignee == world.head_market
    assert returned(api, world, "reviewer_market", by=world.head_market).json()["moved"] == {"stage": [stage]}
    assert Stage.objects.get(pk=stage).assignee == world.reviewer_market


def test_everything_routed_comes_back_when_a_returns(world, api):
    draft = walk_in_draft(api, world.window)
    inquiry = walk_in(api, world.window)
    absent(api, world)
    body = returned(api, world).json()
    assert (body["absent"], body["on_duty"]) == (False, True)
    assert body["moved"] == {"intake": [draft], "inquiry": [inquiry["id"]]}
    assert Application.objects.get(pk=draft).intake_clerk == world.window
    assert Inquiry.objects.get(pk=inquiry["id"]).owner == world.window
    assert not RoutedWork.objects.filter(returned_at__isnull=True).exists()


def test_work_assigned_while_a_was_away_goes_to_b_and_back_to_a(world, api):
    absent(api, world)
    question = online(api, world.citizen)
    # A claims at his desk while marked away: the new assignment lands with B.
    claimed = api(world.window).post(f"/api/inquiries/{question['id']}/claim/").json()
    assert (claimed["owner"], claimed["first_inquiry_officer"]) == ("window_b", "window")
    assert effective(world.window) == world.window_b
    routed = RoutedWork.objects.get(object_id=question["id"], kind="inquiry")
    assert (routed.absentee, routed.holder, routed.cause) == (world.window, world.window_b, "new_assignment")
    assert returned(api, world).json()["moved"] == {"inquiry": [question["id"]]}
    assert Inquiry.objects.get(pk=question["id"]).owner == world.window
    assert effective(world.window) == world.window


def test_a_referral_addressed_to_an_absent_official_goes_to_his_b(world, api):
    head = api(world.head_housing)
    head.post("/api/staff/reviewer_housing/backup/", {"backup": "head_housing"}, format="json")
    absent(api, world, "reviewer_housing", by=world.head_housing)
    inquiry = walk_in(api, world.window)
    body = api(world.window).post(f"/api/inquiries/{inquiry['id']}/refer/",
                                  {"department": "HOUSING", "assignee": "reviewer_housing"}, format="json").json()
    assert body["referral"]["referee"] == "head_housing"
    returned(api, world, "reviewer_housing", by=world.head_housing)
    assert Inquiry.objects.get(pk=inquiry["id"]).referee == world.reviewer_housing


def test_what_b_finished_meanwhile_stays_finished_with_b(world, api):
    inquiry = walk_in(api, world.window)
    absent(api, world)
    b = api(world.window_b)
    b.post(f"/api/inquiries/{inquiry['id']}/answer/", {"answer": "已答复"}, format="json")
    b.post(f"/api/inquiries/{inquiry['id']}/close/")
    assert returned(api, world).json()["moved"] == {}
    assert Inquiry.objects.get(pk=inquiry["id"]).owner == world.window_b
    assert RoutedWork.objects.get(object_id=inquiry["id"]).outcome == "kept"


def test_what_b_held_before_a_left_is_not_taken_from_b(world, api):
    mine = walk_in(api, world.window_b)
    absent(api, world)
    returned(api, world)
    assert Inquiry.objects.get(pk=mine["id"]).owner == world.window_b


def test_a_and_b_cannot_both_be_absent(world, api):
    assert absent(api, world).status_code == 200
    response = absent(api, world, "window_b")
    assert response.status_code == 409
    assert response.json()["code"] == "both_absent"
    assert StaffProfile.objects.get(user=world.window_b).absent is False


def test_a_cannot_leave_while_his_b_is_absent(world, api):
    api(world.supervisor).post("/api/staff/window_b/backup/", {"backup": "supervisor"}, format="json")
    assert absent(api, world, "window_b").status_code == 200
    response = absent(api, world)
    assert response.status_code == 409
    assert response.json()["code"] == "both_absent"


def test_a_post_without_b_cannot_be_left(world, api):
    response = absent(api, world, "reviewer_fire", by=world.head_fire)
    assert response.status_code == 409
    assert response.json()["code"] == "no_backup"


def test_marking_absent_twice_or_returning_when_present_is_409(world, api):
    absent(api, world)
    assert absent(api, world).status_code == 409
    returned(api, world)
    assert returned(api, world).status_code == 409


def test_the_b_post_cannot_be_changed_while_a_is_away(world, api):
    absent(api, world)
    response = api(world.supervisor).post("/api/staff/window/backup/", {"backup": "supervisor"}, format="json")
    assert response.status_code == 409


def test_a_colleague_another_head_or_a_citizen_cannot_mark_someone_absent(world, api):
    assert absent(api, world, by=world.window_b).status_code == 403
    assert absent(api, world, by=world.head_market).status_code == 403
    assert absent(api, world, by=world.citizen).status_code == 403
    assert not StaffProfile.objects.get(user=world.window).absent


def test_an_official_reports_his_own_absence_and_return(world, api):
    assert absent(api, world, by=world.window).status_code == 200
    assert returned(api, world, by=world.window).status_code == 200


def test_every_routing_is_in_the_audit_trail(world, api):
    draft = walk_in_draft(api, world.window)
    inquiry = walk_in(api, world.window)
    absent(api, world)
    returned(api, world)
    routed = AuditEvent.objects.filter(action="route_to_backup").values_list("object_type", "object_id", "note")
    assert set(routed) == {("application", draft, "window → window_b"), ("inquiry", inquiry["id"], "window → window_b")}
    back = AuditEvent.objects.filter(action="return_from_backup").values_list("object_type", "object_id")
    assert set(back) == {("application", draft), ("inquiry", inquiry["id"])}
    marks = AuditEvent.objects.filter(object_type="staffprofile").values_list("action", "actor_label")
    assert list(marks) == [("mark_absent", "supervisor"), ("mark_returned", "supervisor")]
    events = api(world.window).get(f"/api/applications/{draft}/").json()["events"]
    assert [e["action"] for e in events][-2:] == ["route_to_backup", "return_from_backup"]


def test_b_is_told_he_covers(world, api):
    from portal.notifications.models import Notification

    absent(api, world)
    assert Notification.objects.filter(event="backup_covering", email=world.window_b.email).exists()


def test_b_sees_as_queue_on_his_work_page(world, api, client):
    draft = walk_in_draft(api, world.window)
    absent(api, world)
    client.force_login(world.window_b)
    page = client.get("/staff/work/").content.decode()
    assert f'data-application="{draft}" data-routed' in page
    assert 'data-covering="window"' in page


def effective(user):
    return posts.effective_holder(user)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_and_b_marked_absent_at_the_same_time_only_one_wins(world):
    # B has a B post of his own, so that either may leave first; never both.
    services.staff_backup_set(actor=world.supervisor, username="window_b", backup_username="supervisor")
    barrier = threading.Barrier(2)
    outcomes = []

    def mark(username):
        try:
            barrier.wait()
            services.staff_mark_absent(actor=world.supervisor, username=username)
            outcomes.append("absent")
        except StateConflict as error:
            outcomes.append(error.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=mark, args=(name,)) for name in ("window", "window_b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["absent", "both_absent"]
    assert StaffProfile.objects.filter(user__username__in=["window", "window_b"], absent=True).count() == 1


@pytest.mark.postgres
def test_a_clerks_open_intake_work_is_one_range_of_its_own_index(world, api):
    """What a clerk holds (his B post's view of his queue, what is routed when he is away): the
    primary key walked every application to find his few open ones (370 ms at a million)."""
    mine = walk_in_draft(api, world.window)
    with CaptureQueriesContext(connection) as queries:
        held = posts.open_work_of(world.window)
    assert [a.pk for a in held["intake"]] == [mine]
    [sql] = [q["sql"] for q in queries.captured_queries if 'FROM "approvals_application"' in q["sql"]]
    with connection.cursor() as cursor:
        for setting in ["enable_seqscan", "enable_bitmapscan", "enable_sort"]:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "app_open_intake_idx" in plan and "Sort" not in plan, plan
