"""Parallel review, outcome rules, suspension, extension (SPEC §3, §4, §6)."""

import pytest

from accountability.models import AccountabilityCase
from portal.sweep import sweep
from approvals.models import AlertRecord, Application
from portal.notifications.models import Notification
from tests.approvals.helpers import accepted, stage_of

pytestmark = pytest.mark.django_db


def test_joint_item_fans_out_into_one_stage_per_department_all_started(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "HSG-001")
    assert [(s["department"], s["status"]) for s in app["stages"]] == [
        ("HOUSING", "pending"), ("ENV", "pending"), ("FIRE", "pending")]
    # 7 working days from 2026-09-28: 09-29, 09-30, 10-08, 10-09, 10-10 (make-up), 10-12, 10-13.
    assert {s["due_at"] for s in app["stages"]} == {"2026-10-13T23:59:59+08:00"}
    assert app["due_at"] == "2026-10-16T23:59:59+08:00"


def test_second_claimer_gets_409(world, api):
    app = accepted(world, api)
    stage = stage_of(app, "MARKET")
    assert api(world.reviewer_market).post(f"/api/stages/{stage}/claim/").status_code == 200
    second = api(world.head_market).post(f"/api/stages/{stage}/claim/")
    assert second.status_code == 409
    assert second.json()["code"] == "already_claimed"


def test_another_department_cannot_decide_a_stage(world, api):
    app = accepted(world, api, "HSG-001")
    stage = stage_of(app, "HOUSING")
    response = api(world.reviewer_env).post(f"/api/stages/{stage}/approve/", {"opinion": "ok"}, format="json")
    assert response.status_code == 403


def test_application_is_approved_when_every_stage_is(world, api):
    app = accepted(world, api, "HSG-001")
    for dept, user in (("HOUSING", world.reviewer_housing), ("ENV", world.reviewer_env)):
        api(user).post(f"/api/stages/{stage_of(app, dept)}/approve/", {"opinion": "同意"}, format="json")
        assert Application.objects.get(pk=app["id"]).status == "in_review"
    api(world.reviewer_fire).post(f"/api/stages/{stage_of(app, 'FIRE')}/approve/", {"opinion": "同意"}, format="json")
    body = api(world.citizen).get(f"/api/applications/{app['id']}/").json()
    assert body["status"] == "approved"
    assert body["decision"]["outcome"] == "approved"
    assert body["decision"]["certificate_number"].startswith("ZS")
    assert any(d["kind"] == "certificate" for d in body["documents"])


def test_a_denial_denies_the_application_and_cancels_the_open_stages(world, api):
    app = accepted(world, api, "HSG-001")
    api(world.reviewer_housing).post(f"/api/stages/{stage_of(app, 'HOUSING')}/approve/", {}, format="json")
    response = api(world.reviewer_env).post(f"/api/stages/{stage_of(app, 'ENV')}/deny/",
                                            {"reason": "排放不达标"}, format="json")
    assert response.status_code == 200
    body = api(world.citizen).get(f"/api/applications/{app['id']}/").json()
    assert body["status"] == "denied"
    assert {s["department"]: s["status"] for s in body["stages"]} == {
        "HOUSING": "approved", "ENV": "denied", "FIRE": "cancelled"}
    assert any(d["kind"] == "decision" for d in body["documents"])


def test_deny_without_reason_is_refused(world, api):
    app = accepted(world, api)
    response = api(world.reviewer_market).post(f"/api/stages/{stage_of(app, 'MARKET')}/deny/", {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]


def test_stage_lapses_into_deemed_approval_at_its_instant_never_early(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "HSG-001")
    api(world.reviewer_housing).post(f"/api/stages/{stage_of(app, 'HOUSING')}/approve/", {}, format="json")
    api(world.reviewer_env).post(f"/api/stages/{stage_of(app, 'ENV')}/claim/")
    api(world.reviewer_env).post(f"/api/stages/{stage_of(app, 'ENV')}/approve/", {}, format="json")
    travel(2026, 10, 13, 23, 59, 59)
    assert sweep().deemed_approved_stages == 0
    travel(2026, 10, 14, 0, 0, 1)
    report = sweep()
    assert report.deemed_approved_stages == 1
    assert sweep().deemed_approved_stages == 0
    body = api(world.citizen).get(f"/api/applications/{app['id']}/").json()
    assert body["status"] == "deemed_approved"
    assert body["decision"]["outcome"] == "deemed_approved"
    assert body["decision"]["certificate_number"]
    # Nobody had claimed FIRE: the case goes to the department head.
    case = AccountabilityCase.objects.get(source="deemed_approval", source_ref=body["number"])
    assert case.subject == world.head_fire and case.subject_role == "direct"
    assert Notification.objects.filter(email=world.citizen.email, event="decided").exists()
    register = api().get("/api/register/").json()["results"]
    assert register[0]["number"] == body["number"] and register[0]["outcome"] == "deemed_approved"


def test_lapse_of_a_claimed_stage_opens_the_case_against_its_assignee(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api)
    api(world.reviewer_market).post(f"/api/stages/{stage_of(app, 'MARKET')}/claim/")
    travel(2026, 10, 17, 9)
    sweep()
    case = AccountabilityCase.objects.get(source_ref=app["number"])
    assert case.subject == world.reviewer_market


def test_item_without_deemed_approval_raises_a_red_alert_instead(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "FIRE-002")
    travel(2026, 10, 17, 9)
    report = sweep()
    assert report.deemed_approved_stages == 0 and report.red_alerts == 1
    assert sweep().red_alerts == 0
    body = api(world.citizen).get(f"/api/applications/{app['id']}/").json()
    assert body["status"] == "in_review" and body["alert"] == "red"
    assert AlertRecord.objects.filter(application_id=app["id"], level="red").count() == 1
    assert Notification.objects.filter(email=world.supervisor.email, event="alert_red").exists()
    alerts = api(world.supervisor).get("/api/alerts/?level=red").json()["results"]
    assert alerts[0]["application"] == app["number"]


def test_yellow_alert_when_a_fifth_of_the_limit_is_left(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api)  # 10 working days, due 2026-10-16: yellow after 8 days, end of 10-14
    travel(2026, 10, 14, 23, 59, 59)
    assert sweep().yellow_alerts == 0
    travel(2026, 10, 15, 0, 0, 1)
    assert sweep().yellow_alerts == 1
    assert sweep().yellow_alerts == 0
    assert api(world.citizen).get(f"/api/applications/{app['id']}/").json()["alert"] == "yellow"
    assert AlertRecord.objects.filter(application_id=app["id"], level="yellow").count() == 1


def test_suspension_freezes_remaining_days_across_a_holiday(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api)  # due 2026-10-16
    travel(2026, 9, 30, 15)  # used: 09-29, 09-30 → 8 left
    response = api(world.head_market).post(f"/api/applications/{app['id']}/suspend/", {
        "reason": "inspection", "note": "现场核查经营场所", "expected_working_days": 3}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "suspended"
    assert body["clock"] == {"running": False, "remaining_working_days": 8}
    assert any(d["kind"] == "suspension" for d in body["documents"])
    travel(2026, 10, 30, 9)  # a month later nothing lapses while suspended
    assert sweep().deemed_approved_stages == 0
    travel(2026, 10, 9, 11)
    # Resumed on 10-09: the 8 days run from 10-10 (make-up Saturday): 10-10,12,13,14,15,16,19,20.
    body = api(world.head_market).post(f"/api/applications/{app['id']}/resume/").json()
    assert body["status"] == "in_review"
    assert body["due_at"] == "2026-10-20T23:59:59+08:00"
    assert body["stages"][0]["due_at"] == "2026-10-20T23:59:59+08:00"


def test_suspend_needs_a_reason_and_a_head(world, api):
    app = accepted(world, api)
    bad = api(world.head_market).post(f"/api/applications/{app['id']}/suspend/", {"reason": "", "note": "x"},
                                      format="json")
    assert bad.status_code == 400
    assert "reason" in bad.json()["fields"]
    reviewer = api(world.reviewer_market).post(f"/api/applications/{app['id']}/suspend/",
                                               {"reason": "testing", "note": "x"}, format="json")
    assert reviewer.status_code == 403


def test_a_reason_in_words_is_kept_for_the_applicant(world, api):
    app = accepted(world, api)
    body = api(world.head_market).post(f"/api/applications/{app['id']}/suspend/",
                                       {"reason": "专家评审食品安全方案"}, format="json").json()
    assert body["status"] == "suspended"
    assert body["suspension"]["reason"] == "other"
    assert body["suspension"]["note"] == "专家评审食品安全方案"


def test_extension_once_within_the_cap_before_expiry(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api)  # due 2026-10-16
    head = api(world.head_market)
    assert head.post(f"/api/applications/{app['id']}/extend/", {"working_days": 11, "reason": "复杂"},
                     format="json").status_code == 400
    assert head.post(f"/api/applications/{app['id']}/extend/", {"working_days": 5},
                     format="json").status_code == 400
    response = head.post(f"/api/applications/{app['id']}/extend/", {"working_days": 5, "reason": "需补充核查"},
                         format="json")
    assert response.status_code == 200
    assert response.json()["due_at"] == "2026-10-23T23:59:59+08:00"
    assert response.json()["stages"][0]["due_at"] == "2026-10-23T23:59:59+08:00"
    again = head.post(f"/api/applications/{app['id']}/extend/", {"working_days": 1, "reason": "再延"},
                      format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_extended"


def test_extension_after_expiry_is_refused(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "FIRE-002")  # no deemed approval: still in review after the due date
    travel(2026, 10, 17, 0, 0, 1)
    response = api(world.head_fire).post(f"/api/applications/{app['id']}/extend/",
                                         {"working_days": 5, "reason": "迟了"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "limit_passed"


def test_joint_item_may_be_extended_up_to_15(world, api):
    app = accepted(world, api, "HSG-001")
    response = api(world.head_housing).post(f"/api/applications/{app['id']}/extend/",
                                            {"working_days": 15, "reason": "联合审查"}, format="json")
    assert response.status_code == 200


def test_reviewer_correction_suspends_and_resubmit_resumes(world, api, travel):
    from tests.conftest import upload

    travel(2026, 9, 28, 10)
    app = accepted(world, api)
    stage = stage_of(app, "MARKET")
    travel(2026, 9, 29, 10)
    response = api(world.reviewer_market).post(f"/api/stages/{stage}/request-correction/", {
        "items": [{"material": "LAYOUT", "reason": "平面图不清晰"}]}, format="json")
    assert response.status_code == 200
    citizen = api(world.citizen)
    body = citizen.get(f"/api/applications/{app['id']}/").json()
    assert body["status"] == "suspended" and body["clock"]["remaining_working_days"] == 9
    assert citizen.post(f"/api/applications/{app['id']}/resubmit/").json()["code"] == "materials_missing"
    travel(2026, 9, 30, 10)
    upload(citizen, app["id"], "LAYOUT")
    body = citizen.post(f"/api/applications/{app['id']}/resubmit/").json()
    assert body["status"] == "in_review"
    # 9 days from 09-30: 10-08, 09, 10, 12, 13, 14, 15, 16, 19.
    assert body["due_at"] == "2026-10-19T23:59:59+08:00"


def test_chief_representative_decides_an_immediate_item_on_site(world, api):
    app = accepted(world, api, "MKT-001")
    body = api(world.window).post(f"/api/applications/{app['id']}/decide-on-site/").json()
    assert body["status"] == "approved" and body["onsite"] is True
    handed = api(world.window).post(f"/api/applications/{app['id']}/hand-over/").json()
    assert handed["status"] == "issued"


def test_clerk_without_authorisation_cannot_decide_on_site(world, api):
    app = accepted(world, api, "MKT-001")
    response = api(world.window_b).post(f"/api/applications/{app['id']}/decide-on-site/")
    assert response.status_code == 403
    assert response.json()["code"] == "not_chief_representative"


def test_promised_item_of_his_department_is_decided_on_site(world, api):
    """首席代表制 (seed 001 line 93): not only immediate items; every item but the excluded ones."""
    app = accepted(world, api, "MKT-002")
    response = api(world.window).post(f"/api/applications/{app['id']}/decide-on-site/")
    assert response.status_code == 200 and response.json()["onsite"] is True


def test_certificate_pdf_of_a_deemed_approval_says_so(world, api, travel):
    from io import BytesIO

    from pypdf import PdfReader

    travel(2026, 9, 28, 10)
    app = accepted(world, api)
    travel(2026, 10, 17, 9)
    sweep()
    body = api(world.citizen).get(f"/api/applications/{app['id']}/").json()
    doc = next(d for d in body["documents"] if d["kind"] == "certificate")
    response = api(world.citizen).get(doc["pdf"], HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "operation of law" in text
    assert body["decision"]["certificate_number"] in text


def test_one_case_per_subject_when_two_stages_of_an_application_lapse(world, api, travel):
    """Two departments with the same head: their stages lapse in one sweep, and a third stage
    with the same head lapses in a later sweep; the head faces one case for the application."""
    from datetime import timedelta

    from approvals.models import Stage
    from portal.organisation.models import Department

    Department.objects.filter(code__in=["ENV", "HOUSING"]).update(head=world.head_fire)
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "HSG-001")
    later = Stage.objects.get(pk=stage_of(app, "HOUSING"))
    Stage.objects.filter(pk=later.pk).update(due_at=later.due_at + timedelta(days=3))
    travel(2026, 10, 14, 9)
    assert sweep().deemed_approved_stages == 2
    travel(2026, 10, 17, 9)
    assert sweep().deemed_approved_stages == 1
    cases = AccountabilityCase.objects.filter(source="deemed_approval", source_ref=app["number"])
    assert [(c.subject, c.subject_role) for c in cases] == [(world.head_fire, "direct")]
    assert Application.objects.get(pk=app["id"]).status == "deemed_approved"
    # The head is told once, in Chinese, with the case number.
    told = Notification.objects.filter(event="case_opened", user=world.head_fire)
    assert told.count() == 1
    case = cases.get()
    assert case.number in told.get().subject and "问责" in told.get().subject
    assert "视为准予" in case.summary and app["number"] in case.summary


def test_a_lapse_is_recorded_in_the_audit_trail_with_its_case_and_certificate(world, api, travel):
    from portal.audit.models import AuditEvent
    from portal.audit.services import ChainReport, audit_verify

    travel(2026, 9, 28, 10)
    app = accepted(world, api)
    stage = stage_of(app, "MARKET")
    travel(2026, 10, 17, 9)
    sweep()
    application = Application.objects.get(pk=app["id"])
    lapse = AuditEvent.objects.get(object_type="stage", object_id=stage, action="deem_approve")
    case = AccountabilityCase.objects.get(source_ref=app["number"])
    assert (lapse.from_status, lapse.to_status, lapse.actor_label) == ("pending", "deemed_approved", "system")
    assert lapse.data == {"case": case.number}
    decide = AuditEvent.objects.get(object_type="application", object_id=app["id"], action="decide")
    assert decide.data == {"certificate_number": application.certificate_number}
    assert audit_verify() == ChainReport(checked=AuditEvent.objects.count(), first_bad_id=None)
    certificate = application.documents.get(kind="certificate")
    assert certificate.number == application.certificate_number
    assert certificate.content["outcome"] == "deemed_approved"
    assert certificate.content["accepted_on"] == "2026-09-28"
    assert certificate.content["decided_on"] == "2026-10-17"
    assert certificate.content["stages"] == [{"department": "市场监督管理局", "status": "deemed_approved", "opinion": "",
                                             "lead": True}]
    assert certificate.content["lead_department"] == "市场监督管理局" and certificate.content["official"] == ""


def test_an_official_is_told_of_the_cases_of_one_sweep_in_one_message(world, api, travel):
    travel(2026, 9, 28, 10)
    apps = [accepted(world, api) for _ in range(3)]
    travel(2026, 10, 17, 9)
    assert sweep().deemed_approved_stages == 3
    cases = AccountabilityCase.objects.filter(source="deemed_approval", subject=world.head_market)
    assert cases.count() == 3
    told = Notification.objects.get(event="case_opened", user=world.head_market)
    assert "3" in told.subject and "问责" in told.subject
    for case in cases:
        assert case.number in told.body and case.summary in told.body
    # Each applicant still has a message of their own.
    assert Notification.objects.filter(event="decided", ref__in=[a["number"] for a in apps]).count() == 3
