"""Issue 12, lists that scale: the pre-review queue (预审) searches by application number or
applicant, filters by service item, alert and the day requested (GET form; htmx gets the table
alone), pages by cursor oldest first without overlap or gap, and lists only what the person
may answer: the window every item's, a reviewer his department's."""

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import Application, Status
from portal.catalogue.models import ServiceItem
from projects.models import PreReview
from tests.conftest import SHANGHAI
from tests.list_pages import walk

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "/pre-reviews/"
NUMBER = r">(SQ2026\d+)</a>"


def at(month, day, hour=10):
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def pre_review(world, number, *, service="MKT-002", name="陈民", requested=None, alert="none"):
    requested = requested or at(11, 2)
    application = Application.objects.create(
        service=ServiceItem.objects.get(code=service), status=Status.DRAFT, number=number, applicant=world.citizen,
        applicant_name=name, applicant_id_number="11010519491231002X", created_by=world.citizen, created_at=requested)
    return PreReview.objects.create(application=application, requested_by=world.citizen, requested_at=requested,
                                    due_at=requested + timedelta(days=3), alert=alert)


@pytest.fixture
def reviews(world, travel):
    travel(2026, 11, 20, 10)
    return [
        pre_review(world, "SQ2026000001", requested=at(10, 12)),
        pre_review(world, "SQ2026000002", service="HSG-002", name="王五", requested=at(11, 3), alert="red"),
        pre_review(world, "SQ2026000003", requested=at(11, 5), alert="yellow"),
        pre_review(world, "SQ2026000004", service="HSG-002", requested=at(11, 9)),
    ]


def shown(client, **params) -> list[str]:
    return re.findall(NUMBER, client.get(URL, params).content.decode())


def test_the_window_searches_by_application_number_or_applicant(world, client, reviews):
    client.force_login(world.window)
    assert shown(client) == ["SQ2026000001", "SQ2026000002", "SQ2026000003", "SQ2026000004"]
    assert shown(client, q="sq2026000003") == ["SQ2026000003"]
    assert shown(client, q="王五") == ["SQ2026000002"]
    assert shown(client, q="SQ2026000099") == []


def test_service_item_alert_and_day_requested_filter(world, client, reviews):
    client.force_login(world.window)
    assert shown(client, service="HSG-002") == ["SQ2026000002", "SQ2026000004"]
    assert shown(client, alert="red") == ["SQ2026000002"]
    assert shown(client, **{"from": "2026-11-03", "to": "2026-11-05"}) == ["SQ2026000002", "SQ2026000003"]
    assert shown(client, service="HSG-002", alert="yellow") == []
    part = client.get(URL, {"alert": "yellow"}, **HTMX).content.decode()
    assert "<html" not in part and part.lstrip().startswith('<div id="pre-review-results"')
    assert re.findall(NUMBER, part) == ["SQ2026000003"]


def test_a_reviewer_finds_only_his_departments_pre_reviews(world, client, reviews):
    client.force_login(world.reviewer_housing)
    assert shown(client) == ["SQ2026000002", "SQ2026000004"]
    assert shown(client, q="SQ2026000001") == []
    assert shown(client, service="MKT-002") == []
    client.force_login(world.citizen)
    assert shown(client) == [] and shown(client, q="SQ2026000001") == []


def test_pages_follow_one_another_and_nothing_counts_the_table(world, client, travel):
    travel(2026, 11, 20, 10)
    numbers = [pre_review(world, f"SQ2026{i:06d}", requested=at(11, 2 + i // 4, 8 + i % 4)).application.number
               for i in range(7)]
    client.force_login(world.window)
    with CaptureQueriesContext(connection) as queries:
        assert walk(client, URL + "?limit=3", NUMBER) == (numbers, 3)
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "prereview" in q["sql"]]
