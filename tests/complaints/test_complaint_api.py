"""效能投诉 over the REST contract (SPEC §2 complaints row, §4 complaint machine, §6)."""

import pytest

from accountability.models import AccountabilityCase
from complaints.models import Complaint
from tests.complaints.conftest import CLERK_BADGE, COMPLAINANT_CONTACT

pytestmark = pytest.mark.django_db


def test_anyone_may_file_anonymously_and_gets_number_and_code(world, file_complaint):
    body = file_complaint()
    assert set(body) >= {"id", "number", "code"}
    assert body["number"].startswith("TS")
    assert len(body["code"]) == 8
    complaint = Complaint.objects.get(pk=body["id"])
    assert complaint.status == "filed"
    assert complaint.anonymous and complaint.complainant is None and complaint.complainant_name == ""
    assert complaint.staff == world.window
    assert complaint.department.code == "CENTER"


def test_a_signed_in_citizen_who_is_not_anonymous_is_recorded_as_complainant(world, api, file_complaint):
    body = file_complaint(api(world.citizen), anonymous=False, contact="")
    complaint = Complaint.objects.get(pk=body["id"])
    assert complaint.complainant == world.citizen
    assert complaint.complainant_name == "陈民"


def test_a_signed_in_citizen_filing_anonymously_is_not_linked_to_it(world, api, file_complaint):
    complaint = Complaint.objects.get(pk=file_complaint(api(world.citizen), anonymous=True)["id"])
    assert complaint.complainant is None and complaint.complainant_name == ""


def test_unknown_badge_department_or_application_are_field_errors(world, api):
    response = api().post("/api/complaints/", {
        "category": "delay", "description": "拖延", "staff_badge": "X9999", "department": "NOPE",
        "application_number": "SQ000", "anonymous": True}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"staff_badge", "department", "application_number"}
    assert Complaint.objects.count() == 0


def test_an_unknown_category_is_refused(world, api):
    response = api().post("/api/complaints/", {"category": "rudeness", "description": "x"}, format="json")
    assert response.status_code == 400
    assert "category" in response.json()["fields"]


def test_every_category_of_the_contract_is_accepted(world, api, file_complaint):
    for category in ("delay", "attitude", "buck_passing", "extra_materials", "illegal_fee", "bribery",
                     "refused_acceptance", "other"):
        file_complaint(category=category, staff_badge="")


def test_a_complaint_can_name_a_department_or_an_application_only(world, api, file_complaint, decided_application):
    app = decided_application()
    by_department = Complaint.objects.get(pk=file_complaint(staff_badge="", department="housing")["id"])
    assert by_department.department.code == "HOUSING" and by_department.staff is None
    by_application = Complaint.objects.get(pk=file_complaint(staff_badge="", application_number=app["number"])["id"])
    assert by_application.application.number == app["number"]
    assert by_application.department.code == "MARKET"


def test_the_whole_path_to_a_satisfied_close(world, api, file_complaint, steps):
    complaint = file_complaint()
    assert steps.accept(complaint)["status"] == "accepted"
    assert steps.assign(complaint)["status"] == "investigating"
    concluded = steps.conclude(complaint, "unsubstantiated")
    assert concluded["status"] == "concluded" and concluded["finding"] == "unsubstantiated"
    replied = steps.reply(complaint)
    assert replied["status"] == "replied" and replied["due_at"] is None
    closed = steps.feedback(complaint, True)
    assert closed["status"] == "closed" and closed["satisfied"] is True
    history = api(world.discipline).get(f"/api/complaints/{complaint['id']}/").json()["history"]
    assert [e["action"] for e in history] == ["file", "accept", "assign", "conclude", "reply", "close"]


def test_refusal_needs_a_reason_and_stops_the_clock(world, api, file_complaint):
    complaint = file_complaint()
    office = api(world.discipline)
    assert office.post(f"/api/complaints/{complaint['id']}/refuse/", {"reason": " "}, format="json").status_code == 400
    refused = office.post(f"/api/complaints/{complaint['id']}/refuse/", {"reason": "不属于效能投诉受理范围"},
                          format="json").json()
    assert refused["status"] == "refused"
    assert refused["refusal_reason"] == "不属于效能投诉受理范围"
    assert refused["due_at"] is None
    public = api().get(f"/api/complaints/track/{complaint['number']}/", {"code": complaint["code"]}).json()
    assert public["refusal_reason"] == "不属于效能投诉受理范围"


def test_steps_out_of_order_are_state_conflicts(world, api, file_complaint, steps):
    complaint = file_complaint()
    office = api(world.discipline)
    assert office.post(f"/api/complaints/{complaint['id']}/assign/", {"investigator": "discipline"},
                       format="json").status_code == 409
    steps.accept(complaint)
    assert office.post(f"/api/complaints/{complaint['id']}/accept/").status_code == 409
    assert office.post(f"/api/complaints/{complaint['id']}/reply/", {"text": "x"}, format="json").status_code == 409
    feedback = api().post(f"/api/complaints/{complaint['id']}/feedback/",
                          {"satisfied": True, "number": complaint["number"], "code": complaint["code"]},
                          format="json")
    assert feedback.status_code == 409
    assert feedback.json()["code"] == "invalid_state"


def test_only_the_office_accepts_and_only_the_investigator_concludes(world, api, file_complaint, steps):
    complaint = file_complaint(staff_badge="", department="MARKET")
    steps.accept(complaint)
    steps.assign(complaint, "head_housing")
    # The supervisor sees it (404 would hide it) but is not its investigator.
    response = api(world.supervisor).post(f"/api/complaints/{complaint['id']}/conclude/",
                                          {"finding": "partly", "summary": "x"}, format="json")
    assert response.status_code == 403
    concluded = steps.conclude(complaint, "partly", investigator=world.head_housing)
    assert concluded["finding"] == "partly"
    assert concluded["case"] is None  # a department, not an official: no case to open


def test_the_investigator_sees_only_what_he_investigates(world, api, file_complaint, steps):
    mine, other = file_complaint(staff_badge="M0201"), file_complaint(staff_badge="M0201")
    steps.accept(mine)
    steps.assign(mine, "head_housing")
    listed = api(world.head_housing).get("/api/complaints/").json()
    assert [c["id"] for c in listed["results"]] == [mine["id"]]
    assert api(world.head_housing).get(f"/api/complaints/{other['id']}/").status_code == 404


def test_an_investigator_must_be_eligible(world, api, file_complaint, steps):
    complaint = file_complaint()
    steps.accept(complaint)
    office = api(world.discipline)
    for username in ("citizen", "reviewer_market", "window", "nobody"):
        response = office.post(f"/api/complaints/{complaint['id']}/assign/", {"investigator": username},
                               format="json")
        assert response.status_code == 400, username
        assert "investigator" in response.json()["fields"]


def test_a_substantiated_finding_against_an_official_opens_a_case_against_him(world, api, file_complaint, steps):
    complaint = file_complaint()
    steps.accept(complaint)
    steps.assign(complaint)
    concluded = steps.conclude(complaint, "substantiated")
    case = AccountabilityCase.objects.get(source="complaint", source_ref=complaint["number"])
    assert case.subject == world.window
    assert case.subject_role == "direct"
    assert case.department.code == "CENTER"
    assert case.opened_by == world.discipline
    assert concluded["case"]["number"] == case.number
    assert concluded["case"]["id"] == case.pk


def test_a_partly_substantiated_finding_also_opens_a_case(world, api, file_complaint, steps):
    complaint = file_complaint()
    steps.accept(complaint)
    steps.assign(complaint)
    steps.conclude(complaint, "partly")
    assert AccountabilityCase.objects.filter(source_ref=complaint["number"], subject=world.window).exists()


def test_an_unsubstantiated_finding_opens_no_case(world, api, file_complaint, steps):
    complaint = file_complaint()
    steps.accept(complaint)
    steps.assign(complaint)
    steps.conclude(complaint, "unsubstantiated")
    assert not AccountabilityCase.objects.filter(source_ref=complaint["number"]).exists()


def test_unsatisfied_reopens_once_then_a_different_investigator_must_take_it(world, api, file_complaint, steps):
    complaint = file_complaint()
    steps.through_reply(complaint)
    reopened = steps.feedback(complaint, False)
    assert reopened["status"] == "reopened" and reopened["reopened"] is True
    assert reopened["reply_due_at"] is not None

    office = api(world.discipline)
    same = office.post(f"/api/complaints/{complaint['id']}/assign/", {"investigator": "discipline"}, format="json")
    assert same.status_code == 409
    assert same.json()["code"] == "different_investigator_required"
    assert Complaint.objects.get(pk=complaint["id"]).status == "reopened"

    assert steps.assign(complaint, "supervisor")["investigator"] == "supervisor"
    steps.conclude(complaint, "substantiated", investigator=world.supervisor)
    steps.reply(complaint, investigator=world.supervisor)
    closed = steps.feedback(complaint, False)
    # Unsatisfied a second time: no second reopening; closed with the verdict on record.
    assert closed["status"] == "closed" and closed["satisfied"] is False
    detail = office.get(f"/api/complaints/{complaint['id']}/").json()
    assert detail["previous_investigator"] == "discipline"
    assert [e["action"] for e in detail["history"]].count("reopen") == 1
    # The same case, not a second one, after the second substantiated finding.
    assert AccountabilityCase.objects.filter(source_ref=complaint["number"]).count() == 1


def test_the_first_investigator_cannot_be_brought_back_by_reassignment(world, api, file_complaint, steps):
    complaint = file_complaint()
    steps.through_reply(complaint)
    steps.feedback(complaint, False)
    steps.assign(complaint, "supervisor")
    again = api(world.discipline).post(f"/api/complaints/{complaint['id']}/assign/", {"investigator": "discipline"},
                                       format="json")
    assert again.status_code == 409


def test_feedback_needs_the_matching_code_or_the_complainant_signed_in(world, api, file_complaint, steps):
    anonymous = file_complaint()
    steps.through_reply(anonymous)
    wrong = api().post(f"/api/complaints/{anonymous['id']}/feedback/",
                       {"satisfied": True, "number": anonymous["number"], "code": "WRONG000"}, format="json")
    assert wrong.status_code == 404
    no_code = api(world.citizen2).post(f"/api/complaints/{anonymous['id']}/feedback/", {"satisfied": True},
                                       format="json")
    assert no_code.status_code == 404
    # The office sees the complaint but does not speak for the complainant.
    assert api(world.discipline).post(f"/api/complaints/{anonymous['id']}/feedback/", {"satisfied": True},
                                      format="json").status_code == 403

    signed = file_complaint(api(world.citizen), anonymous=False)
    steps.through_reply(signed)
    response = api(world.citizen).post(f"/api/complaints/{signed['id']}/feedback/", {"satisfied": True},
                                       format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"


def test_number_and_code_must_belong_to_the_complaint_in_the_path(world, api, file_complaint, steps):
    first, second = file_complaint(), file_complaint()
    steps.through_reply(second)
    response = api().post(f"/api/complaints/{second['id']}/feedback/",
                          {"satisfied": False, "number": first["number"], "code": first["code"]}, format="json")
    assert response.status_code == 404


def test_public_follow_up_shows_progress_without_staff_or_identity(world, api, file_complaint, steps):
    complaint = file_complaint()
    steps.through_reply(complaint)
    response = api().get(f"/api/complaints/track/{complaint['number']}/", {"code": complaint["code"].lower()})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "replied" and body["feedback_possible"] is True
    assert body["reply"].startswith("已对该工作人员")
    assert "investigator" not in body and all("actor" not in e for e in body["history"])
    assert COMPLAINANT_CONTACT not in str(body)
    assert api().get(f"/api/complaints/track/{complaint['number']}/", {"code": "AAAAAAAA"}).status_code == 404
    assert api().get("/api/complaints/track/TS000/", {"code": complaint["code"]}).status_code == 404
    assert api().get(f"/api/complaints/track/{complaint['number']}/", {"code": "投诉码"}).status_code == 404


def test_staff_detail_shows_the_complainant_to_the_office(world, api, file_complaint):
    complaint = file_complaint(api(world.citizen), anonymous=False, contact="13800001111")
    detail = api(world.discipline).get(f"/api/complaints/{complaint['id']}/").json()
    assert detail["complainant"] == {"name": "陈民", "contact": "13800001111"}
    assert detail["staff"]["badge"] == CLERK_BADGE
    assert detail["staff"]["username"] == "window"


def test_the_list_is_sorted_by_running_limit_and_filterable(world, api, file_complaint, steps):
    first, second = file_complaint(), file_complaint()
    steps.accept(first)
    office = api(world.discipline)
    listed = office.get("/api/complaints/").json()["results"]
    assert [c["id"] for c in listed] == [second["id"], first["id"]]  # 1 working day before 15
    assert [c["id"] for c in office.get("/api/complaints/", {"status": "accepted"}).json()["results"]] == [first["id"]]


def test_idempotency_key_replays_a_signed_in_filing(world, api):
    client = api(world.citizen)
    body = {"category": "delay", "description": "拖延办理", "anonymous": False}
    first = client.post("/api/complaints/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/complaints/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]
    assert Complaint.objects.count() == 1
