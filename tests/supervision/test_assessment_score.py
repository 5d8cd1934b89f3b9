"""绩效考评得分: cases and their sanctions enter the department and official figures as a
weighted assessment score (100 less the weights of settings.ASSESSMENT_WEIGHTS), shown on
the dashboard, the department and official pages, in the API and in both CSVs."""

import csv
import io

import pytest

from accountability.models import LADDER
from accountability.services import case_open
from portal.env import ImproperEnv, env_weights
from tests.accountability.conftest import decided

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2026-11-01", "to": "2026-11-30"}
WEIGHTS = {"case_opened": 3, "commitment_breach": 2, "efficiency_warning": 5, "admonishment": 7, "circulated_criticism": 11,
           "removal_from_post": 13, "disciplinary_referral": 17}


@pytest.fixture
def weights(settings):
    settings.ASSESSMENT_WEIGHTS = dict(WEIGHTS)
    return settings.ASSESSMENT_WEIGHTS


@pytest.fixture
def market_case(world, travel, weights):
    travel(2026, 11, 3, 10)
    case = case_open(subject=world.reviewer_market, subject_role="direct", source="referral", source_ref="JB-7",
                     summary="拖延办理。")
    travel(2026, 11, 10, 10)
    return case


def _scores(api, world, period=PERIOD):
    supervisor = api(world.supervisor)
    market = next(r for r in supervisor.get("/api/stats/departments/", period).json()["results"]
                  if r["department"] == "MARKET")
    official = supervisor.get("/api/stats/officials/reviewer_market/", period).json()
    return market["assessment_score"], official["assessment_score"]


def test_without_cases_the_score_is_full(world, api, travel, weights):
    travel(2026, 11, 10, 10)
    assert _scores(api, world) == (100, 100)


def test_a_case_opened_takes_off_its_weight(world, api, market_case):
    assert _scores(api, world) == (100 - 3, 100 - 3)


def test_a_sanctioned_case_lowers_the_score_by_its_weight(world, api, market_case):
    decided(api, world, market_case, sanction="admonishment")
    assert _scores(api, world) == (100 - 3 - 7, 100 - 3 - 7)


def test_the_weight_is_the_sanctions_own(world, api, market_case):
    decided(api, world, market_case, sanction="removal_from_post")
    assert _scores(api, world) == (100 - 3 - 13, 100 - 3 - 13)


def test_no_fault_takes_off_only_the_case(world, api, market_case):
    decided(api, world, market_case, sanction="no_fault")
    assert _scores(api, world) == (97, 97)


def test_a_sanction_quashed_on_appeal_weighs_nothing(world, api, market_case):
    decided(api, world, market_case, sanction="admonishment")
    assert api(world.reviewer_market).post(f"/api/accountability/cases/{market_case.pk}/appeal/",
                                           {"grounds": "当日系统故障。"}, format="json").status_code == 200
    assert api(world.discipline).post(f"/api/accountability/cases/{market_case.pk}/resolve-appeal/",
                                      {"upheld": True}, format="json").status_code == 200
    assert _scores(api, world) == (97, 97)


def test_a_case_outside_the_period_does_not_count(world, api, market_case):
    decided(api, world, market_case, sanction="admonishment")
    assert _scores(api, world, {"from": "2026-10-01", "to": "2026-10-31"}) == (100, 100)


def test_the_score_does_not_go_below_zero(world, api, market_case, weights):
    weights["case_opened"] = 150
    assert _scores(api, world) == (0, 0)


def test_the_pages_show_the_score_and_its_weights(world, api, client, market_case):
    decided(api, world, market_case, sanction="admonishment")
    client.force_login(world.supervisor)
    page = client.get("/supervision/", PERIOD).content.decode()
    row = page.split('data-department="MARKET"')[1].split("</tr>")[0]
    assert '>90</td>' in row and 'data-figure="assessment_score"' in row
    assert 'id="assessment-legend"' in page and 'data-weight="7"' in page and "诫勉谈话" in page
    page = client.get("/supervision/officials/reviewer_market/", PERIOD).content.decode()
    assert '<dd data-figure="assessment_score"><strong>90</strong>' in page
    page = client.get("/supervision/departments/MARKET/", PERIOD).content.decode()
    assert '<dd data-figure="assessment_score"><strong>90</strong>' in page
    row = page.split('data-official="reviewer_market"')[1].split("</tr>")[0]
    assert '>90</td>' in row


def test_both_csvs_carry_the_score(world, api, client, travel, market_case):
    decided(api, world, market_case, sanction="admonishment")
    client.force_login(world.supervisor)
    rows = list(csv.DictReader(io.StringIO(
        client.get("/supervision/export.csv", PERIOD).content.decode("utf-8-sig"))))
    assert next(r for r in rows if r["部门代码"] == "MARKET")["绩效考评得分"] == "90"
    rows = list(csv.DictReader(io.StringIO(
        client.get("/supervision/export.csv", {**PERIOD, "by": "officials"}).content.decode("utf-8-sig"))))
    assert next(r for r in rows if r["工号"] == world.reviewer_market.staff_profile.badge)["绩效考评得分"] == "90"
    travel(2026, 12, 2, 10)
    supervisor = api(world.supervisor)
    report = supervisor.get("/api/stats/monthly-report/", {"month": "2026-11"}).json()
    assert next(r for r in report["departments"] if r["department"] == "MARKET")["assessment_score"] == 90
    lines = list(csv.DictReader(io.StringIO(supervisor.get(
        "/api/stats/monthly-report/csv/", {"month": "2026-11"}).content.decode("utf-8-sig"))))
    assert next(r for r in lines if r["部门代码"] == "MARKET")["绩效考评得分"] == "90"


def test_every_step_of_the_ladder_and_a_commitment_breach_have_a_weight(settings):
    assert set(settings.ASSESSMENT_WEIGHTS) == {"case_opened", "commitment_breach", *LADDER}


def test_weights_from_the_environment_are_parsed_strictly(monkeypatch):
    default = {"case_opened": 1, "admonishment": 4}
    monkeypatch.setenv("W", "admonishment=9, case_opened=0")
    assert env_weights("W", default) == {"case_opened": 0, "admonishment": 9}
    for bad in ("admonishment=-1", "unknown=2", "admonishment", "admonishment=two"):
        monkeypatch.setenv("W", bad)
        with pytest.raises(ImproperEnv):
            env_weights("W", default)
