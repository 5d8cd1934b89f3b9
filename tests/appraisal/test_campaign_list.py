"""Issue 12, lists that scale: the public list of appraisal campaigns (评议) searches by number or
title and filters by where each stands (not open yet, open, closed, results published),
department and the day it opens (GET form; htmx gets the table alone); it pages by cursor
newest first without overlap or gap (it was cut at 50). Campaigns are public: a visitor, a
citizen and a township's supervisor find the same ones."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from appraisal.models import Campaign
from portal.organisation.models import Department
from tests.list_pages import HTMX, at, walk

pytestmark = pytest.mark.django_db
URL = "/appraisal/"
NUMBER = r'data-campaign="\d+"><td>(PY2026-\d+)</td>'


def campaign(world, number, title, *, department="MARKET", opens=None, days=10, status="running"):
    opens = opens or at(11, 2)
    return Campaign.objects.create(
        number=number, title=title, department=Department.objects.get(code=department), opens_at=opens,
        closes_at=opens + timedelta(days=days), status=status, created_by=world.supervisor, created_at=opens)


@pytest.fixture
def campaigns(world, travel):
    travel(2026, 11, 20, 10)
    return [
        campaign(world, "PY2026-0001", "市场监管民主评议", opens=at(10, 2), status="published"),
        campaign(world, "PY2026-0002", "住建窗口作风评议", department="HOUSING", opens=at(11, 3)),
        campaign(world, "PY2026-0003", "市场监管窗口评议", opens=at(11, 15)),
        campaign(world, "PY2026-0004", "乡镇便民服务评议", department="TOWN", opens=at(11, 25)),
    ]


def shown(client, **params) -> list[str]:
    return re.findall(NUMBER, client.get(URL, params).content.decode())


def test_anyone_searches_by_number_or_title(client, campaigns):
    assert shown(client) == ["PY2026-0004", "PY2026-0003", "PY2026-0002", "PY2026-0001"]
    assert shown(client, q="py2026-0002") == ["PY2026-0002"]
    assert shown(client, q="市场监管") == ["PY2026-0003", "PY2026-0001"]
    assert shown(client, q="PY2026-0099") == [] and shown(client, q="消防") == []


def test_state_department_and_day_opening_filter(client, campaigns):
    assert shown(client, state="upcoming") == ["PY2026-0004"]
    assert shown(client, state="open") == ["PY2026-0003"]
    assert shown(client, state="closed") == ["PY2026-0002"]
    assert shown(client, state="published") == ["PY2026-0001"]
    assert shown(client, department="MARKET") == ["PY2026-0003", "PY2026-0001"]
    assert shown(client, **{"from": "2026-11-03", "to": "2026-11-15"}) == ["PY2026-0003", "PY2026-0002"]
    part = client.get(URL, {"department": "HOUSING"}, **HTMX).content.decode()
    assert "<html" not in part and part.lstrip().startswith('<div id="campaign-results"')
    assert re.findall(NUMBER, part) == ["PY2026-0002"]


def test_campaigns_are_public_alike_to_everyone(world, client, campaigns):
    everything = shown(client)
    for person in (world.citizen, User.objects.get(username="supervisor_town"), world.head_market):
        client.force_login(person)
        assert shown(client) == everything and shown(client, state="published") == ["PY2026-0001"]


def test_pages_follow_one_another_newest_first(world, client, travel):
    travel(2026, 11, 20, 10)
    for i in range(7):
        campaign(world, f"PY2026-1{i:03d}", f"评议{i}", opens=at(11, 2, 8 + i))
    assert walk(client, URL + "?limit=3", NUMBER) == ([f"PY2026-1{i:03d}" for i in reversed(range(7))], 3)
