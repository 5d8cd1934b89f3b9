"""Personas: the discipline office and supervisors work cases, the subject sees his
own and appeals, anybody else gets 404 on every case endpoint."""

import pytest

from tests.accountability.conftest import decided

pytestmark = pytest.mark.django_db


def endpoints(case):
    base = f"/api/accountability/cases/{case.pk}/"
    return [("get", base)] + [("post", base + action + "/") for action in (
        "start-investigation", "decide", "notify", "appeal", "resolve-appeal")]


def test_outsiders_get_404_on_every_case_endpoint(world, api, opened_case, client):
    case = opened_case()
    for user in (world.citizen, world.reviewer_env, world.head_market, world.window):
        caller = api(user)
        for method, url in endpoints(case):
            response = getattr(caller, method)(url, {}, format="json")
            assert response.status_code == 404, (user.username, url, response.status_code)
        client.force_login(user)
        assert client.get(f"/accountability/cases/{case.pk}/").status_code == 404
        assert client.post(f"/accountability/cases/{case.pk}/act/decide/").status_code == 404


def test_anonymous_gets_401(world, api, opened_case):
    case = opened_case()
    for method, url in endpoints(case) + [("get", "/api/accountability/cases/")]:
        assert getattr(api(), method)(url).status_code == 401, url


def test_the_subject_sees_only_his_own_cases(world, api, opened_case):
    own = opened_case()
    opened_case(subject=world.reviewer_env, source_ref="TS-OTHER")
    listed = api(world.reviewer_market).get("/api/accountability/cases/").json()
    assert [c["number"] for c in listed["results"]] == [own.number]
    assert api(world.reviewer_market).get(f"/api/accountability/cases/{own.pk}/").status_code == 200
    assert api(world.citizen).get("/api/accountability/cases/").json()["count"] == 0


def test_case_workers_list_every_case(world, api, opened_case):
    opened_case()
    opened_case(subject=world.reviewer_env, source_ref="TS-OTHER")
    for worker in (world.discipline, world.supervisor):
        assert api(worker).get("/api/accountability/cases/").json()["count"] == 2


def test_the_subject_cannot_work_his_own_case(world, api, opened_case):
    case = opened_case()
    subject = api(world.reviewer_market)
    response = subject.post(f"/api/accountability/cases/{case.pk}/start-investigation/")
    assert response.status_code == 403


def test_a_case_worker_who_is_the_subject_does_not_work_it(world, api, opened_case):
    case = opened_case(subject=world.supervisor, source_ref="REF-1", source="referral")
    response = api(world.supervisor).post(f"/api/accountability/cases/{case.pk}/start-investigation/")
    assert response.status_code == 403 and response.json()["code"] == "own_case"
    assert api(world.discipline).post(f"/api/accountability/cases/{case.pk}/start-investigation/").status_code == 200


def test_only_the_subject_appeals(world, api, opened_case):
    case = opened_case()
    decided(api, world, case)
    response = api(world.discipline).post(f"/api/accountability/cases/{case.pk}/appeal/", {"grounds": "代为申诉"},
                                          format="json")
    assert response.status_code == 403


def test_cases_are_filtered_by_status_and_source(world, api, opened_case):
    decided(api, world, opened_case())
    opened_case(subject=world.reviewer_env, source_ref="TS-OTHER")
    worker = api(world.discipline)
    assert worker.get("/api/accountability/cases/?status=opened").json()["count"] == 1
    assert worker.get("/api/accountability/cases/?status=notified,final").json()["count"] == 1
    assert worker.get("/api/accountability/cases/?source=deemed_approval").json()["count"] == 0
