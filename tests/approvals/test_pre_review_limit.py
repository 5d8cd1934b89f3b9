"""提前介入 预审 has a time limit (issue 13 item 5): the center answers a pre-review within
settings.PRE_REVIEW_WORKING_DAYS working days of the work calendar, watched like every clock —
yellow when one working day (20%, at least one) is left, red once it has passed, each raised
once, recorded and told to the department's head, the supervisors and a key project's manager.
The application's own clock still does not start."""

import pytest
from django.contrib.auth.models import User

from approvals.models import AlertRecord, Application
from portal.audit.models import AuditEvent
from portal.notifications.models import Notification
from portal.sweep import sweep
from projects.models import PreReview
from tests.approvals.helpers import accepted
from tests.approvals.test_pre_review import draft, request_pre_review
from tests.conftest import APPLICANT

pytestmark = pytest.mark.django_db


def told(username, event) -> int:
    return Notification.objects.filter(user__username=username, event=event).count()


def alerts_in_history(app) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="application", object_id=app["id"],
                                          action__startswith="pre_review_").exclude(
        action__in=["pre_review_request", "pre_review_answer"]).order_by("id").values_list("action", flat=True))


def test_a_pre_review_is_due_in_three_working_days_and_alerts_yellow_then_red_once(world, api, travel):
    travel(2026, 9, 28, 10)
    app = draft(api, world.citizen)
    review = request_pre_review(api, world.citizen, app)
    # 3 working days from Monday 2026-09-28: 09-29, 09-30 and, after the National Day holiday, 10-08.
    assert review["due_at"] == "2026-10-08T23:59:59+08:00" and review["alert"] == "none"
    travel(2026, 9, 30, 23, 59)
    sweep()
    assert PreReview.objects.get(pk=review["id"]).alert == "none"
    travel(2026, 10, 1, 0, 1)  # one working day left
    assert sweep()["pre_review_yellow_alerts"] == 1
    assert PreReview.objects.get(pk=review["id"]).alert == "yellow"
    assert told("head_market", "alert_yellow") == 1 and told("supervisor", "alert_yellow") == 1
    sweep()
    travel(2026, 10, 8, 23, 59)
    sweep()
    assert told("head_market", "alert_yellow") == 1 and PreReview.objects.get(pk=review["id"]).alert == "yellow"
    travel(2026, 10, 9, 0, 1)
    assert sweep()["pre_review_red_alerts"] == 1
    sweep()
    row = PreReview.objects.get(pk=review["id"])
    assert row.alert == "red" and row.red_at is not None and row.yellow_at is not None
    assert told("head_market", "alert_red") == 1 and told("supervisor", "alert_red") == 1
    assert alerts_in_history(app) == ["pre_review_yellow", "pre_review_red"]
    shown = api(world.citizen).get(f"/api/applications/{app['id']}/").json()["pre_reviews"][0]
    assert shown["alert"] == "red"
    # The application's own clock has not started.
    application = Application.objects.get(pk=app["id"])
    assert (application.status, application.due_at, application.intake_due_at) == ("draft", None, None)


def test_a_pre_review_answered_in_time_raises_nothing(world, api, travel):
    travel(2026, 9, 28, 10)
    app = draft(api, world.citizen)
    review = request_pre_review(api, world.citizen, app)
    travel(2026, 9, 29, 10)
    assert api(world.window).post(f"/api/pre-reviews/{review['id']}/answer/", {"result": "ready"},
                                  format="json").status_code == 200
    travel(2026, 10, 20, 10)
    sweep()
    assert PreReview.objects.get(pk=review["id"]).alert == "none" and alerts_in_history(app) == []


def test_an_overdue_pre_review_goes_red_directly(world, api, travel):
    travel(2026, 9, 28, 10)
    app = draft(api, world.citizen)
    review = request_pre_review(api, world.citizen, app)
    travel(2026, 10, 12, 10)
    sweep()
    assert PreReview.objects.get(pk=review["id"]).alert == "red" and alerts_in_history(app) == ["pre_review_red"]


def test_the_limit_is_a_setting(world, api, travel, settings):
    settings.PRE_REVIEW_WORKING_DAYS = 1
    travel(2026, 4, 30, 10)
    review = request_pre_review(api, world.citizen, draft(api, world.citizen))
    # SPEC §3: 1 working day from 2026-04-30 ends with 2026-05-06 (Labour Day holiday between).
    assert review["due_at"] == "2026-05-06T23:59:59+08:00"


def test_the_key_projects_manager_is_told(world, api, travel):
    travel(2026, 9, 28, 10)
    enterprise = User.objects.get(username="enterprise")
    app = api(enterprise).post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT,
                                                       "project": "KP-2026-001"}, format="json").json()
    request_pre_review(api, enterprise, app)
    travel(2026, 10, 9, 0, 1)
    sweep()
    assert told("manager_project", "alert_red") == 1


def test_the_queue_and_the_application_page_show_when_the_answer_is_due(world, api, client, travel):
    travel(2026, 9, 28, 10)
    app = draft(api, world.citizen)
    review = request_pre_review(api, world.citizen, app)
    travel(2026, 10, 1, 0, 1)
    sweep()
    client.force_login(world.reviewer_market)
    queue = client.get("/pre-reviews/").content.decode()
    assert f'data-pre-review="{review["id"]}" data-alert="yellow"' in queue and "2026-10-08" in queue
    client.force_login(world.citizen)
    assert "2026-10-08" in client.get(f"/applications/{app['id']}/").content.decode()


def listed_alerts(api, user) -> list[dict]:
    response = api(user).get("/api/alerts/", {"limit": 200})
    assert response.status_code == 200, response.json()
    return [a for a in response.json()["results"] if a["kind"] == "pre_review"]


def test_pre_review_alerts_are_alert_records_listed_like_stage_alerts(world, api, client, travel):
    travel(2026, 9, 28, 10)
    app = draft(api, world.citizen)
    review = request_pre_review(api, world.citizen, app)
    travel(2026, 10, 1, 0, 1)
    sweep()
    travel(2026, 10, 9, 0, 1)
    sweep()
    sweep()  # once per level, however often the sweep runs
    records = list(AlertRecord.objects.filter(pre_review_id=review["id"]).order_by("raised_at"))
    assert [(r.level, r.department.code, r.application_id) for r in records] == [
        ("yellow", "MARKET", app["id"]), ("red", "MARKET", app["id"])]
    # GET /api/alerts/: the supervisors, the department's head and its reviewers see them, as stage alerts.
    for reader in (world.supervisor, world.head_market, world.reviewer_market):
        shown = listed_alerts(api, reader)
        assert [(a["level"], a["pre_review"], a["application_id"], a["application"], a["stage"]) for a in shown] == [
            ("red", review["id"], app["id"], app["number"], None), ("yellow", review["id"], app["id"], app["number"], None)]
        assert shown[0]["due_at"] == "2026-10-08T23:59:59+08:00" and "预审" in shown[0]["note"]
    # Not another department's staff, nor a township's supervisor (a county department's alert).
    for outsider in (world.reviewer_housing, world.head_housing, User.objects.get(username="supervisor_town")):
        assert listed_alerts(api, outsider) == []
    assert [a["id"] for a in api(world.supervisor).get("/api/alerts/", {"level": "red"}).json()["results"]
            if a["kind"] == "pre_review"] == [records[1].pk]
    # The supervisors' alert page lists them too.
    client.force_login(world.supervisor)
    page = client.get("/supervision/alerts/", {"from": "2026-10-01", "to": "2026-10-31"}).content.decode()
    assert f'data-alert="{records[0].pk}"' in page and f'data-alert="{records[1].pk}"' in page
    assert 'data-alert-kind="pre_review"' in page


def test_a_stage_alert_is_listed_with_its_kind(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api)
    travel(2026, 10, 15, 0, 1)  # MKT-002: 10 working days to 10-16, yellow one day before
    sweep()
    [alert] = [a for a in api(world.supervisor).get("/api/alerts/").json()["results"]
               if a["application_id"] == app["id"]]
    assert (alert["kind"], alert["application"], alert["pre_review"]) == ("stage", app["number"], None)
