"""典型案例: a decision that says so is published, without the official's name."""

import pytest

from tests.accountability.conftest import decided

pytestmark = pytest.mark.django_db


def test_a_published_decision_is_a_typical_case_without_the_name(world, api, opened_case, client):
    case = opened_case()
    decided(api, world, case, sanction="circulated_criticism", publish=True,
            public_summary="某审批人员超出承诺时限办结，给予通报批评。")
    listed = api().get("/api/accountability/typical-cases/").json()["results"]
    assert listed == [{
        "number": case.number, "department": "MARKET", "department_name": "市场监督管理局",
        "subject_role": "direct", "source": "complaint", "sanction": "circulated_criticism",
        "summary": "某审批人员超出承诺时限办结，给予通报批评。", "decided_at": listed[0]["decided_at"],
    }]
    page = client.get("/typical-cases/").content.decode()
    assert "某审批人员超出承诺时限办结" in page
    assert "reviewer_market" not in page and world.reviewer_market.first_name not in page


def test_an_unpublished_decision_stays_internal(world, api, opened_case):
    decided(api, world, opened_case())
    assert api().get("/api/accountability/typical-cases/").json()["count"] == 0


def test_no_fault_is_not_published(world, api, opened_case):
    case = opened_case()
    api(world.discipline).post(f"/api/accountability/cases/{case.pk}/start-investigation/")
    response = api(world.discipline).post(f"/api/accountability/cases/{case.pk}/decide/",
                                          {"sanction": "no_fault", "reasoning": "无过错", "publish": True},
                                          format="json")
    assert response.status_code == 400 and "publish" in response.json()["fields"]


def test_a_case_under_appeal_is_withdrawn_and_one_quashed_is_gone(world, api, opened_case):
    case = opened_case()
    decided(api, world, case, sanction="admonishment", publish=True)
    api(world.reviewer_market).post(f"/api/accountability/cases/{case.pk}/appeal/", {"grounds": "不服"},
                                    format="json")
    assert api().get("/api/accountability/typical-cases/").json()["count"] == 0
    api(world.discipline).post(f"/api/accountability/cases/{case.pk}/resolve-appeal/", {"upheld": True},
                               format="json")
    assert api().get("/api/accountability/typical-cases/").json()["count"] == 0


def test_a_confirmed_decision_is_published_again(world, api, opened_case):
    case = opened_case()
    decided(api, world, case, sanction="admonishment", publish=True)
    api(world.reviewer_market).post(f"/api/accountability/cases/{case.pk}/appeal/", {"grounds": "不服"},
                                    format="json")
    api(world.discipline).post(f"/api/accountability/cases/{case.pk}/resolve-appeal/", {"upheld": False},
                               format="json")
    published = api().get("/api/accountability/typical-cases/").json()["results"]
    assert [c["number"] for c in published] == [case.number]
    assert published[0]["summary"] == case.summary


def test_the_public_page_goes_by_cursor_without_counting(world, client):
    import re
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accountability.models import AccountabilityCase

    now = timezone.now()
    for i in range(23):
        AccountabilityCase.objects.create(
            number=f"ZR2026-T{i:04d}", subject=world.reviewer_market, subject_role="direct", source="referral",
            source_ref=f"T{i}", opened_at=now, status="final", sanction="efficiency_warning", publish=True,
            decided_at=now - timedelta(hours=i), public_summary=f"典型案例{i}。")
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/typical-cases/").content.decode()
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "accountability_" in q["sql"]]
    assert re.findall(r'data-typical-case="(ZR2026-T\d+)"', first)[:2] == ["ZR2026-T0000", "ZR2026-T0001"]
    assert first.count("data-typical-case=") == 20
    next_url = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get("/typical-cases/" + next_url).content.decode()
    assert re.findall(r'data-typical-case="(ZR2026-T\d+)"', second) == ["ZR2026-T0020", "ZR2026-T0021",
                                                                          "ZR2026-T0022"]
