"""评议: a campaign answered online by the public, a monitoring-point enterprise and a
representative; results aggregated and published; the principal answers in writing."""

import pytest
from django.contrib.auth.models import User

from appraisal.demo import demo_appraisal_seed
from appraisal.models import Campaign
from supervision.demo import demo_responsible_persons_seed

pytestmark = pytest.mark.django_db

CAMPAIGN = {"title": "市场监督管理局民主评议", "department": "MARKET", "opens_at": "2026-10-12T00:00:00+08:00",
            "closes_at": "2026-10-31T23:59:59+08:00", "questions": ["办事效率", "服务态度"]}


@pytest.fixture
def campaign(world, api, travel):
    travel(2026, 10, 10, 10)
    demo_responsible_persons_seed()
    response = api(world.supervisor).post("/api/campaigns/", CAMPAIGN, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _answer(api, user, campaign, scores):
    answers = [{"question": q["id"], "score": s} for q, s in zip(campaign["questions"], scores)]
    return api(user).post(f"/api/campaigns/{campaign['id']}/responses/", {"answers": answers}, format="json")


def test_a_campaigns_answers_are_aggregated_and_published(world, api, travel, campaign):
    rep = User.objects.create_user("representative", password="x")
    enterprise = User.objects.create_user("enterprise_a", password="x")
    for username, kind, org in (("representative", "representative", "市人大代表"),
                                ("enterprise_a", "monitoring_point", "甲公司")):
        assert api(world.supervisor).post("/api/monitoring-points/", {"username": username, "kind": kind,
                                          "organisation": org}, format="json").status_code == 201
    assert _answer(api, world.citizen, campaign, [5, 4]).status_code == 409  # not open yet
    travel(2026, 10, 15, 10)
    assert _answer(api, world.citizen, campaign, [5, 4]).json()["kind"] == "public"
    assert _answer(api, world.citizen, campaign, [5, 4]).status_code == 409  # once
    assert _answer(api, world.citizen2, campaign, [2, 3]).status_code == 201
    assert _answer(api, enterprise, campaign, [4, 4]).json()["kind"] == "monitoring_point"
    assert _answer(api, rep, campaign, [3, 5]).json()["kind"] == "representative"
    assert _answer(api, world.reviewer_market, campaign, [5, 5]).status_code == 403  # own department
    assert _answer(api, world.citizen2, campaign, [7, 1]).status_code == 400
    assert api().get(f"/api/campaigns/{campaign['id']}/results/").status_code == 404  # not published
    assert api(world.supervisor).post(f"/api/campaigns/{campaign['id']}/publish/").status_code == 409  # still open
    travel(2026, 11, 2, 10)
    assert _answer(api, world.citizen2, campaign, [1, 1]).status_code in (201, 409)
    published = api(world.supervisor).post(f"/api/campaigns/{campaign['id']}/publish/")
    assert published.json()["status"] == "published"
    results = api().get(f"/api/campaigns/{campaign['id']}/results/").json()
    assert results["responses"] == 4
    assert results["responses_by_kind"] == {"public": 2, "monitoring_point": 1, "representative": 1}
    first = results["questions"][0]
    assert (first["answers"], first["average"], first["satisfied_rate"]) == (4, 3.5, 0.5)
    assert first["by_kind"]["monitoring_point"] == {"answers": 1, "average": 4.0, "satisfied_rate": 1.0}


def test_the_principal_answers_the_published_results_in_writing(world, api, travel, campaign):
    travel(2026, 11, 2, 10)
    reply = {"text": "针对评议意见，我局将压缩审批时限，整改情况于月底前公布。"}
    assert api(User.objects.get(username="principal_market")).post(f"/api/campaigns/{campaign['id']}/reply/", reply,
                                            format="json").status_code == 409  # not published
    api(world.supervisor).post(f"/api/campaigns/{campaign['id']}/publish/")
    assert api(world.head_market).post(f"/api/campaigns/{campaign['id']}/reply/", reply,
                                       format="json").status_code == 403
    response = api(User.objects.get(username="principal_market")).post(
        f"/api/campaigns/{campaign['id']}/reply/", reply, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["replied_by"] == "principal_market"
    assert "整改" in api().get(f"/api/campaigns/{campaign['id']}/").json()["reply"]


def test_only_supervisors_launch_campaigns_and_designate_monitoring_points(world, api, travel):
    travel(2026, 10, 10, 10)
    assert api(world.head_market).post("/api/campaigns/", CAMPAIGN, format="json").status_code == 403
    assert api(world.citizen).get("/api/monitoring-points/").status_code == 403


def test_the_demo_has_a_campaign_and_a_monitoring_point_enterprise_and_pages_show_them(world, client):
    demo_appraisal_seed()
    demo_appraisal_seed()
    assert Campaign.objects.count() == 1
    campaign = Campaign.objects.get()
    client.force_login(User.objects.get(username="enterprise"))
    assert campaign.title in client.get("/appraisal/").content.decode()
    page = client.get(f"/appraisal/{campaign.pk}/").content.decode()
    assert 'id="answer-form"' in page
    data = {f"q{q.pk}": "4" for q in campaign.questions.all()}
    client.post(f"/appraisal/{campaign.pk}/act/answer/", data)
    assert campaign.responses.get().kind == "monitoring_point"
