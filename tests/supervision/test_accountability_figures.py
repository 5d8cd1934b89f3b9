"""绩效考评 counts accountability: substantiated complaints and cases with their sanctions
enter the department and official figures; an official's page shows his record over time.
Also issue 12: a substantiated complaint against the window clerk (whose office, CENTER,
serves no catalogue item) shows on the dashboard and in the per-official CSV; a case is
not shown as final (办结) while its appeal period is open; alerts are named in words."""

import csv
import io

import pytest

from accountability.models import AccountabilityCase
from tests.accountability.conftest import decided
from tests.approvals.helpers import accepted
from tests.complaints.conftest import file_complaint, steps  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2026-11-01", "to": "2026-11-30"}


@pytest.fixture
def clerk_complaint(world, travel, file_complaint, steps):  # noqa: F811
    """A complaint against the window clerk (badge C0101), concluded substantiated on 2026-11-10."""
    travel(2026, 11, 9, 10)
    complaint = file_complaint()
    steps.accept(complaint)
    steps.assign(complaint)
    travel(2026, 11, 10, 10)
    steps.conclude(complaint, "substantiated")
    travel(2026, 11, 20, 10)
    return complaint


def test_a_substantiated_complaint_against_the_clerk_counts_on_the_dashboard(world, client, clerk_complaint):
    client.force_login(world.supervisor)
    page = client.get("/supervision/", PERIOD).content.decode()
    assert 'data-department="CENTER"' in page
    row = page.split('data-department="CENTER"')[1].split("</tr>")[0]
    assert '<td data-figure="complaints_substantiated">1</td>' in row
    assert '<th data-figure="complaints_substantiated">1</th>' in page


def test_a_partly_substantiated_complaint_counts_too(world, api, travel, file_complaint, steps):  # noqa: F811
    travel(2026, 11, 9, 10)
    complaint = file_complaint()
    steps.accept(complaint)
    steps.assign(complaint)
    steps.conclude(complaint, "partly")
    body = api(world.supervisor).get("/api/stats/departments/", PERIOD).json()
    center = next(r for r in body["results"] if r["department"] == "CENTER")
    assert (center["complaints_substantiated"], center["cases_opened"]) == (1, 1)


def test_the_per_official_csv_carries_the_complaint_and_the_case(world, client, clerk_complaint):
    client.force_login(world.supervisor)
    response = client.get("/supervision/export.csv", {**PERIOD, "by": "officials"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    clerk = next(r for r in rows if r["工号"] == "C0101")
    assert (clerk["属实投诉"], clerk["部门"]) == ("1", "政务服务中心管理办公室")
    assert clerk["问责立案数"] == "1"


def test_cases_and_sanctions_enter_department_and_official_figures(world, api, client, travel, clerk_complaint):
    case = AccountabilityCase.objects.get(subject=world.window)
    travel(2026, 11, 12, 10)
    decided(api, world, case, sanction="admonishment")
    other = AccountabilityCase.objects.create(
        number="ZR-T1", subject=world.window, subject_role="direct", source="referral", source_ref="X1",
        department=case.department, opened_at=case.opened_at, status="final", sanction="no_fault")
    assert other.pk
    supervisor = api(world.supervisor)
    center = next(r for r in supervisor.get("/api/stats/departments/", PERIOD).json()["results"]
                  if r["department"] == "CENTER")
    assert (center["cases_opened"], center["sanctions"]) == (2, 1)
    official = supervisor.get("/api/stats/officials/window/", PERIOD).json()
    assert (official["cases_opened"], official["sanctions"], official["complaints_substantiated"]) == (2, 1, 1)
    october = supervisor.get("/api/stats/officials/window/", {"from": "2026-10-01", "to": "2026-10-31"}).json()
    assert (october["cases_opened"], october["sanctions"]) == (0, 0)
    client.force_login(world.supervisor)
    page = client.get("/supervision/departments/CENTER/", PERIOD).content.decode()
    row = page.split('data-official="window"')[1].split("</tr>")[0]
    assert '<td data-figure="cases"><span class="pair">2 / 1</span></td>' in row


def test_an_upheld_appeal_to_no_fault_removes_the_sanction(world, api, travel, clerk_complaint):
    case = AccountabilityCase.objects.get(subject=world.window)
    decided(api, world, case, sanction="efficiency_warning")
    assert api(world.window).post(f"/api/accountability/cases/{case.pk}/appeal/", {"grounds": "当日系统故障。"},
                                  format="json").status_code == 200
    assert api(world.discipline).post(f"/api/accountability/cases/{case.pk}/resolve-appeal/", {"upheld": True},
                                      format="json").status_code == 200
    official = api(world.supervisor).get("/api/stats/officials/window/", PERIOD).json()
    assert (official["cases_opened"], official["sanctions"]) == (1, 0)


def test_the_officials_page_shows_his_record_month_by_month(world, api, client, travel, clerk_complaint):
    case = AccountabilityCase.objects.get(subject=world.window)
    decided(api, world, case, sanction="efficiency_warning")
    body = api(world.supervisor).get("/api/stats/officials/window/").json()
    assert len(body["history"]) == 12
    november = next(h for h in body["history"] if h["month"] == "2026-11")
    assert (november["cases_opened"], november["sanctions"], november["complaints_substantiated"]) == (1, 1, 1)
    assert [c["number"] for c in body["cases"]] == [case.number]
    assert body["complaints_substantiated_list"][0]["number"] == clerk_complaint["number"]
    client.force_login(world.supervisor)
    page = client.get("/supervision/officials/window/").content.decode()
    row = page.split('data-month="2026-11"')[1].split("</tr>")[0]
    assert '<td data-figure="complaints_substantiated">1</td>' in row
    assert '<td data-figure="sanctions">1</td>' in row
    assert 'data-complaint="' in page


def test_a_case_is_not_shown_final_while_its_appeal_period_is_open(world, api, client, travel, clerk_complaint):
    case = AccountabilityCase.objects.get(subject=world.window)
    decided(api, world, case, sanction="efficiency_warning")
    assert api(world.discipline).get(f"/api/accountability/cases/{case.pk}/").json()["appeal_open"] is True
    client.force_login(world.discipline)
    page = client.get(f"/accountability/cases/{case.pk}/").content.decode()
    assert "data-appeal-open" in page and "办结" not in page
    client.force_login(world.supervisor)
    assert "data-appeal-open" in client.get("/supervision/officials/window/").content.decode()
    travel(2026, 12, 31, 10)
    from portal.sweep import sweep
    sweep()
    client.force_login(world.discipline)
    page = client.get(f"/accountability/cases/{case.pk}/").content.decode()
    assert "data-appeal-open" not in page and 'data-status="final"' in page


def test_alert_cells_carry_words_not_only_colour(world, client, travel, build):
    from tests.supervision.conftest import at, end_of

    stage = build.stage(started=at(11, 2, 9), due=end_of(11, 16), status="claimed", assignee=world.reviewer_market)
    type(stage).objects.filter(pk=stage.pk).update(alert="red")
    travel(2026, 11, 20, 10)
    client.force_login(world.supervisor)
    for url in ("/supervision/departments/MARKET/stages/overdue/", "/supervision/officials/reviewer_market/"):
        page = client.get(url).content.decode()
        assert 'data-alert-word="red"' in page, url


def test_chart_labels_are_at_least_12_px(world, client, travel):
    import re

    travel(2026, 11, 20, 10)
    client.force_login(world.supervisor)
    page = client.get("/supervision/").content.decode()
    sizes = {int(s) for s in re.findall(r'<text[^>]*font-size="(\d+)"', page)}
    assert sizes and min(sizes) >= 12
    # Each chart is drawn for a desktop card and for a phone's card; the stylesheet shows the one
    # that fits (tests/browser/test_phone_folds.py looks at both in Chromium).
    assert page.count('<svg class="chart wide" viewBox="0 0 480 ') == page.count('<svg class="chart phone"') == 4
    css = client.get("/static/css/portal.css")
    text = b"".join(css.streaming_content).decode() if hasattr(css, "streaming_content") else css.content.decode()
    assert "@container (min-width: 470px)" in text


def test_the_monthly_report_counts_cases_and_sanctions_per_department(world, api, client, travel):
    from accountability.services import case_open

    travel(2026, 11, 3, 10)
    case = case_open(subject=world.reviewer_market, subject_role="direct", source="referral", source_ref="JB-9",
                     summary="拖延办理。")
    decided(api, world, case, sanction="efficiency_warning")
    travel(2026, 12, 2, 10)
    report = api(world.supervisor).get("/api/stats/monthly-report/", {"month": "2026-11"}).json()
    market = next(r for r in report["departments"] if r["department"] == "MARKET")
    assert (market["cases_opened"], market["sanctions"]) == (1, 1)
    lines = list(csv.DictReader(io.StringIO(api(world.supervisor).get(
        "/api/stats/monthly-report/csv/", {"month": "2026-11"}).content.decode("utf-8-sig"))))
    assert next(r for r in lines if r["部门代码"] == "MARKET")["问责处分数"] == "1"
    client.force_login(world.supervisor)
    page = client.get("/supervision/reports/monthly/", {"month": "2026-11"}).content.decode()
    assert '<td data-figure="cases"><span class="pair">1 / 1</span></td>' in page


def _rated_on_site(world, api, score):
    """An application the window clerk took in and decided on the spot, rated by the citizen."""
    app = accepted(world, api, "MKT-002")
    assert api(world.window).post(f"/api/applications/{app['id']}/decide-on-site/", {"opinion": "当场核准"},
                                  format="json").status_code == 200
    rated = api(world.citizen).post(f"/api/applications/{app['id']}/evaluation/", {"score": score, "comment": "评价"},
                                    format="json")
    assert rated.status_code == 201, rated.json()


def test_the_record_puts_each_case_sanction_and_rating_in_its_own_month(world, api, client, travel, clerk_complaint):
    """The case is opened in November and sanctioned in December; one rating a month."""
    _rated_on_site(world, api, 5)
    travel(2026, 12, 2, 10)
    _rated_on_site(world, api, 1)
    decided(api, world, AccountabilityCase.objects.get(subject=world.window), sanction="admonishment")
    history = {h["month"]: h for h in api(world.supervisor).get("/api/stats/officials/window/").json()["history"]}
    assert list(history)[-2:] == ["2026-11", "2026-12"]
    figures = ("cases_opened", "sanctions", "complaints_substantiated", "evaluations", "satisfaction_rate")
    assert tuple(history["2026-11"][f] for f in figures) == (1, 0, 1, 1, 1.0)
    assert tuple(history["2026-12"][f] for f in figures) == (0, 1, 0, 1, 0.0)
    client.force_login(world.supervisor)
    page = client.get("/supervision/officials/window/").content.decode()
    november, december = (page.split(f'data-month="{m}"')[1].split("</tr>")[0] for m in ("2026-11", "2026-12"))
    assert '<td data-figure="cases_opened">1</td>' in november and '<td data-figure="sanctions">0</td>' in november
    assert '<td data-figure="sanctions">1</td>' in december and '<td data-figure="evaluations">1</td>' in december
    assert '<td data-figure="satisfaction_rate">100' in november and '<td data-figure="satisfaction_rate">0' in december
