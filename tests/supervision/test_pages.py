"""The supervisor's dashboard, drill-down, CSV export and the public statistics."""

import csv
import io
import re

import pytest

from tests.supervision.conftest import PERIOD

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(client, world, travel):
    travel(2026, 11, 20, 10)
    client.force_login(world.supervisor)
    return client


def test_dashboard_shows_every_department_with_trend_charts(supervisor, november):
    page = supervisor.get("/supervision/", PERIOD).content.decode()
    assert 'data-department="MARKET"' in page and "60.0%" in page and "20.0%" in page
    assert page.count('<svg class="chart wide"') == page.count('<svg class="chart phone"') == 4
    assert page.count("<svg") == 8 and not re.search(r"<script(?![^>]*\bsrc=)", page), "charts need no script"
    assert "/supervision/departments/MARKET/stages/overdue/" in page


def test_department_page_lists_its_officials_and_cases(supervisor, november, world):
    page = supervisor.get("/supervision/departments/MARKET/", PERIOD).content.decode()
    assert 'data-official="reviewer_market"' in page and 'data-official="window"' in page
    assert 'data-figure="on_time_rate">60.0%' in page


def test_every_pair_of_figures_is_one_unbreakable_piece(supervisor, november):
    """"0 / 0" never breaks into "0 /" and "0" (static/css/portal.css: .pair is nowrap)."""
    from pathlib import Path

    from django.conf import settings

    for url in ("/supervision/", "/supervision/departments/MARKET/", "/supervision/officials/reviewer_market/",
                "/statistics/", "/statistics/MARKET/", "/supervision/reports/monthly/"):
        page = supervisor.get(url, PERIOD).content.decode()
        main = page.split("<main")[1].split("</main>")[0]
        pairs = re.findall(r'(<span class="pair">)?(?<![\d.%—-])([\d.%—-]+ / [\d.%—-]+)', main)
        loose = [text for span, text in pairs if not span]
        assert not loose, f"{url}: {loose}"
        assert '<span class="pair">' in main, url
    officials = supervisor.get("/supervision/departments/MARKET/", PERIOD).content.decode().split('id="officials"')[1]
    row = officials.split('data-official="reviewer_market"')[1].split("</tr>")[0]
    assert row.count('<span class="pair">') == 3
    css = (Path(settings.BASE_DIR) / "static/css/portal.css").read_text()
    assert re.search(r"(^|\n)\.pair \{ white-space:nowrap; \}", css)


def test_drill_down_leads_to_the_applications(supervisor, november):
    s = november
    overdue = supervisor.get("/supervision/departments/MARKET/stages/overdue/").content.decode()
    assert f'/applications/{s["S6"].application_id}/' in overdue and f'data-stage="{s["S7"].pk}"' not in overdue
    deemed = supervisor.get("/supervision/departments/MARKET/stages/deemed/", PERIOD).content.decode()
    assert f'data-stage="{s["S4"].pk}"' in deemed and f'data-stage="{s["S1"].pk}"' not in deemed
    late = supervisor.get("/supervision/departments/MARKET/stages/late/", PERIOD).content.decode()
    assert f'data-stage="{s["S2"].pk}"' in late and f'data-stage="{s["S1"].pk}"' not in late
    assert supervisor.get("/supervision/departments/MARKET/stages/nope/").status_code == 404


def test_alert_list_filters_by_department_and_level(supervisor, november):
    page = supervisor.get("/supervision/alerts/", {**PERIOD, "department": "MARKET", "level": "red"})
    body = page.content.decode()
    assert body.count("data-alert=") == 1 and f'/applications/{november["S6"].application_id}/' in body


def test_official_page(supervisor, november):
    page = supervisor.get("/supervision/officials/reviewer_market/", PERIOD).content.decode()
    assert 'data-figure="decided">3' in page and f'/applications/{november["S6"].application_id}/' in page


def test_csv_export_per_department_and_per_official(supervisor, november, world):
    response = supervisor.get("/supervision/export.csv", PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    market = next(r for r in rows if r["部门代码"] == "MARKET")
    assert (market["办结环节数"], market["按时办结率"], market["超期默许"]) == ("5", "0.6", "1")
    assert (market["满意率"], market["红牌数"], market["部门"]) == ("0.6667", "1", "市场监督管理局")
    response = supervisor.get("/supervision/export.csv", {**PERIOD, "by": "officials"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["工号"] for r in rows} == {world.reviewer_market.staff_profile.badge, world.window.staff_profile.badge,
                                         world.reviewer_housing.staff_profile.badge}
    assert not re.search(r"[a-z]+_[a-z]+", text), "no snake_case header, code or user name in the CSV"


def test_a_department_head_lands_on_his_department(client, world, november, travel):
    travel(2026, 11, 20, 10)
    client.force_login(world.head_market)
    response = client.get("/supervision/")
    assert response.status_code == 302 and response["Location"] == "/supervision/departments/MARKET/"
    assert client.get("/supervision/departments/HOUSING/").status_code == 404
    rows = list(csv.DictReader(io.StringIO(client.get("/supervision/export.csv", PERIOD).content.decode("utf-8-sig"))))
    assert [r["部门代码"] for r in rows] == ["MARKET"]


def test_others_may_not_open_the_dashboard(client, world):
    client.force_login(world.reviewer_market)
    assert client.get("/supervision/").status_code == 403
    client.force_login(world.citizen)
    assert client.get("/supervision/export.csv").status_code == 403
    client.logout()
    assert client.get("/supervision/").status_code == 302


def test_public_statistics_show_departments_without_officials(client, world, november, travel):
    travel(2026, 11, 20, 10)
    page = client.get("/statistics/", PERIOD).content.decode()
    assert 'data-department="MARKET"' in page and "60.0%" in page
    assert "reviewer_market" not in page and world.reviewer_market.first_name not in page
    detail = client.get("/statistics/MARKET/", PERIOD).content.decode()
    assert "<svg" in detail and world.reviewer_market.first_name not in detail
    assert client.get("/statistics/DISCIPLINE/").status_code == 404


def test_header_links_by_role(client, world):
    client.force_login(world.supervisor)
    page = client.get("/").content.decode()
    assert 'href="/supervision/"' in page and 'href="/accountability/cases/"' in page
    client.force_login(world.reviewer_market)
    page = client.get("/").content.decode()
    assert 'href="/supervision/"' not in page and 'href="/accountability/cases/"' in page
    client.force_login(world.citizen)
    page = client.get("/").content.decode()
    assert 'href="/accountability/cases/"' not in page and 'href="/statistics/"' in page
