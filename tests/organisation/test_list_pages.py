"""Issue 12, lists that scale: the public staff directory (挂牌上岗) and the A/B posts page (AB岗)
page by badge 50 a page without overlap or gap; the posts page searches by badge or name and
filters by department and duty (GET form; htmx gets the table alone); a head finds only his
department's posts, a supervisor those within his reach, and the B post offered is any colleague
of the department, whatever page he is on."""

import re

import pytest
from django.contrib.auth.models import User

from portal.organisation.models import Department, StaffProfile
from tests.list_pages import walk

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
BADGE = r'<tr data-badge="([^"]+)"'
USERNAME = r'<tr data-username="([^"]+)"'


def official(username, badge, department, **fields):
    user = User.objects.create_user(username, password="x", first_name=f"员工{badge}")
    return StaffProfile.objects.create(user=user, badge=badge, department=Department.objects.get(code=department),
                                       **fields)


def test_the_directory_pages_through_every_official_by_badge(world, client):
    for i in range(7):
        official(f"extra{i}", f"Z{i:04d}", "MARKET")
    everyone = sorted(StaffProfile.objects.filter(user__is_active=True).values_list("badge", flat=True))
    assert walk(client, "/staff/?limit=5", BADGE)[0] == everyone
    assert walk(client, "/staff/?q=Z00&limit=3", BADGE)[0] == [f"Z{i:04d}" for i in range(7)]
    page = client.get("/staff/", {"q": "Z0003"}).content.decode()
    assert re.findall(BADGE, page) == ["Z0003"] and 'rel="next"' not in page


def test_the_head_searches_and_filters_his_posts(world, client):
    official("market_a", "M9001", "MARKET", on_duty=False)
    official("market_b", "M9002", "MARKET", absent=True)
    official("housing_a", "H9001", "HOUSING")
    client.force_login(world.head_market)
    shown = lambda **params: re.findall(USERNAME, client.get("/staff/posts/", params).content.decode())  # noqa: E731
    assert "market_a" in shown() and "housing_a" not in shown()
    assert shown(q="M9001") == ["market_a"]
    assert shown(q="H9001") == [] and shown(department="HOUSING") == []
    assert shown(state="absent") == ["market_b"]
    assert "market_a" in shown(state="off_duty") and "market_b" not in shown(state="off_duty")
    assert "market_a" not in shown(state="on_duty")
    part = client.get("/staff/posts/", {"q": "M9002"}, **HTMX).content.decode()
    assert "<html" not in part and part.lstrip().startswith('<div id="post-results"')
    assert re.findall(USERNAME, part) == ["market_b"]


def test_the_posts_page_pages_and_offers_every_colleague_as_b_post(world, client):
    for i in range(7):
        official(f"market{i}", f"M8{i:03d}", "MARKET")
    client.force_login(world.head_market)
    mine = sorted(StaffProfile.objects.filter(department__code="MARKET").values_list("user__username", "badge"),
                  key=lambda row: row[1])
    assert walk(client, "/staff/posts/?limit=3", USERNAME)[0] == [username for username, _ in mine]
    first = client.get("/staff/posts/", {"limit": 3}).content.decode()
    row = re.search(r'<tr data-username="market0".*?</tr>', first, re.S).group(0)
    offered = set(re.findall(r'<option value="([^"]+)"', row)) - {""}
    assert offered == {username for username, _ in mine} - {"market0"}


def test_a_supervisor_finds_the_posts_within_his_reach_only(world, client):
    official("housing_a", "H9001", "HOUSING")
    client.force_login(world.supervisor)
    assert re.findall(USERNAME, client.get("/staff/posts/", {"q": "H9001"}).content.decode()) == ["housing_a"]
    client.force_login(User.objects.get(username="supervisor_town"))
    assert re.findall(USERNAME, client.get("/staff/posts/", {"q": "H9001"}).content.decode()) == []
    client.force_login(world.reviewer_market)
    assert client.get("/staff/posts/", {"q": "H9001"}).status_code == 403
