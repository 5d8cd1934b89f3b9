"""Issue 12, lists that scale: the follow-ups of bad ratings (差评整改) and the bad ratings search
by application number and filter by handling unit and the day rated (GET form; htmx gets the
lists alone); each list pages by its own cursor without overlap or gap (they were cut at 200 and
100); a unit finds only its own, a township supervisor only his township's."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User

from approvals.models import Application, Status
from complaints.models import Evaluation, FollowUp
from portal.catalogue.models import ServiceItem
from portal.organisation.models import Department
from tests.conftest import SHANGHAI
from tests.list_pages import walk

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "/evaluations/follow-ups/"


def at(month, day, hour=10):
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def rated(world, number, *, department="MARKET", rated=None, follow_up=True):
    rated = rated or at(11, 2)
    application = Application.objects.create(
        service=ServiceItem.objects.get(code="MKT-001"), status=Status.APPROVED, number=number,
        applicant=world.citizen, applicant_name="陈民", applicant_id_number="11010519491231002X",
        created_by=world.window, created_at=rated)
    unit = Department.objects.get(code=department)
    evaluation = Evaluation.objects.create(application=application, service=application.service, department=unit,
                                           score=1, source="citizen", rated_at=rated)
    if follow_up:
        FollowUp.objects.create(evaluation=evaluation, department=unit, opened_at=rated,
                                due_at=rated + timedelta(days=5))
    return evaluation


def follow_ups(page: str) -> list[str]:
    return re.findall(r'data-follow-up="\d+">\s*<div><strong>(SQ\d+)</strong>', page)


def ratings(page: str) -> list[str]:
    return re.findall(r'data-evaluation="\d+">\s*<div><strong>(SQ\d+)</strong>', page)


@pytest.fixture
def rows(world, travel):
    travel(2026, 11, 20, 10)
    return [
        rated(world, "SQ2026000001", rated=at(10, 12)),
        rated(world, "SQ2026000002", department="HOUSING", rated=at(11, 3)),
        rated(world, "SQ2026000003", rated=at(11, 5)),
        rated(world, "SQ2026000004", department="TOWN", rated=at(11, 9)),
    ]


def test_the_supervisor_searches_and_filters_both_lists(world, client, rows):
    client.force_login(world.supervisor)
    page = client.get(URL).content.decode()
    assert follow_ups(page) == ["SQ2026000001", "SQ2026000002", "SQ2026000003", "SQ2026000004"]
    assert ratings(page) == ["SQ2026000004", "SQ2026000003", "SQ2026000002", "SQ2026000001"]
    page = client.get(URL, {"q": "sq2026000003"}).content.decode()
    assert follow_ups(page) == ratings(page) == ["SQ2026000003"]
    page = client.get(URL, {"department": "HOUSING"}).content.decode()
    assert follow_ups(page) == ratings(page) == ["SQ2026000002"]
    page = client.get(URL, {"from": "2026-11-03", "to": "2026-11-05"}).content.decode()
    assert follow_ups(page) == ["SQ2026000002", "SQ2026000003"]
    part = client.get(URL, {"department": "HOUSING"}, **HTMX).content.decode()
    assert "<html" not in part and part.lstrip().startswith('<div id="follow-up-results"')


def test_each_finds_only_what_he_may_see(world, client, rows):
    client.force_login(world.head_market)
    page = client.get(URL).content.decode()
    assert follow_ups(page) == ["SQ2026000001", "SQ2026000003"]
    assert follow_ups(client.get(URL, {"q": "SQ2026000002"}).content.decode()) == []
    client.force_login(User.objects.get(username="supervisor_town"))
    assert ratings(client.get(URL).content.decode()) == ["SQ2026000004"]
    client.force_login(world.citizen)
    assert client.get(URL).status_code == 403


def test_each_list_pages_by_its_own_cursor(world, client, travel):
    travel(2026, 11, 20, 10)
    for i in range(7):
        rated(world, f"SQ20261{i:05d}", rated=at(11, 2, 8 + i))
    client.force_login(world.head_market)
    assert walk(client, URL + "?limit=3", follow_ups) == ([f"SQ20261{i:05d}" for i in range(7)], 3)
    assert walk(client, URL + "?limit=3", ratings, param="ratings_cursor") == (
        [f"SQ20261{i:05d}" for i in reversed(range(7))], 3)
