"""Issue 12, lists that scale: the proposals of 问责延伸 (accountability extended to leaders) search
by proposal number or the subject's badge and filter by department, the leader proposed against
and the day proposed, within the status tab (GET form; htmx gets the table alone); they page by
cursor newest first without overlap or gap (they were cut at 100), and each case worker finds
only the proposals of the departments within his reach."""

import re

import pytest
from django.contrib.auth.models import User

from accountability.models import EscalationProposal
from portal.organisation.models import Department
from tests.list_pages import HTMX, at, walk

pytestmark = pytest.mark.django_db
URL = "/accountability/proposals/"
NUMBER = r'data-proposal="\d+"><td>(WZ2026-\d+)</td>'


def proposal(number, subject, *, department="MARKET", role="leader_in_charge", proposed=None, status="proposed"):
    proposed = proposed or at(11, 2)
    return EscalationProposal.objects.create(
        number=number, department=Department.objects.get(code=department), subject=subject, subject_role=role,
        status=status, proposed_at=proposed, window_start=proposed.replace(year=2025), case_count=3)


@pytest.fixture
def proposals(world, travel):
    travel(2026, 11, 20, 10)
    return [
        proposal("WZ2026-000001", world.head_market, proposed=at(10, 12)),
        proposal("WZ2026-000002", world.head_housing, department="HOUSING", role="principal", proposed=at(11, 3)),
        proposal("WZ2026-000003", world.head_market, proposed=at(11, 5), status="dismissed"),
        proposal("WZ2026-000004", User.objects.get(username="manager_town"), department="TOWN", proposed=at(11, 9)),
    ]


def shown(client, **params) -> list[str]:
    return re.findall(NUMBER, client.get(URL, params).content.decode())


def test_the_tab_holds_its_status_and_the_search_finds_by_number_or_badge(world, client, proposals):
    client.force_login(world.discipline)
    assert shown(client) == ["WZ2026-000004", "WZ2026-000002", "WZ2026-000001"]
    assert shown(client, status="dismissed") == ["WZ2026-000003"]
    assert shown(client, q="wz2026-000002") == ["WZ2026-000002"]
    assert shown(client, q=world.head_market.staff_profile.badge.lower()) == ["WZ2026-000001"]
    assert shown(client, q=world.head_market.staff_profile.badge, status="dismissed") == ["WZ2026-000003"]
    assert shown(client, q="WZ2026-000099") == []


def test_department_leader_and_day_proposed_filter(world, client, proposals):
    client.force_login(world.discipline)
    assert shown(client, department="HOUSING") == ["WZ2026-000002"]
    assert shown(client, subject_role="principal") == ["WZ2026-000002"]
    assert shown(client, subject_role="leader_in_charge") == ["WZ2026-000004", "WZ2026-000001"]
    assert shown(client, **{"from": "2026-11-03", "to": "2026-11-09"}) == ["WZ2026-000004", "WZ2026-000002"]
    assert shown(client, **{"from": "2026-11-04", "to": "2026-11-08"}) == []
    part = client.get(URL, {"department": "MARKET"}, **HTMX).content.decode()
    assert "<html" not in part and part.lstrip().startswith('<div id="proposal-results"')
    assert re.findall(NUMBER, part) == ["WZ2026-000001"]
    # The filter form carries the tab along.
    assert 'name="status" value="dismissed"' in client.get(URL, {"status": "dismissed"}).content.decode()


def test_each_case_worker_finds_only_the_proposals_within_his_reach(world, client, proposals):
    client.force_login(User.objects.get(username="supervisor_town"))
    assert shown(client) == ["WZ2026-000004"]
    assert shown(client, q="WZ2026-000001") == [] and shown(client, department="MARKET") == []
    client.force_login(world.supervisor)
    assert shown(client) == ["WZ2026-000004", "WZ2026-000002", "WZ2026-000001"]
    for outsider in (world.head_market, world.reviewer_market, world.citizen):
        client.force_login(outsider)
        assert client.get(URL, {"q": "WZ2026-000001"}).status_code == 403


def test_pages_follow_one_another_newest_first(world, client, travel):
    travel(2026, 11, 20, 10)
    for i in range(7):
        proposal(f"WZ2026-1{i:05d}", world.head_market, proposed=at(11, 2, 8 + i))
    client.force_login(world.discipline)
    assert walk(client, URL + "?limit=3", NUMBER) == ([f"WZ2026-1{i:05d}" for i in reversed(range(7))], 3)
