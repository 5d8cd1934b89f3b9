"""提前介入 预审 (seed 001 line 43; issue 13 item 5): the center checks a draft's materials before
its formal submission without starting any clock — no deemed acceptance however long it takes,
the intake clock starts at the formal submission — and the result is recorded on the
application, from which the applicant then makes the formal application."""

import pytest
from django.utils.timezone import localtime

from approvals.models import Application
from portal.sweep import sweep
from tests.approvals.helpers import MATERIALS
from tests.conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db


def draft(api, user, service="MKT-002", materials=None):
    client = api(user)
    app = client.post("/api/applications/", {"service": service, "applicant": APPLICANT}, format="json").json()
    for code in MATERIALS[service] if materials is None else materials:
        assert upload(client, app["id"], code).status_code == 201
    return app


def request_pre_review(api, user, app, question="请预审材料"):
    response = api(user).post(f"/api/applications/{app['id']}/pre-review/", {"question": question}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["pre_reviews"][-1]


def test_a_pre_review_starts_no_clock_and_the_formal_submission_does(world, api, travel):
    travel(2026, 9, 1, 10)
    app = draft(api, world.citizen, materials=["FORM", "LICENCE"])
    review = request_pre_review(api, world.citizen, app)
    assert review["status"] == "requested"
    travel(2026, 9, 3, 10)
    answer = api(world.reviewer_market).post(f"/api/pre-reviews/{review['id']}/answer/", {
        "result": "changes_needed", "findings": [{"material": "LAYOUT", "reason": "缺少经营场所平面布局图"},
                                                 {"material": "SAFETY", "reason": "缺少食品安全管理制度"}],
        "note": "补齐后正式提交"}, format="json")
    assert answer.status_code == 200, answer.json()
    assert [f["material"] for f in answer.json()["findings"]] == ["LAYOUT", "SAFETY"]
    # Weeks later: still a draft, nothing received in law, no deemed acceptance, no alert.
    travel(2026, 9, 25, 10)
    sweep()
    application = Application.objects.get(pk=app["id"])
    assert (application.status, application.submitted_at, application.intake_due_at, application.due_at) == (
        "draft", None, None, None)
    for code in ("LAYOUT", "SAFETY"):
        assert upload(api(world.citizen), app["id"], code).status_code == 201
    submitted = api(world.citizen).post(f"/api/applications/{app['id']}/submit/").json()
    assert submitted["status"] == "submitted" and submitted["submitted_at"].startswith("2026-09-25")
    # The 5-working-day intake clock (art. 32) runs from the formal submission, not from the pre-review.
    assert localtime(Application.objects.get(pk=app["id"]).intake_due_at).isoformat() == "2026-10-09T23:59:59.999999+08:00"
    events = [e["action"] for e in submitted["events"]]
    assert events.index("pre_review_request") < events.index("pre_review_answer") < events.index("submit")
    assert submitted["pre_reviews"][0]["result"] == "changes_needed"


def test_a_pre_review_cannot_call_incomplete_materials_complete(world, api):
    app = draft(api, world.citizen, materials=["FORM"])
    review = request_pre_review(api, world.citizen, app)
    response = api(world.window).post(f"/api/pre-reviews/{review['id']}/answer/", {"result": "ready"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "materials_missing"
    response = api(world.window).post(f"/api/pre-reviews/{review['id']}/answer/",
                                      {"result": "changes_needed", "findings": []}, format="json")
    assert response.status_code == 400
    response = api(world.window).post(f"/api/pre-reviews/{review['id']}/answer/", {
        "result": "changes_needed", "findings": [{"material": "NOPE", "reason": "x"}]}, format="json")
    assert response.status_code == 400


def test_complete_materials_are_answered_ready_once(world, api):
    app = draft(api, world.citizen)
    review = request_pre_review(api, world.citizen, app)
    again = api(world.citizen).post(f"/api/applications/{app['id']}/pre-review/", {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "pre_review_open"
    response = api(world.window).post(f"/api/pre-reviews/{review['id']}/answer/", {"result": "ready"}, format="json")
    assert response.status_code == 200 and response.json()["result"] == "ready"
    second = api(world.window).post(f"/api/pre-reviews/{review['id']}/answer/", {"result": "ready"}, format="json")
    assert second.status_code == 409


def test_only_a_draft_is_pre_reviewed(world, api):
    app = draft(api, world.citizen)
    assert api(world.citizen).post(f"/api/applications/{app['id']}/submit/").status_code == 200
    response = api(world.citizen).post(f"/api/applications/{app['id']}/pre-review/", {}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "invalid_state"


def test_the_draft_is_shown_to_those_who_may_check_it_only_once_asked(world, api):
    app = draft(api, world.citizen, materials=["FORM"])
    assert api(world.reviewer_market).get(f"/api/applications/{app['id']}/").status_code == 404
    assert api(world.citizen2).post(f"/api/applications/{app['id']}/pre-review/", {}, format="json").status_code == 404
    review = request_pre_review(api, world.citizen, app)
    assert api(world.reviewer_market).get(f"/api/applications/{app['id']}/").status_code == 200
    assert [r["id"] for r in api(world.reviewer_market).get("/api/pre-reviews/").json()["results"]] == [review["id"]]
    assert api(world.reviewer_env).get("/api/pre-reviews/").json()["results"] == []
    for outsider in (world.reviewer_env, world.citizen2):
        response = api(outsider).post(f"/api/pre-reviews/{review['id']}/answer/", {"result": "ready"}, format="json")
        assert response.status_code == 404
    # The applicant sees the result but does not answer his own consultation.
    response = api(world.citizen).post(f"/api/pre-reviews/{review['id']}/answer/", {
        "result": "changes_needed", "findings": [{"material": "ID", "reason": "x"}]}, format="json")
    assert response.status_code in (400, 403)


def test_the_pre_review_through_the_pages(world, api, client):
    app = draft(api, world.citizen, materials=["FORM"])
    client.force_login(world.citizen)
    page = client.get(f"/applications/{app['id']}/").content.decode()
    assert 'id="request-pre-review"' in page
    client.post(f"/applications/{app['id']}/pre-review/", {"question": "是否齐全？"})
    review = Application.objects.get(pk=app["id"]).pre_reviews.get()
    client.force_login(world.window)
    assert f'data-pre-review="{review.pk}"' in client.get("/pre-reviews/").content.decode()
    assert 'id="pre-review-answer"' in client.get(f"/applications/{app['id']}/").content.decode()
    client.post(f"/pre-reviews/{review.pk}/answer/", {"material": ["LICENCE"], "reason_LICENCE": "营业执照复印件缺失"})
    review = Application.objects.get(pk=app["id"]).pre_reviews.get()
    assert (review.result, review.findings[0]["material"]) == ("changes_needed", "LICENCE")
    client.force_login(world.citizen)
    page = client.get(f"/applications/{app['id']}/").content.decode()
    assert 'data-finding="LICENCE"' in page and "营业执照复印件缺失" in page
