"""Issue 12, lists that scale: the key projects (重点项目) search by code, name or enterprise,
filter by green channel and the day designated (GET form; htmx gets the table alone), page by
cursor in code order without overlap or gap, and list only the projects the person may see: a
manager his own, a supervisor those of his center and the centers under it."""

import re
from datetime import datetime

import pytest
from django.contrib.auth.models import User

from approvals import referrals
from projects.models import KeyProject
from tests.conftest import SHANGHAI
from tests.list_pages import walk

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "/projects/"
CODE = r'data-project="([^"]+)"'


def at(month, day):
    return datetime(2026, month, day, 10, tzinfo=SHANGHAI)


def project(code, name, enterprise, *, center, manager, active=True, designated=None):
    return KeyProject.objects.create(code=code, name=name, enterprise=enterprise, center=center, manager=manager,
                                     stage_days=5, active=active, designated_at=designated or at(11, 2))


@pytest.fixture
def projects(world, travel):
    travel(2026, 11, 20, 10)
    KeyProject.objects.all().delete()
    county = referrals.center_of(world.supervisor)
    town = User.objects.get(username="supervisor_town")
    manager, town_manager = User.objects.get(username="manager_project"), User.objects.get(username="manager_town")
    return [
        project("KP-2026-101", "光伏产业园", "阳光能源有限公司", center=county, manager=manager, designated=at(10, 12)),
        project("KP-2026-102", "物流园二期", "顺达物流有限公司", center=county, manager=manager, active=False,
                designated=at(11, 3)),
        project("KP-2026-103", "镇卫生院扩建", "镇卫生院", center=referrals.center_of(town), manager=town_manager,
                designated=at(11, 5)),
    ]


def shown(client, **params) -> list[str]:
    return re.findall(CODE, client.get(URL, params).content.decode())


def test_the_supervisor_searches_by_code_name_or_enterprise(world, client, projects):
    client.force_login(world.supervisor)
    assert shown(client) == ["KP-2026-101", "KP-2026-102", "KP-2026-103"]
    assert shown(client, q="kp-2026-102") == ["KP-2026-102"]
    assert shown(client, q="光伏") == ["KP-2026-101"]
    assert shown(client, q="物流有限") == ["KP-2026-102"]
    assert shown(client, q="KP-2026-999") == []


def test_green_channel_and_day_designated_filter(world, client, projects):
    client.force_login(world.supervisor)
    assert shown(client, channel="off") == ["KP-2026-102"]
    assert shown(client, channel="on") == ["KP-2026-101", "KP-2026-103"]
    assert shown(client, **{"from": "2026-11-03", "to": "2026-11-05"}) == ["KP-2026-102", "KP-2026-103"]
    part = client.get(URL, {"channel": "off"}, **HTMX).content.decode()
    assert "<html" not in part and part.lstrip().startswith('<div id="project-results"')
    assert re.findall(CODE, part) == ["KP-2026-102"]


def test_each_person_finds_only_the_projects_he_may_see(world, client, projects):
    client.force_login(User.objects.get(username="supervisor_town"))
    assert shown(client) == ["KP-2026-103"] and shown(client, q="光伏") == []
    client.force_login(User.objects.get(username="manager_project"))
    assert shown(client) == ["KP-2026-101", "KP-2026-102"] and shown(client, q="KP-2026-103") == []
    for outsider in (world.window, world.reviewer_market, world.citizen):
        client.force_login(outsider)
        assert shown(client) == [] and shown(client, q="KP-2026-101") == []


def test_pages_follow_one_another_in_code_order(world, client, travel):
    travel(2026, 11, 20, 10)
    county, manager = referrals.center_of(world.supervisor), User.objects.get(username="manager_project")
    for i in range(7):
        project(f"KP-2027-{i:03d}", f"园区{i}", "企业", center=county, manager=manager)
    client.force_login(world.supervisor)
    assert walk(client, URL + "?q=%E5%9B%AD%E5%8C%BA&limit=3", CODE) == ([f"KP-2027-{i:03d}" for i in range(7)], 3)
