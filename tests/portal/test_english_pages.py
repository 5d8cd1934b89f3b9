"""English pages name departments and service items in English where they have an English name
(display_name), in tables, headings and the options of a form, and keep the official Chinese
names on Chinese pages; the switch back to Chinese is marked as Chinese."""

import re

import pytest

from portal.organisation.models import Department

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_the_staff_directory_names_departments_in_the_readers_language(client, world):
    english = _english(client).get("/staff/").content.decode()
    assert "Market Regulation Bureau</td>" in english and "市场监督管理局" not in english
    assert "Market Regulation Bureau" in _options(english, "department")
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get("/staff/").content.decode()
    assert "市场监督管理局</td>" in chinese and "Market Regulation Bureau" not in chinese


def test_forms_offer_departments_and_items_by_their_english_names(client, world):
    client.force_login(world.citizen)
    complaint = _english(client).get("/complaints/new/").content.decode()
    assert "Market Regulation Bureau" in _options(complaint, "department")
    assert not [o for o in _options(complaint, "department") if re.search(r"[\u4e00-\u9fff]", o)
                and Department.objects.filter(name=o).exclude(name_en="").exists()]
    ask = client.get("/inquiries/ask/").content.decode()
    assert "Market Regulation Bureau" in _options(ask, "department")
    client.force_login(world.window)
    intake = client.get("/window/intake/").content.decode()
    assert "Construction permit" in _options(intake, "service")
    assert "建筑工程施工许可" not in intake


def test_the_supervision_dashboard_and_ratings_read_in_english(client, world):
    client.force_login(world.supervisor)
    dashboard = _english(client).get("/supervision/").content.decode()
    assert ">Market Regulation Bureau</a>" in dashboard and "市场监督管理局" not in dashboard
    ratings = client.get("/evaluations/").content.decode()
    assert "建筑工程施工许可" not in ratings


def test_the_switch_back_to_chinese_is_marked_chinese(client, world):
    page = _english(client).get("/").content.decode()
    assert '<html lang="en"' in page
    assert re.search(r'<button class="link" name="language" value="zh-hans" lang="zh-Hans">中文</button>', page)
