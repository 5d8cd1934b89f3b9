"""One-window intake over the REST contract (SPEC §2 first four rows, §4, §6)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.sweep import sweep
from approvals.models import Application
from tests.conftest import APPLICANT, JPEG, PDF, PNG, upload

pytestmark = pytest.mark.django_db

MKT2 = ["FORM", "LICENCE", "LAYOUT", "SAFETY"]


def draft(client, service="MKT-002", applicant=None):
    response = client.post("/api/applications/", {"service": service, "applicant": applicant or APPLICANT},
                           format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def complete_draft(client, service="MKT-002", materials=MKT2):
    app = draft(client, service)
    for code in materials:
        assert upload(client, app["id"], code).status_code == 201
    return app


def test_draft_is_created_with_number_and_status(world, api):
    body = draft(api(world.citizen))
    assert body["status"] == "draft"
    assert body["number"].startswith("SQ")
    assert body["tracking_code"]


def test_wrong_id_check_digit_is_a_field_error_in_the_envelope(world, api):
    response = api(world.citizen).post(
        "/api/applications/",
        {"service": "MKT-002", "applicant": {**APPLICANT, "id_number": "110105194912310021"}}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "applicant.id_number" in body["fields"]
    assert Application.objects.count() == 0


def test_bad_mobile_number_is_a_field_error(world, api):
    response = api(world.citizen).post(
        "/api/applications/", {"service": "MKT-002", "applicant": {**APPLICANT, "phone": "12345"}}, format="json")
    assert response.status_code == 400
    assert "applicant.phone" in response.json()["fields"]


def test_unpublished_or_unknown_service_cannot_be_applied_for(world, api):
    response = api(world.citizen).post("/api/applications/", {"service": "NOPE-1", "applicant": APPLICANT},
                                       format="json")
    assert response.status_code == 400
    assert "service" in response.json()["fields"]


def test_online_submit_lists_every_missing_material_in_one_answer(world, api):
    client = api(world.citizen)
    app = draft(client)
    upload(client, app["id"], "FORM")
    response = client.post(f"/api/applications/{app['id']}/submit/")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "materials_missing"
    assert sorted(m["material"] for m in body["fields"]["materials"]) == ["LAYOUT", "LICENCE", "SAFETY"]
    assert Application.objects.get(pk=app["id"]).status == "draft"


def test_file_type_is_read_from_content_not_from_name(world, api):
    client = api(world.citizen)
    app = draft(client)
    png_named_pdf = upload(client, app["id"], "FORM", content=PNG, name="scan.pdf")
    assert png_named_pdf.status_code == 201
    assert png_named_pdf.json()["content_type"] == "image/png"
    assert upload(client, app["id"], "LICENCE", content=JPEG, name="x.png").json()["content_type"] == "image/jpeg"
    text_named_pdf = upload(client, app["id"], "LAYOUT", content=b"just some text, not a PDF", name="plan.pdf")
    assert text_named_pdf.status_code == 415
    assert text_named_pdf.json()["code"] == "unsupported_file_type"


def test_file_over_the_limit_is_413(world, api, settings):
    assert settings.UPLOAD_MAX_BYTES == 20 * 1024 * 1024
    client = api(world.citizen)
    app = draft(client)
    big = PDF + b"0" * (settings.UPLOAD_MAX_BYTES - len(PDF) + 1)
    response = upload(client, app["id"], "FORM", content=big)
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    at_limit = upload(client, app["id"], "FORM", content=big[:-1])
    assert at_limit.status_code == 201


def test_uploaded_file_is_served_only_to_people_who_may_see_the_application(world, api):
    client = api(world.citizen)
    app = draft(client)
    file_id = upload(client, app["id"], "FORM").json()["id"]
    url = f"/api/applications/{app['id']}/materials/{file_id}/file/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert api(world.citizen2).get(url).status_code == 404
    assert api().get(url).status_code == 401


def test_accept_starts_the_clock_on_the_official_calendar(world, api, travel):
    travel(2026, 9, 28, 10)
    citizen, clerk = api(world.citizen), api(world.window)
    app = complete_draft(citizen)
    assert citizen.post(f"/api/applications/{app['id']}/submit/").json()["status"] == "submitted"
    response = clerk.post(f"/api/applications/{app['id']}/accept/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "in_review"
    assert body["accepted_at"].startswith("2026-09-28T10:00:00+08:00")
    # 10 working days: National Day week off, Saturday 2026-10-10 is a make-up working day.
    assert body["due_at"] == "2026-10-16T23:59:59+08:00"
    assert body["clock"] == {"running": True, "remaining_working_days": 10}
    assert [s["department"] for s in body["stages"]] == ["MARKET"]
    assert any(d["kind"] == "receipt" for d in body["documents"])


def test_only_the_window_accepts(world, api):
    citizen = api(world.citizen)
    app = complete_draft(citizen)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    assert citizen.post(f"/api/applications/{app['id']}/accept/").status_code == 403
    assert api(world.reviewer_market).post(f"/api/applications/{app['id']}/accept/").status_code == 403


def test_accepting_twice_is_a_state_conflict(world, api):
    citizen, clerk = api(world.citizen), api(world.window)
    app = complete_draft(citizen)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    assert clerk.post(f"/api/applications/{app['id']}/accept/").status_code == 200
    second = clerk.post(f"/api/applications/{app['id']}/accept/")
    assert second.status_code == 409
    assert second.json()["code"] == "invalid_state"


def notice(client, app_id, items):
    return client.post(f"/api/applications/{app_id}/correction-notice/",
                       {"items": [{"material": m, "reason": f"{m} unreadable"} for m in items]}, format="json")


def test_correction_notice_then_resubmit_then_accept(world, api):
    citizen, clerk = api(world.citizen), api(world.window)
    app = complete_draft(citizen)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    response = notice(clerk, app["id"], ["LICENCE", "LAYOUT"])
    assert response.status_code == 200
    assert response.json()["status"] == "correction_requested"
    assert [i["material"] for i in response.json()["correction_notices"][0]["items"]] == ["LICENCE", "LAYOUT"]
    upload(citizen, app["id"], "LICENCE")
    upload(citizen, app["id"], "LAYOUT")
    assert citizen.post(f"/api/applications/{app['id']}/resubmit/").json()["status"] == "submitted"
    assert clerk.post(f"/api/applications/{app['id']}/accept/").json()["status"] == "in_review"


def test_resubmit_without_new_files_for_the_notice_lists_them(world, api):
    citizen, clerk = api(world.citizen), api(world.window)
    app = complete_draft(citizen)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    notice(clerk, app["id"], ["LICENCE", "LAYOUT"])
    upload(citizen, app["id"], "LAYOUT")
    response = citizen.post(f"/api/applications/{app['id']}/resubmit/")
    assert response.status_code == 400
    assert response.json()["code"] == "materials_missing"
    assert [m["material"] for m in response.json()["fields"]["materials"]] == ["LICENCE"]


def test_second_notice_with_new_item_is_refused(world, api):
    citizen, clerk = api(world.citizen), api(world.window)
    app = complete_draft(citizen)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    notice(clerk, app["id"], ["LICENCE"])
    upload(citizen, app["id"], "LICENCE")
    citizen.post(f"/api/applications/{app['id']}/resubmit/")
    response = notice(clerk, app["id"], ["LICENCE", "SAFETY"])
    assert response.status_code == 400
    assert response.json()["code"] == "one_time_notice"
    assert "SAFETY" in response.json()["detail"]
    assert Application.objects.get(pk=app["id"]).status == "submitted"


def test_second_notice_may_repeat_an_item_of_the_first(world, api):
    citizen, clerk = api(world.citizen), api(world.window)
    app = complete_draft(citizen)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    notice(clerk, app["id"], ["LICENCE", "LAYOUT"])
    upload(citizen, app["id"], "LICENCE")
    upload(citizen, app["id"], "LAYOUT")
    citizen.post(f"/api/applications/{app['id']}/resubmit/")
    response = notice(clerk, app["id"], ["LICENCE"])
    assert response.status_code == 200
    assert len(response.json()["correction_notices"]) == 2


def test_correction_notice_needs_a_reason_for_every_item(world, api):
    citizen, clerk = api(world.citizen), api(world.window)
    app = complete_draft(citizen)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    response = clerk.post(f"/api/applications/{app['id']}/correction-notice/",
                          {"items": [{"material": "FORM", "reason": ""}]}, format="json")
    assert response.status_code == 400
    assert "items.0.reason" in response.json()["fields"]


def test_refusal_needs_reason_and_legal_basis(world, api):
    citizen, clerk = api(world.citizen), api(world.window)
    app = complete_draft(citizen)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    response = clerk.post(f"/api/applications/{app['id']}/refuse/", {"reason": "不属于本机关职权"}, format="json")
    assert response.status_code == 400
    assert "legal_basis" in response.json()["fields"]
    response = clerk.post(f"/api/applications/{app['id']}/refuse/",
                          {"reason": "不属于本机关职权", "legal_basis": "《行政许可法》第三十二条"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "not_accepted"
    assert any(d["kind"] == "refusal" for d in response.json()["documents"])


def test_applicant_withdraws_and_stages_are_cancelled(world, api):
    citizen, clerk = api(world.citizen), api(world.window)
    app = complete_draft(citizen, "HSG-001", ["FORM", "LAND", "DRAWINGS", "EIA", "FIRE"])
    citizen.post(f"/api/applications/{app['id']}/submit/")
    clerk.post(f"/api/applications/{app['id']}/accept/")
    response = citizen.post(f"/api/applications/{app['id']}/withdraw/")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert {s["status"] for s in response.json()["stages"]} == {"cancelled"}
    assert citizen.post(f"/api/applications/{app['id']}/withdraw/").status_code == 409


def test_walk_in_is_taken_in_by_the_clerk_without_an_account(world, api):
    clerk = api(world.window)
    app = draft(clerk)
    assert app["channel"] == "window"
    # At the window the clerk may submit what was handed over and then issue one notice.
    assert clerk.post(f"/api/applications/{app['id']}/submit/").json()["status"] == "submitted"
    response = notice(clerk, app["id"], MKT2)
    assert response.status_code == 200
    detail = Application.objects.get(pk=app["id"])
    assert detail.applicant is None and detail.intake_clerk == world.window


def test_deemed_acceptance_after_five_working_days_dates_it_at_receipt(world, api, travel):
    travel(2026, 4, 30, 9, 30)
    citizen = api(world.citizen)
    app = complete_draft(citizen)
    body = citizen.post(f"/api/applications/{app['id']}/submit/").json()
    assert body["status"] == "submitted"
    # 5 working days after 2026-04-30: Labour Day off 05-01..05-05, Saturday 05-09 worked → 2026-05-11.
    travel(2026, 5, 11, 23, 59, 59)
    assert sweep().deemed_accepted == 0
    assert Application.objects.get(pk=app["id"]).status == "submitted"
    travel(2026, 5, 12, 0, 0, 1)
    assert sweep().deemed_accepted == 1
    assert sweep().deemed_accepted == 0
    body = citizen.get(f"/api/applications/{app['id']}/").json()
    assert body["status"] == "in_review"
    assert body["deemed_accepted"] is True
    assert body["accepted_at"].startswith("2026-04-30T09:30:00+08:00")
    # The 10-day limit runs from the submission date, not from the sweep.
    assert body["due_at"] == "2026-05-18T23:59:59+08:00"
    assert [e["action"] for e in body["events"]][-1] == "deemed_accept"
    assert body["events"][-1]["actor"] == "system"


def test_correction_notice_stops_deemed_acceptance(world, api, travel):
    travel(2026, 4, 30, 9, 30)
    citizen, clerk = api(world.citizen), api(world.window)
    app = complete_draft(citizen)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    notice(clerk, app["id"], ["FORM"])
    travel(2026, 6, 1, 9)
    assert sweep().deemed_accepted == 0
    assert Application.objects.get(pk=app["id"]).status == "correction_requested"


def test_idempotency_key_replays_the_first_create(world, api):
    client = api(world.citizen)
    payload = {"service": "MKT-002", "applicant": APPLICANT}
    first = client.post("/api/applications/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post("/api/applications/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Application.objects.count() == 1
    third = client.post("/api/applications/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert third.json()["id"] != first.json()["id"]


def test_list_masks_id_numbers_and_filters_by_status(world, api):
    client = api(world.citizen)
    draft(client)
    body = client.get("/api/applications/?status=draft").json()
    assert body["count"] == 1
    assert body["results"][0]["applicant"]["id_number"] == "1101**********002X"
    assert client.get("/api/applications/?status=in_review").json()["count"] == 0


def test_upload_with_a_missing_file_names_the_field(world, api):
    client = api(world.citizen)
    app = draft(client)
    response = client.post(f"/api/applications/{app['id']}/materials/", {"material": "FORM"}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["fields"]


def test_unknown_material_code_is_refused(world, api):
    client = api(world.citizen)
    app = draft(client)
    response = client.post(f"/api/applications/{app['id']}/materials/",
                           {"material": "NOPE", "file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")
    assert response.status_code == 400
    assert "material" in response.json()["fields"]
