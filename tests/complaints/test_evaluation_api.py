"""好差评 over the REST contract (SPEC §2 service evaluation row, §6 Evaluations), with
time travel for the 7-day window, the default 基本满意 and the follow-up limit."""

import pytest

from portal.sweep import sweep
from complaints.models import Evaluation, FollowUp
from portal.audit.models import AuditEvent
from portal.notifications.models import Notification
from tests.conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db


def rate(api, user, application_id, score, comment=""):
    return api(user).post(f"/api/applications/{application_id}/evaluation/", {"score": score, "comment": comment},
                          format="json")


def submitted_mkt1(world, api):
    citizen = api(world.citizen)
    app = citizen.post("/api/applications/", {"service": "MKT-001", "applicant": APPLICANT}, format="json").json()
    for code in ("FORM", "ID", "PREMISES"):
        upload(citizen, app["id"], code)
    citizen.post(f"/api/applications/{app['id']}/submit/")
    return app


def test_the_applicant_rates_a_decided_application_once(world, api, decided_application):
    app = decided_application()
    first = rate(api, world.citizen, app["id"], 5, "办事很快")
    assert first.status_code == 201
    body = first.json()
    assert body["score"] == 5 and body["source"] == "citizen" and body["follow_up"] is None
    assert body["service"] == "MKT-001" and body["department"] == "MARKET" and body["window"] == "01"
    second = rate(api, world.citizen, app["id"], 1)
    assert second.status_code == 409
    assert second.json()["code"] == "already_rated"
    assert Evaluation.objects.get().score == 5


def test_the_rating_window_closes_at_the_end_of_the_seventh_day(world, api, decided_application, travel):
    travel(2026, 10, 12, 10)
    last_moment, too_late = decided_application(), decided_application()
    travel(2026, 10, 19, 23, 59, 59)
    assert rate(api, world.citizen, last_moment["id"], 4).status_code == 201
    travel(2026, 10, 20, 0, 0, 1)
    response = rate(api, world.citizen, too_late["id"], 4)
    assert response.status_code == 409
    assert response.json()["code"] == "rating_closed"


def test_without_a_rating_it_counts_as_basically_satisfied_exactly_once(world, api, decided_application, travel):
    travel(2026, 10, 12, 10)
    app = decided_application()
    travel(2026, 10, 19, 23, 59, 59)
    assert sweep().default_ratings == 0
    travel(2026, 10, 20, 0, 0, 1)
    assert sweep().default_ratings == 1
    assert sweep().default_ratings == 0
    evaluation = Evaluation.objects.get(application_id=app["id"])
    assert (evaluation.score, evaluation.source, evaluation.rated_by) == (3, "default", None)
    assert not FollowUp.objects.exists()
    assert AuditEvent.objects.filter(object_type="evaluation", action="rate_default").count() == 1
    assert rate(api, world.citizen, app["id"], 1).status_code == 409
    shown = api(world.citizen).get(f"/api/applications/{app['id']}/evaluation/").json()
    assert shown["evaluation"]["level"] and shown["evaluation"]["score"] == 3


def test_a_rated_application_gets_no_default_and_later_decisions_wait_their_turn(world, api, decided_application,
                                                                               travel):
    travel(2026, 10, 12, 10)
    rated, silent = decided_application(), decided_application()
    rate(api, world.citizen, rated["id"], 5)
    travel(2026, 10, 15, 10)
    later = decided_application()
    travel(2026, 10, 20, 0, 0, 1)
    assert sweep().default_ratings == 1
    assert Evaluation.objects.get(application_id=silent["id"]).source == "default"
    travel(2026, 10, 22, 23, 59, 59)
    assert sweep().default_ratings == 0
    travel(2026, 10, 23, 0, 0, 1)
    assert sweep().default_ratings == 1
    assert Evaluation.objects.get(application_id=later["id"]).source == "default"
    assert Evaluation.objects.get(application_id=rated["id"]).source == "citizen"


def test_an_application_not_accepted_can_be_rated(world, api):
    app = submitted_mkt1(world, api)
    api(world.window).post(f"/api/applications/{app['id']}/refuse/",
                           {"reason": "不属于本中心受理范围", "legal_basis": "《行政许可法》第三十二条"}, format="json")
    assert rate(api, world.citizen, app["id"], 2).status_code == 201


def test_an_undecided_application_cannot_be_rated(world, api):
    app = submitted_mkt1(world, api)
    api(world.window).post(f"/api/applications/{app['id']}/accept/")
    response = rate(api, world.citizen, app["id"], 5)
    assert response.status_code == 409
    assert response.json()["code"] == "not_decided"


def test_only_the_applicant_rates(world, api, decided_application):
    app = decided_application()
    assert rate(api, world.window, app["id"], 5).status_code == 403
    assert rate(api, world.citizen2, app["id"], 5).status_code == 404
    assert rate(api, None, app["id"], 5).status_code == 401


def test_the_score_is_one_of_five_levels(world, api, decided_application):
    app = decided_application()
    for score in (0, 6, "good", None):
        response = rate(api, world.citizen, app["id"], score)
        assert response.status_code == 400, score
        assert "score" in response.json()["fields"]


def test_a_bad_rating_opens_a_follow_up_for_the_handling_unit(world, api, decided_application, travel, settings):
    travel(2026, 10, 12, 10)
    app = decided_application()
    body = rate(api, world.citizen, app["id"], 2, "窗口让我跑了三趟").json()
    follow_up = body["follow_up"]
    assert follow_up["department"] == "MARKET" and follow_up["status"] == "open"
    assert follow_up["due_at"] == "2026-10-19T23:59:59+08:00"  # 5 working days
    told = set(Notification.objects.filter(event="follow_up_opened").values_list("user__username", flat=True))
    assert told == {"head_market", "reviewer_market"}
    listed = api(world.reviewer_market).get("/api/evaluations/follow-ups/").json()
    assert [f["id"] for f in listed["results"]] == [follow_up["id"]]
    assert api(world.reviewer_housing).get("/api/evaluations/follow-ups/").json()["count"] == 0


def test_the_follow_up_limit_is_configurable(world, api, decided_application, travel, settings):
    settings.EVALUATION_FOLLOW_UP_WORKING_DAYS = 2
    travel(2026, 10, 12, 10)
    app = decided_application()
    assert rate(api, world.citizen, app["id"], 1).json()["follow_up"]["due_at"] == "2026-10-14T23:59:59+08:00"


def test_the_unit_calls_back_and_the_citizen_is_told(world, api, decided_application):
    app = decided_application()
    follow_up = rate(api, world.citizen, app["id"], 1).json()["follow_up"]
    url = f"/api/evaluations/follow-ups/{follow_up['id']}/complete/"
    assert api(world.reviewer_market).post(url, {"action": "explained", "note": " "},
                                           format="json").status_code == 400
    done = api(world.reviewer_market).post(url, {"action": "explained", "note": "已电话回访并解释审批依据"},
                                           format="json")
    assert done.status_code == 200
    assert done.json()["status"] == "done"
    message = Notification.objects.get(event="follow_up_done")
    assert message.user == world.citizen and "已电话回访" in message.body
    assert api(world.reviewer_market).post(url, {"action": "fixed", "note": "x"}, format="json").status_code == 409
    # The supervisor sees every unit's follow-ups but the unit does the work.
    again = rate(api, world.citizen, decided_application()["id"], 1).json()["follow_up"]
    assert api(world.supervisor).post(f"/api/evaluations/follow-ups/{again['id']}/complete/",
                                      {"action": "fixed", "note": "x"}, format="json").status_code == 403


def test_an_overdue_follow_up_is_marked_once_and_the_supervisors_are_told(world, api, decided_application, travel):
    travel(2026, 10, 12, 10)
    app = decided_application()
    follow_up = rate(api, world.citizen, app["id"], 1).json()["follow_up"]
    travel(2026, 10, 19, 23, 59, 59)
    assert sweep().follow_ups_overdue == 0
    travel(2026, 10, 20, 0, 0, 1)
    assert sweep().follow_ups_overdue == 1
    assert sweep().follow_ups_overdue == 0
    assert FollowUp.objects.get(pk=follow_up["id"]).overdue
    told = set(Notification.objects.filter(event="follow_up_overdue").values_list("user__username", flat=True))
    assert told == {"head_market", "reviewer_market", "supervisor"}
    # Overdue is a mark, not an end: the unit still does it.
    done = api(world.head_market).post(f"/api/evaluations/follow-ups/{follow_up['id']}/complete/",
                                       {"action": "fixed", "note": "已补办"}, format="json")
    assert done.status_code == 200


def test_the_supervisor_strikes_a_malicious_rating_with_the_reason_kept(world, api, decided_application):
    app = decided_application()
    rated = rate(api, world.citizen, app["id"], 1, "恶意差评").json()
    url = f"/api/evaluations/{rated['id']}/strike/"
    assert api(world.head_market).post(url, {"reason": "x"}, format="json").status_code == 403
    assert api(world.supervisor).post(url, {"reason": ""}, format="json").status_code == 400
    struck = api(world.supervisor).post(url, {"reason": "经核实系误评，申请人已确认"}, format="json")
    assert struck.status_code == 200
    body = struck.json()
    assert body["struck"] is True and body["decision_reason"] == "经核实系误评，申请人已确认"
    assert body["follow_up"]["status"] == "cancelled"
    assert api(world.supervisor).post(url, {"reason": "again"}, format="json").status_code == 409
    assert AuditEvent.objects.filter(object_type="evaluation", action="strike",
                                     note="经核实系误评，申请人已确认").exists()


def test_a_good_or_default_rating_cannot_be_struck(world, api, decided_application):
    app = decided_application()
    rated = rate(api, world.citizen, app["id"], 5).json()
    response = api(world.supervisor).post(f"/api/evaluations/{rated['id']}/strike/", {"reason": "x"}, format="json")
    assert response.status_code == 409


def test_the_unit_appeals_once_and_the_supervisor_decides(world, api, decided_application):
    first, second = decided_application(), decided_application()
    one = rate(api, world.citizen, first["id"], 2).json()
    two = rate(api, world.citizen, second["id"], 1).json()
    head = api(world.head_market)
    assert head.post(f"/api/evaluations/{one['id']}/appeal/", {"grounds": ""}, format="json").status_code == 400
    appealed = head.post(f"/api/evaluations/{one['id']}/appeal/", {"grounds": "申请人材料不全，系误评"}, format="json")
    assert appealed.json()["appeal"]["status"] == "pending"
    assert head.post(f"/api/evaluations/{one['id']}/appeal/", {"grounds": "again"}, format="json").status_code == 409
    upheld = api(world.supervisor).post(f"/api/evaluations/{one['id']}/strike/", {"reason": "申诉成立"},
                                        format="json").json()
    assert upheld["appeal"]["status"] == "upheld" and upheld["struck"]

    head.post(f"/api/evaluations/{two['id']}/appeal/", {"grounds": "态度没有问题"}, format="json")
    dismissed = api(world.supervisor).post(f"/api/evaluations/{two['id']}/dismiss-appeal/",
                                           {"reason": "录音显示确有推诿"}, format="json").json()
    assert dismissed["appeal"]["status"] == "dismissed" and not dismissed["struck"]
    assert dismissed["decision_reason"] == "录音显示确有推诿"
    # The citizen cannot appeal his own rating; another unit cannot see it.
    assert api(world.citizen).post(f"/api/evaluations/{two['id']}/appeal/", {"grounds": "x"},
                                   format="json").status_code == 403
    assert api(world.head_fire).post(f"/api/evaluations/{two['id']}/appeal/", {"grounds": "x"},
                                     format="json").status_code == 404


def test_the_published_summary_per_item_and_window_matches_a_hand_count(world, api, decided_application, travel):
    travel(2026, 10, 12, 10)
    apps = [decided_application() for _ in range(5)]
    for app, score in zip(apps, (5, 4, 2, 1)):
        rate(api, world.citizen, app["id"], score)
    malicious = Evaluation.objects.get(application_id=apps[3]["id"])
    api(world.supervisor).post(f"/api/evaluations/{malicious.pk}/strike/", {"reason": "恶意"}, format="json")
    travel(2026, 10, 20, 0, 0, 1)
    sweep()  # apps[4]: basically satisfied by default

    summary = api().get("/api/evaluations/summary/").json()
    # Counted: 5, 4, 2 and the default 3; the struck 1 is left out.
    item = {"service": "MKT-001", "name": "个体工商户注册登记", "count": 4, "average": 3.5,
            "levels": {"5": 1, "4": 1, "3": 1, "2": 1, "1": 0}, "satisfaction_rate": 0.75}
    assert summary["items"] == [item]
    window = summary["windows"][0]
    assert (window["window"], window["count"], window["satisfaction_rate"]) == ("01", 4, 0.75)

    assert api().get("/api/evaluations/summary/", {"from": "2026-10-13"}).json()["items"][0]["count"] == 1
    assert api().get("/api/evaluations/summary/", {"to": "2026-10-12"}).json()["items"][0]["count"] == 3
    assert api().get("/api/evaluations/summary/", {"from": "12-10-2026"}).status_code == 400


def test_a_batch_of_default_ratings_takes_the_earliest_decided_whatever_their_outcome(world, api, decided_application,
                                                                                        travel):
    """The step walks each outcome's index on its own (complaints.deadlines._first_unrated);
    a batch is still the earliest decisions across all of them."""
    from datetime import timedelta

    from django.utils import timezone

    from approvals.models import Application
    from complaints.deadlines import _default_rating_batch

    travel(2026, 10, 12, 10)
    apps = [decided_application() for _ in range(4)]
    first = Application.objects.get(pk=apps[0]["id"]).decided_at
    # Decided an hour apart, each with another outcome: not accepted, deemed approved, denied, approved.
    for hours, (app, outcome, status) in enumerate(zip(apps, ["", "deemed_approved", "denied", "approved"],
                                                       ["not_accepted", "deemed_approved", "denied", "approved"])):
        Application.objects.filter(pk=app["id"]).update(outcome=outcome, status=status,
                                                        decided_at=first + timedelta(hours=hours))
    travel(2026, 10, 20, 0, 0, 1)
    assert _default_rating_batch(timezone.now(), 2) == 2
    rated = set(Evaluation.objects.values_list("application_id", flat=True))
    assert rated == {apps[0]["id"], apps[1]["id"]}  # the two earliest: not accepted, then deemed approved
    assert _default_rating_batch(timezone.now(), 2) == 2
    assert _default_rating_batch(timezone.now(), 2) == 0
    assert Evaluation.objects.filter(source="default").count() == 4
