"""Issue 12, lists that scale: on the attendance page one's own leave requests (the latest
first) and the leave of others to decide (the soonest first) each page by their own cursor
without overlap or gap (they were cut at 20 and 50); the leave to decide searches by the
official's badge or name and filters by department and first day (GET form; htmx gets the
list it targets alone); a head finds only his department's, a township's supervisor only his
township's, an official without a post to manage none."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import User

from attendance.models import LeaveRequest
from tests.list_pages import HTMX, at, walk

pytestmark = pytest.mark.django_db
URL = "/attendance/"
REASON = r"(事由\d+)"


def leave(user, reason, first, *, days=1, status="requested"):
    return LeaveRequest.objects.create(user=user, reason=reason, first_day=first, last_day=date.fromordinal(
        first.toordinal() + days - 1), status=status, requested_at=at(11, 2))


def table(page: str, table_id: str) -> str:
    found = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S)
    return found.group(0) if found else ""


def to_decide(page: str) -> list[str]:
    return re.findall(REASON, table(page, "leave-to-decide"))


def mine(page: str) -> list[str]:
    return re.findall(REASON, table(page, "my-leave"))


@pytest.fixture
def requests(world, travel):
    travel(2026, 11, 20, 10)
    town = User.objects.get(username="window_town")
    return [
        leave(world.reviewer_market, "事由01", date(2026, 11, 23)),
        leave(world.reviewer_housing, "事由02", date(2026, 11, 24), days=2),
        leave(town, "事由03", date(2026, 11, 25)),
        leave(world.reviewer_market, "事由04", date(2026, 11, 26), status="approved"),
        leave(world.window, "事由05", date(2026, 11, 27)),
    ]


def shown(client, **params) -> list[str]:
    return to_decide(client.get(URL, params).content.decode())


def test_the_leave_to_decide_searches_by_badge_or_name(world, client, requests):
    client.force_login(world.supervisor)
    assert shown(client) == ["事由01", "事由02", "事由03", "事由05"]
    assert shown(client, q=world.reviewer_housing.staff_profile.badge) == ["事由02"]
    assert shown(client, q=world.reviewer_market.first_name) == ["事由01"]
    assert shown(client, q="无此人") == []


def test_department_and_first_day_filter_and_htmx_gets_the_list_it_targets(world, client, requests):
    client.force_login(world.supervisor)
    assert shown(client, department="HOUSING") == ["事由02"]
    assert shown(client, **{"from": "2026-11-24", "to": "2026-11-25"}) == ["事由02", "事由03"]
    part = client.get(URL, {"department": "MARKET"}, HTTP_HX_TARGET="leave-results", **HTMX).content.decode()
    assert "<html" not in part and part.lstrip().startswith('<div id="leave-results"')
    assert to_decide(part) == ["事由01"]
    client.force_login(world.reviewer_market)
    part = client.get(URL, HTTP_HX_TARGET="my-leave-results", **HTMX).content.decode()
    assert part.lstrip().startswith('<div id="my-leave-results"') and mine(part) == ["事由04", "事由01"]


def test_each_finds_only_the_leave_he_may_decide(world, client, requests):
    client.force_login(world.head_market)
    assert shown(client) == ["事由01"] and shown(client, department="HOUSING") == []
    assert 'id="leave-filters"' in client.get(URL, {"q": "无此人"}).content.decode()
    client.force_login(User.objects.get(username="supervisor_town"))
    assert shown(client) == ["事由03"] and shown(client, q=world.reviewer_market.staff_profile.badge) == []
    client.force_login(world.reviewer_market)
    page = client.get(URL, {"q": world.reviewer_housing.staff_profile.badge}).content.decode()
    assert to_decide(page) == [] and mine(page) == ["事由04", "事由01"] and 'id="leave-filters"' not in page
    client.force_login(world.citizen)
    assert client.get(URL).status_code == 403


def test_each_list_pages_by_its_own_cursor(world, client, travel):
    travel(2026, 11, 20, 10)
    for i in range(7):
        leave(world.reviewer_market, f"事由1{i}", date(2026, 12, 1 + i))
        leave(world.head_market, f"事由2{i}", date(2026, 12, 1 + i))
    client.force_login(world.head_market)
    assert walk(client, URL + "?limit=3", to_decide) == ([f"事由1{i}" for i in range(7)], 3)
    assert walk(client, URL + "?limit=3", mine, param="mine_cursor") == (
        [f"事由2{i}" for i in reversed(range(7))], 3)
