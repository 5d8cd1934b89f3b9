"""Issue 12, lists that scale: the intermediary services running past their own limit (中介服务,
the supervisors' /intermediaries/ page) search by application number or applicant and filter by
intermediary service and the day due (GET form; htmx gets the list alone, the figures stay); they
page by cursor soonest due first without overlap or gap (they were cut at 200), and a township's
supervisor finds only those on applications taken in within his reach."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from approvals import referrals
from approvals.models import Application, IntermediaryStage, Status
from portal.catalogue.models import IntermediaryService, ServiceItem
from tests.list_pages import HTMX, at, walk

pytestmark = pytest.mark.django_db
URL = "/intermediaries/"
NUMBER = r'data-intermediary-stage="\d+"><td><a href="[^"]+">(SQ2026\d+)</a>'


def late(world, number, *, due, service="INT-001", name="陈民", status="running", clerk=None):
    clerk = clerk or world.window
    application = Application.objects.create(
        service=ServiceItem.objects.get(code="MKT-003"), status=Status.SUSPENDED, number=number,
        applicant=world.citizen, applicant_name=name, applicant_id_number="11010519491231002X",
        created_by=clerk, created_at=due - timedelta(days=10), intake_center=referrals.center_of(clerk))
    return IntermediaryStage.objects.create(
        application=application, service=IntermediaryService.objects.get(code=service), status=status, days=5,
        fee_amount=Decimal("300"), started_by=world.reviewer_market, started_at=due - timedelta(days=7), due_at=due,
        completed_at=due + timedelta(days=1) if status == "completed" else None)


@pytest.fixture
def stages(world, travel):
    travel(2026, 11, 20, 10)
    IntermediaryService.objects.create(code="INT-902", name="房屋测绘", kind="surveying", provider="测绘所", days=5,
                                       fee_basis="按面积")
    return [
        late(world, "SQ2026000001", due=at(10, 12)),
        late(world, "SQ2026000002", due=at(11, 3), service="INT-902", name="王五"),
        late(world, "SQ2026000003", due=at(11, 5), clerk=User.objects.get(username="window_town")),
        late(world, "SQ2026000004", due=at(11, 25)),  # still within its limit
        late(world, "SQ2026000005", due=at(11, 4), status="completed"),  # done, if late
    ]


def shown(client, **params) -> list[str]:
    return re.findall(NUMBER, client.get(URL, params).content.decode())


def test_the_supervisor_searches_by_application_number_or_applicant(world, client, stages):
    client.force_login(world.supervisor)
    assert shown(client) == ["SQ2026000001", "SQ2026000002", "SQ2026000003"]
    assert shown(client, q="sq2026000003") == ["SQ2026000003"]
    assert shown(client, q="王五") == ["SQ2026000002"]
    assert shown(client, q="SQ2026000004") == [] and shown(client, q="王") == []


def test_service_and_day_due_filter(world, client, stages):
    client.force_login(world.supervisor)
    assert shown(client, service="INT-902") == ["SQ2026000002"]
    assert shown(client, service="INT-001") == ["SQ2026000001", "SQ2026000003"]
    assert shown(client, **{"from": "2026-11-01", "to": "2026-11-04"}) == ["SQ2026000002"]
    part = client.get(URL, {"service": "INT-902"}, **HTMX).content.decode()
    assert "<html" not in part and part.lstrip().startswith('<div id="late-intermediary-results"')
    assert re.findall(NUMBER, part) == ["SQ2026000002"] and "intermediary-figures" not in part
    assert 'id="intermediary-figures"' in client.get(URL, {"service": "INT-902"}).content.decode()


def test_each_finds_only_the_intermediaries_within_his_reach(world, client, stages):
    client.force_login(User.objects.get(username="supervisor_town"))
    assert shown(client) == ["SQ2026000003"] and shown(client, q="SQ2026000001") == []
    client.force_login(world.discipline)
    assert shown(client) == ["SQ2026000001", "SQ2026000002", "SQ2026000003"]
    for outsider in (world.reviewer_market, world.window, world.citizen):
        client.force_login(outsider)
        assert client.get(URL, {"q": "SQ2026000001"}).status_code == 403


def test_pages_follow_one_another_soonest_due_first(world, client, travel):
    travel(2026, 11, 20, 10)
    for i in range(7):
        late(world, f"SQ20261{i:05d}", due=at(11, 2, 8 + i))
    client.force_login(world.supervisor)
    assert walk(client, URL + "?limit=3", NUMBER) == ([f"SQ20261{i:05d}" for i in range(7)], 3)
