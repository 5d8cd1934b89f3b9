"""The accountability case machine of SPEC §4: opened → investigating → decided →
notified → final, or notified → appealed → final, with one appeal."""

import pytest

from accountability.models import AccountabilityCase
from portal.sweep import sweep
from portal.notifications.models import Notification
from tests.accountability.conftest import decided

pytestmark = pytest.mark.django_db


def test_opening_a_case_tells_the_subject_and_records_it(world, opened_case):
    case = opened_case()
    assert case.status == "opened" and case.number.startswith("ZR")
    assert Notification.objects.filter(user=world.reviewer_market, event="case_opened", ref=case.number).exists()


def test_opening_the_same_case_twice_is_one_case(world, opened_case):
    assert opened_case().pk == opened_case().pk
    assert AccountabilityCase.objects.count() == 1


def test_an_investigation_is_started_once(world, api, opened_case):
    case = opened_case()
    worker = api(world.discipline)
    body = worker.post(f"/api/accountability/cases/{case.pk}/start-investigation/").json()
    assert body["status"] == "investigating" and body["investigator"] == "discipline"
    response = worker.post(f"/api/accountability/cases/{case.pk}/start-investigation/")
    assert response.status_code == 409 and response.json()["code"] == "invalid_state"


def test_deciding_a_case_nobody_investigated_records_the_decider_as_investigator(world, api, opened_case):
    case = opened_case()
    body = api(world.supervisor).post(f"/api/accountability/cases/{case.pk}/decide/",
                                      {"sanction": "efficiency_warning", "reasoning": "超时"}, format="json").json()
    assert body["status"] == "notified" and body["investigator"] == "supervisor"
    assert [e["action"] for e in body["events"]] == ["open", "start_investigation", "decide", "notify"]


def test_a_decided_case_is_not_decided_again(world, api, opened_case):
    case = opened_case()
    decided(api, world, case)
    response = api(world.discipline).post(f"/api/accountability/cases/{case.pk}/decide/",
                                          {"sanction": "admonishment", "reasoning": "加重"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "invalid_state"
    response = api(world.discipline).post(f"/api/accountability/cases/{case.pk}/resolve-appeal/", {"upheld": False},
                                          format="json")
    assert response.status_code == 409


def test_decision_notifies_the_subject_with_the_appeal_period(world, api, opened_case, travel):
    travel(2026, 11, 20, 10)
    case = opened_case()
    body = decided(api, world, case)
    assert body["status"] == "notified"
    assert body["sanction"] == "efficiency_warning"
    assert body["decided_at"].startswith("2026-11-20")
    assert body["appeal_due_at"] == "2026-12-20T23:59:59+08:00"
    actions = [e["action"] for e in body["events"]]
    assert actions == ["open", "start_investigation", "decide", "notify"]
    message = Notification.objects.get(user=world.reviewer_market, event="case_decided")
    assert "2026-12-20" in message.body


def test_a_decision_can_be_served_later(world, api, opened_case):
    case = opened_case()
    body = decided(api, world, case, notify=False)
    assert body["status"] == "decided" and body["appeal_due_at"] is None
    assert not Notification.objects.filter(event="case_decided").exists()
    body = api(world.discipline).post(f"/api/accountability/cases/{case.pk}/notify/").json()
    assert body["status"] == "notified"
    assert api(world.discipline).post(f"/api/accountability/cases/{case.pk}/notify/").status_code == 409


def test_a_decision_states_its_reasons_and_a_step_of_the_ladder(world, api, opened_case):
    case = opened_case()
    worker = api(world.discipline)
    worker.post(f"/api/accountability/cases/{case.pk}/start-investigation/")
    response = worker.post(f"/api/accountability/cases/{case.pk}/decide/", {"sanction": "fine"}, format="json")
    assert response.status_code == 400 and "sanction" in response.json()["fields"]
    response = worker.post(f"/api/accountability/cases/{case.pk}/decide/",
                           {"sanction": "admonishment", "reasoning": "  "}, format="json")
    assert response.status_code == 400 and "reasoning" in response.json()["fields"]


def test_no_fault_ends_the_case_like_a_sanction(world, api, opened_case):
    body = decided(api, world, opened_case(), sanction="no_fault")
    assert body["status"] == "notified" and body["sanction"] == "no_fault"


def test_the_subject_appeals_once_and_the_appeal_is_decided(world, api, opened_case):
    case = opened_case()
    decided(api, world, case, sanction="circulated_criticism")
    subject = api(world.reviewer_market)
    response = subject.post(f"/api/accountability/cases/{case.pk}/appeal/", {"grounds": "申请人补正材料迟延。"},
                            format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "appealed"
    second = subject.post(f"/api/accountability/cases/{case.pk}/appeal/", {"grounds": "再次申诉"}, format="json")
    assert second.status_code == 409 and second.json()["code"] == "already_appealed"
    body = api(world.discipline).post(f"/api/accountability/cases/{case.pk}/resolve-appeal/",
                                      {"upheld": True, "sanction": "efficiency_warning", "resolution": "情节较轻"},
                                      format="json").json()
    assert body["status"] == "final" and body["sanction"] == "efficiency_warning"
    assert body["appeal"]["upheld"] is True and body["appeal"]["sanction_before"] == "circulated_criticism"
    third = subject.post(f"/api/accountability/cases/{case.pk}/appeal/", {"grounds": "三次"}, format="json")
    assert third.status_code == 409
    assert Notification.objects.filter(user=world.reviewer_market, event="case_appeal_resolved").exists()


def test_a_rejected_appeal_keeps_the_sanction(world, api, opened_case):
    case = opened_case()
    decided(api, world, case, sanction="admonishment")
    api(world.reviewer_market).post(f"/api/accountability/cases/{case.pk}/appeal/", {"grounds": "不服"},
                                    format="json")
    body = api(world.discipline).post(f"/api/accountability/cases/{case.pk}/resolve-appeal/", {"upheld": False},
                                      format="json").json()
    assert body["status"] == "final" and body["sanction"] == "admonishment" and body["appeal"]["upheld"] is False


def test_an_upheld_appeal_must_lower_the_sanction(world, api, opened_case):
    case = opened_case()
    decided(api, world, case, sanction="efficiency_warning")
    api(world.reviewer_market).post(f"/api/accountability/cases/{case.pk}/appeal/", {"grounds": "不服"},
                                    format="json")
    response = api(world.discipline).post(f"/api/accountability/cases/{case.pk}/resolve-appeal/",
                                          {"upheld": True, "sanction": "admonishment"}, format="json")
    assert response.status_code == 400
    assert AccountabilityCase.objects.get(pk=case.pk).status == "appealed"


def test_an_appeal_needs_grounds_and_a_notified_decision(world, api, opened_case):
    case = opened_case()
    subject = api(world.reviewer_market)
    assert subject.post(f"/api/accountability/cases/{case.pk}/appeal/", {"grounds": "早"},
                        format="json").status_code == 409
    decided(api, world, case)
    response = subject.post(f"/api/accountability/cases/{case.pk}/appeal/", {"grounds": ""}, format="json")
    assert response.status_code == 400 and "grounds" in response.json()["fields"]


def test_after_the_appeal_period_the_sweep_makes_the_decision_final(world, api, opened_case, travel):
    travel(2026, 11, 20, 10)
    case = opened_case()
    decided(api, world, case)
    travel(2026, 12, 20, 23, 59)
    assert sweep().cases_final == 0
    travel(2026, 12, 21, 0, 0, 1)
    response = api(world.reviewer_market).post(f"/api/accountability/cases/{case.pk}/appeal/", {"grounds": "迟"},
                                               format="json")
    assert response.status_code == 409 and response.json()["code"] == "appeal_period_over"
    assert sweep().cases_final == 1
    assert sweep().cases_final == 0
    body = api(world.discipline).get(f"/api/accountability/cases/{case.pk}/").json()
    assert body["status"] == "final" and body["final_at"].startswith("2026-12-21")
    assert body["events"][-1]["action"] == "finalise"


def test_an_appeal_inside_the_period_is_taken(world, api, opened_case, travel):
    travel(2026, 11, 20, 10)
    case = opened_case()
    decided(api, world, case)
    travel(2026, 12, 20, 23, 59)
    response = api(world.reviewer_market).post(f"/api/accountability/cases/{case.pk}/appeal/",
                                               {"grounds": "最后一天申诉"}, format="json")
    assert response.status_code == 200
    travel(2027, 1, 30, 10)
    assert sweep().cases_final == 0
