"""First-inquiry ownership over the REST contract (SPEC §2 首问负责制, §4 inquiry, §6)."""

import pytest

from approvals.models import Application
from portal.audit.models import AuditEvent
from inquiries.models import Inquiry
from portal.notifications.models import Notification
from tests.conftest import APPLICANT
from tests.inquiries.helpers import ONLINE, WALK_IN, actions, answered, online, referred, walk_in

pytestmark = pytest.mark.django_db


def test_a_clerk_recording_a_walk_in_inquiry_owns_it(world, api, travel):
    travel(2026, 11, 10, 10)
    body = walk_in(api, world.window)
    assert body["status"] == "open"
    assert body["channel"] == "walk_in"
    assert body["owner"] == "window"
    assert body["owner_badge"] == "C0101"
    assert body["first_inquiry_officer"] == "window"
    assert body["number"].startswith("ZX20261110")
    assert body["citizen"]["name"] == "陈民"
    # One working day: the end of Wednesday, the day of the question not counted.
    assert body["due_at"] == "2026-11-11T23:59:59+08:00"
    assert body["limit_working_days"] == 1


def test_a_phone_inquiry_is_recorded_the_same_way(world, api):
    body = walk_in(api, world.reviewer_market, channel="phone")
    assert (body["status"], body["channel"], body["owner"]) == ("open", "phone", "reviewer_market")


def test_an_inquiry_needs_a_question(world, api):
    response = api(world.window).post("/api/inquiries/", {"channel": "walk_in", "citizen_name": "陈民"},
                                      format="json")
    assert response.status_code == 400
    assert "question" in response.json()["fields"]
    assert not Inquiry.objects.exists()


def test_a_subject_alone_is_taken_as_the_question(world, api):
    body = api(world.window).post("/api/inquiries/", {"subject": "营业执照怎么办"}, format="json").json()
    assert (body["subject"], body["question"], body["channel"]) == ("营业执照怎么办", "营业执照怎么办", "walk_in")


def test_a_citizens_online_inquiry_is_unclaimed_until_an_official_takes_it(world, api):
    body = online(api, world.citizen)
    assert body["status"] == "unclaimed"
    assert body["channel"] == "online"
    assert body["owner"] is None
    assert body["department"] == "HOUSING"


def test_a_citizen_cannot_pretend_to_be_a_walk_in(world, api):
    response = api(world.citizen).post("/api/inquiries/", {**ONLINE, "channel": "walk_in"}, format="json")
    assert response.status_code == 400
    assert "channel" in response.json()["fields"]


def test_an_unknown_department_is_a_field_error(world, api):
    response = api(world.window).post("/api/inquiries/", {**WALK_IN, "department": "NOPE"}, format="json")
    assert response.status_code == 400
    assert "department" in response.json()["fields"]


def test_anonymous_cannot_ask_online(world, api):
    assert api().post("/api/inquiries/", ONLINE, format="json").status_code == 401


def test_create_honours_the_idempotency_key(world, api):
    client = api(world.window)
    first = client.post("/api/inquiries/", WALK_IN, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post("/api/inquiries/", WALK_IN, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Inquiry.objects.count() == 1


def test_the_first_claimer_becomes_owner_and_a_second_gets_409(world, api):
    inquiry = online(api, world.citizen)
    first = api(world.window).post(f"/api/inquiries/{inquiry['id']}/claim/")
    assert first.status_code == 200
    assert first.json()["owner"] == "window"
    assert first.json()["status"] == "open"
    second = api(world.reviewer_housing).post(f"/api/inquiries/{inquiry['id']}/claim/")
    assert second.status_code == 409
    assert second.json()["code"] == "already_claimed"


def test_claiming_keeps_the_clock_that_started_when_the_citizen_asked(world, api, travel):
    travel(2026, 11, 10, 10)
    inquiry = online(api, world.citizen)
    travel(2026, 11, 11, 9)
    claimed = api(world.window).post(f"/api/inquiries/{inquiry['id']}/claim/").json()
    assert claimed["due_at"] == inquiry["due_at"]


def test_the_citizen_cannot_claim_his_own_question(world, api):
    inquiry = online(api, world.citizen)
    assert api(world.citizen).post(f"/api/inquiries/{inquiry['id']}/claim/").status_code == 403


def test_the_citizen_sees_his_online_inquiry_with_the_owners_badge(world, api):
    inquiry = online(api, world.citizen)
    api(world.window).post(f"/api/inquiries/{inquiry['id']}/claim/")
    body = api(world.citizen).get(f"/api/inquiries/{inquiry['id']}/").json()
    assert (body["owner"], body["owner_badge"]) == ("window", "C0101")


def test_ownership_is_kept_through_referral(world, api, travel):
    travel(2026, 11, 10, 10)
    inquiry = walk_in(api, world.window)
    travel(2026, 11, 11, 15)
    body = api(world.window).post(f"/api/inquiries/{inquiry['id']}/refer/",
                                  {"department": "HOUSING", "note": "请答复"}, format="json").json()
    assert body["status"] == "referred"
    assert body["owner"] == "window"
    assert body["referral"]["department"] == "HOUSING"
    assert body["referral"]["acknowledged"] is False
    # The referral limit (3 working days) from the referral date: the end of Monday.
    assert body["due_at"] == "2026-11-16T23:59:59+08:00"
    assert body["limit_working_days"] == 3
    # The owner still sees it and its progress; so does the department.
    assert api(world.window).get(f"/api/inquiries/{inquiry['id']}/").status_code == 200
    assert api(world.reviewer_housing).get(f"/api/inquiries/{inquiry['id']}/").status_code == 200


def test_only_the_owner_refers(world, api):
    inquiry = referred(api, world)
    response = api(world.reviewer_housing).post(f"/api/inquiries/{inquiry['id']}/refer/", {"department": "ENV"},
                                                format="json")
    assert response.status_code == 403


def test_a_referral_needs_a_known_department(world, api):
    inquiry = walk_in(api, world.window)
    response = api(world.window).post(f"/api/inquiries/{inquiry['id']}/refer/", {"department": "NOPE"},
                                      format="json")
    assert response.status_code == 400
    assert "department" in response.json()["fields"]


def test_the_referred_department_acknowledges_once(world, api):
    inquiry = referred(api, world)
    first = api(world.reviewer_housing).post(f"/api/inquiries/{inquiry['id']}/acknowledge/")
    assert first.status_code == 200
    assert first.json()["referral"]["acknowledged"] is True
    assert first.json()["referral"]["referee"] == "reviewer_housing"
    assert first.json()["referral"]["referee_badge"] == "H0301"
    again = api(world.head_housing).post(f"/api/inquiries/{inquiry['id']}/acknowledge/")
    assert again.status_code == 409
    assert again.json()["code"] == "already_acknowledged"


def test_the_owner_cannot_acknowledge_for_the_department(world, api):
    inquiry = referred(api, world)
    assert api(world.window).post(f"/api/inquiries/{inquiry['id']}/acknowledge/").status_code == 403


def test_the_department_answers_and_the_owner_sees_the_answer(world, api):
    inquiry = referred(api, world)
    api(world.reviewer_housing).post(f"/api/inquiries/{inquiry['id']}/acknowledge/")
    body = api(world.reviewer_housing).post(f"/api/inquiries/{inquiry['id']}/answer/",
                                            {"answer": "承诺时限10个工作日。"}, format="json").json()
    assert body["status"] == "answered"
    assert body["answered_by"] == "reviewer_housing"
    assert body["owner"] == "window"
    owner_view = api(world.window).get(f"/api/inquiries/{inquiry['id']}/").json()
    assert owner_view["answer"] == "承诺时限10个工作日。"


def test_answering_an_unacknowledged_referral_acknowledges_it_on_the_record(world, api):
    body = answered(api, world)
    assert body["referral"]["acknowledged"] is True
    assert actions(body)[-2:] == ["acknowledge", "answer"]


def test_an_empty_answer_is_refused(world, api):
    inquiry = walk_in(api, world.window)
    response = api(world.window).post(f"/api/inquiries/{inquiry['id']}/answer/", {"answer": " "}, format="json")
    assert response.status_code == 400
    assert "answer" in response.json()["fields"]


def test_closing_an_unanswered_inquiry_is_refused(world, api):
    inquiry = referred(api, world)
    response = api(world.window).post(f"/api/inquiries/{inquiry['id']}/close/")
    assert response.status_code == 409
    assert response.json()["code"] == "not_answered"
    assert Inquiry.objects.get(pk=inquiry["id"]).status == "referred"


def test_closing_an_open_unreferred_inquiry_is_refused_too(world, api):
    inquiry = walk_in(api, world.window)
    assert api(world.window).post(f"/api/inquiries/{inquiry['id']}/close/").status_code == 409


def test_only_the_owner_closes_and_only_after_the_answer(world, api):
    inquiry = answered(api, world)
    assert api(world.reviewer_housing).post(f"/api/inquiries/{inquiry['id']}/close/").status_code == 403
    response = api(world.window).post(f"/api/inquiries/{inquiry['id']}/close/")
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    assert response.json()["closed_at"]


def test_the_owner_answers_himself_and_closes(world, api):
    inquiry = walk_in(api, world.window)
    api(world.window).post(f"/api/inquiries/{inquiry['id']}/answer/", {"answer": "需要食品经营许可。"}, format="json")
    assert api(world.window).post(f"/api/inquiries/{inquiry['id']}/close/").json()["status"] == "closed"


def test_every_transition_is_in_the_audit_trail(world, api):
    inquiry = answered(api, world)
    body = api(world.window).post(f"/api/inquiries/{inquiry['id']}/close/").json()
    assert actions(body) == ["create", "refer", "acknowledge", "answer", "close"]
    refer = AuditEvent.objects.get(object_type="inquiry", object_id=inquiry["id"], action="refer")
    assert (refer.actor_label, refer.from_status, refer.to_status) == ("window", "open", "referred")


def test_conversion_opens_an_application_that_records_its_first_inquiry_officer(world, api):
    inquiry = walk_in(api, world.window)
    response = api(world.window).post(f"/api/inquiries/{inquiry['id']}/convert/",
                                      {"service": "MKT-002", "applicant": APPLICANT}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "converted"
    assert body["first_inquiry_officer"] == "window"
    application = Application.objects.get(pk=body["application"]["id"])
    assert application.status == "draft"
    assert application.intake_clerk == world.window
    listed = api(world.window).get("/api/inquiries/", {"application": application.number}).json()
    assert [i["id"] for i in listed["results"]] == [inquiry["id"]]
    events = api(world.window).get(f"/api/applications/{application.pk}/").json()["events"]
    assert any(e["action"] == "from_inquiry" and "C0101" in e["note"] for e in events)


def test_conversion_needs_valid_applicant_data_and_changes_nothing_otherwise(world, api):
    inquiry = walk_in(api, world.window)
    response = api(world.window).post(f"/api/inquiries/{inquiry['id']}/convert/", {"service": "MKT-002"},
                                      format="json")
    assert response.status_code == 400
    assert "applicant.id_number" in response.json()["fields"]
    assert Inquiry.objects.get(pk=inquiry["id"]).status == "open"
    assert not Application.objects.exists()


def test_a_closed_inquiry_cannot_be_converted(world, api):
    inquiry = answered(api, world)
    api(world.window).post(f"/api/inquiries/{inquiry['id']}/close/")
    response = api(world.window).post(f"/api/inquiries/{inquiry['id']}/convert/",
                                      {"service": "MKT-002", "applicant": APPLICANT}, format="json")
    assert response.status_code == 409


def test_citizens_hear_of_the_owner_and_the_answer_through_the_outbox(world, api, django_capture_on_commit_callbacks):
    inquiry = online(api, world.citizen)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        api(world.window).post(f"/api/inquiries/{inquiry['id']}/claim/")
    assert callbacks, "the outbox is drained after commit"
    api(world.window).post(f"/api/inquiries/{inquiry['id']}/answer/", {"answer": "10个工作日。"}, format="json")
    sent = Notification.objects.filter(email=world.citizen.email).values_list("event", flat=True)
    assert {"inquiry_received", "inquiry_claimed", "inquiry_answered"} <= set(sent)
    claimed = Notification.objects.get(email=world.citizen.email, event="inquiry_claimed")
    assert "C0101" in claimed.body


def test_the_referred_department_hears_of_the_referral_and_the_owner_of_the_answer(world, api):
    answered(api, world)
    assert Notification.objects.filter(event="inquiry_referred", email=world.head_housing.email).exists()
    assert Notification.objects.filter(event="inquiry_answered", email=world.window.email).exists()


def test_the_list_shows_what_the_caller_may_see(world, api):
    mine = walk_in(api, world.window)
    theirs = walk_in(api, world.window_b)
    ids = [i["id"] for i in api(world.window).get("/api/inquiries/").json()["results"]]
    assert mine["id"] in ids and theirs["id"] not in ids
    supervisor = [i["id"] for i in api(world.supervisor).get("/api/inquiries/").json()["results"]]
    assert {mine["id"], theirs["id"]} <= set(supervisor)
