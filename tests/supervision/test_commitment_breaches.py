"""服务承诺制 counts in supervision (seed 003; issues 13 item 10 and 14 item 4): a substantiated
complaint naming the service commitment it says was broken counts as a breach of that
commitment for the department (and the official complained about, where one is named), in the
department and official figures, the 绩效考评 score, the dashboard, the monthly report and the
API; a complaint without a commitment, or not substantiated, is no breach."""

import csv
import io

import pytest
from django.contrib.auth.models import User

from tests.complaints.conftest import file_complaint, steps  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2026-11-01", "to": "2026-11-30"}


@pytest.fixture
def breaches(world, travel, settings, file_complaint, steps):  # noqa: F811
    """November: the county clerk (badge C0101, window 01) broke his post's attitude commitment,
    substantiated; a second complaint about him names none; a third names the commitment but is
    unsubstantiated; MKT-002's quality commitment was broken (no official named)."""
    settings.ASSESSMENT_WEIGHTS = {**settings.ASSESSMENT_WEIGHTS, "case_opened": 3, "commitment_breach": 5}
    travel(2026, 11, 4, 10)
    steps.through_reply(file_complaint(commitment="W-CITY-01-A1"))
    steps.through_reply(file_complaint())
    steps.through_reply(file_complaint(commitment="W-CITY-01-A1"), finding="unsubstantiated")
    steps.through_reply(file_complaint(staff_badge="", department="MARKET", category="other",
                                       description="食品经营许可办理质量未达承诺。", commitment="MKT-002-Q1"))
    travel(2026, 11, 20, 10)


def _departments(api, user):
    return {r["department"]: r for r in api(user).get("/api/stats/departments/", PERIOD).json()["results"]}


def test_a_substantiated_complaint_naming_a_commitment_counts_as_a_breach(world, api, breaches):
    rows = _departments(api, world.supervisor)
    center, market = rows["CENTER"], rows["MARKET"]
    assert (center["complaints_substantiated"], center["commitment_breaches"]) == (2, 1)
    assert (market["complaints_substantiated"], market["commitment_breaches"]) == (1, 1)
    assert rows["ENV"]["commitment_breaches"] == 0
    official = api(world.supervisor).get("/api/stats/officials/window/", PERIOD).json()
    assert (official["complaints_substantiated"], official["commitment_breaches"]) == (2, 1)


def test_a_breach_takes_its_weight_off_the_assessment_score(world, api, breaches):
    rows = _departments(api, world.supervisor)
    # Two substantiated complaints against the clerk opened two cases (3 points each), one broke a commitment (5).
    assert rows["CENTER"]["cases_opened"] == 2 and rows["CENTER"]["assessment_score"] == 100 - 2 * 3 - 5
    assert rows["MARKET"]["cases_opened"] == 0 and rows["MARKET"]["assessment_score"] == 100 - 5
    assert api(world.supervisor).get("/api/stats/officials/window/", PERIOD).json()["assessment_score"] == 89


def test_the_dashboard_and_the_official_page_show_the_breaches(world, client, breaches):
    client.force_login(world.supervisor)
    page = client.get("/supervision/", PERIOD).content.decode()
    row = page.split('data-department="MARKET"')[1].split("</tr>")[0]
    assert '<td data-figure="commitment_breaches">1</td>' in row
    assert '<th data-figure="commitment_breaches">2</th>' in page
    assert "违反服务承诺" in page and 'data-weight="5"' in page
    page = client.get("/supervision/officials/window/", PERIOD).content.decode()
    assert '<dd data-figure="commitment_breaches">1</dd>' in page


def test_the_monthly_report_and_the_export_carry_the_breaches(world, api, client, travel, breaches):
    client.force_login(world.supervisor)
    rows = list(csv.DictReader(io.StringIO(
        client.get("/supervision/export.csv", PERIOD).content.decode("utf-8-sig"))))
    assert next(r for r in rows if r["部门代码"] == "MARKET")["违反服务承诺（属实）"] == "1"
    travel(2026, 12, 2, 10)
    report = api(world.supervisor).get("/api/stats/monthly-report/", {"month": "2026-11"}).json()
    assert next(r for r in report["departments"] if r["department"] == "MARKET")["commitment_breaches"] == 1


def test_a_township_supervisor_does_not_see_the_countys_breaches(world, api, breaches):
    rows = _departments(api, User.objects.get(username="supervisor_town"))
    assert "MARKET" not in rows and "CENTER" not in rows
