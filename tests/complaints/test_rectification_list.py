"""Issue 12, lists that scale: the written explanations and rectification reports (书面说明和整改
报告) search by complaint number or the principal's badge, filter by state, department and the
day requested (GET form; htmx gets the table alone), page by cursor newest first without overlap
or gap, and list only the reports the person may see: the supervisors those of the departments
within their reach, a principal his own."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User

from complaints.models import Complaint, RectificationReport
from portal.organisation.models import Department
from tests.conftest import SHANGHAI
from tests.list_pages import walk

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "/complaints/rectification/"
NUMBER = r">(TS2026-\d+)</a>"


def at(month, day, hour=10):
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def report(number, principal, *, department="MARKET", requested=None, state="due"):
    requested = requested or at(11, 2)
    department = Department.objects.get(code=department)
    complaint = Complaint.objects.create(
        number=number, category="delay", description="拖延。", status="closed", department=department,
        filed_at=requested, accept_due_at=requested, finding="substantiated")
    return RectificationReport.objects.create(
        complaint=complaint, department=department, principal=principal, requested_at=requested,
        due_at=requested + timedelta(days=5), submitted_at=requested + timedelta(days=1) if state == "submitted" else None,
        overdue_at=requested + timedelta(days=6) if state == "overdue" else None)


@pytest.fixture
def reports(world, travel):
    travel(2026, 11, 20, 10)
    return [
        report("TS2026-000001", world.head_market, requested=at(10, 12)),
        report("TS2026-000002", world.head_housing, department="HOUSING", requested=at(11, 3), state="overdue"),
        report("TS2026-000003", world.head_market, requested=at(11, 5), state="submitted"),
        report("TS2026-000004", User.objects.get(username="manager_town"), department="TOWN", requested=at(11, 9)),
    ]


def shown(client, **params) -> list[str]:
    return re.findall(NUMBER, client.get(URL, params).content.decode())


def test_the_supervisor_searches_by_complaint_number_or_the_principals_badge(world, client, reports):
    client.force_login(world.supervisor)
    assert shown(client) == ["TS2026-000004", "TS2026-000003", "TS2026-000002", "TS2026-000001"]
    assert shown(client, q="ts2026-000003") == ["TS2026-000003"]
    assert shown(client, q=world.head_housing.staff_profile.badge.lower()) == ["TS2026-000002"]
    assert shown(client, q="TS2026-000099") == []


def test_state_department_and_day_requested_filter(world, client, reports):
    client.force_login(world.supervisor)
    assert shown(client, state="due") == ["TS2026-000004", "TS2026-000001"]
    assert shown(client, state="overdue") == ["TS2026-000002"]
    assert shown(client, state="submitted") == ["TS2026-000003"]
    assert shown(client, department="MARKET") == ["TS2026-000003", "TS2026-000001"]
    assert shown(client, **{"from": "2026-11-03", "to": "2026-11-05"}) == ["TS2026-000003", "TS2026-000002"]
    part = client.get(URL, {"state": "overdue"}, **HTMX).content.decode()
    assert "<html" not in part and part.lstrip().startswith('<div id="rectification-results"')
    assert re.findall(NUMBER, part) == ["TS2026-000002"]


def test_each_person_finds_only_the_reports_he_may_see(world, client, reports):
    client.force_login(User.objects.get(username="supervisor_town"))
    assert shown(client) == ["TS2026-000004"] and shown(client, q="TS2026-000001") == []
    client.force_login(world.head_market)
    assert shown(client) == ["TS2026-000003", "TS2026-000001"]
    assert shown(client, q="TS2026-000002") == [] and shown(client, department="HOUSING") == []
    client.force_login(world.citizen)
    assert client.get(URL, {"q": "TS2026-000001"}).status_code == 403


def test_pages_follow_one_another_newest_first(world, client, travel):
    travel(2026, 11, 20, 10)
    for i in range(7):
        report(f"TS2026-1{i:05d}", world.head_market, requested=at(11, 2, 8 + i))
    client.force_login(world.supervisor)
    assert walk(client, URL + "?limit=3", NUMBER) == ([f"TS2026-1{i:05d}" for i in reversed(range(7))], 3)
