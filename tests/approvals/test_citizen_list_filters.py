"""Issue 12, lists that scale: a citizen's own lists (applications, complaints, questions) search
by number (and service item or subject), filter by status and date (GET form; htmx gets the
table alone), page by cursor without overlap or gap, and never show another person's rows,
whatever is asked."""

import re
from datetime import datetime

import pytest

from approvals.models import Application, Status
from complaints.models import Complaint
from portal.catalogue.models import ServiceItem
from portal.organisation.models import Department
from tests.conftest import SHANGHAI
from tests.inquiries.helpers import stored as inquiry
from tests.list_pages import walk

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def at(month, day):
    return datetime(2026, month, day, 10, tzinfo=SHANGHAI)


def application(world, number, *, applicant=None, service="MKT-001", status=Status.IN_REVIEW, created=None):
    return Application.objects.create(
        service=ServiceItem.objects.get(code=service), status=status, number=number,
        applicant=applicant or world.citizen, applicant_name="陈民", applicant_id_number="11010519491231002X",
        created_by=world.window, created_at=created or at(11, 2))


def complaint(world, number, *, complainant=None, status="accepted", filed=None, department="MARKET"):
    filed = filed or at(11, 2)
    return Complaint.objects.create(
        number=number, category="delay", description="拖延。", status=status, complainant=complainant or world.citizen,
        department=Department.objects.get(code=department), filed_at=filed, accept_due_at=filed, due_at=filed)


def shown(client, url, pattern, **params) -> list[str]:
    return re.findall(pattern, client.get(url, params).content.decode())


APPS = r">(SQ2026-\d+)</a>"


@pytest.fixture
def applications(world, travel):
    travel(2026, 11, 20, 10)
    return [
        application(world, "SQ2026-000001", created=at(10, 12)),
        application(world, "SQ2026-000002", service="HSG-001", status=Status.APPROVED, created=at(11, 3)),
        application(world, "SQ2026-000003", created=at(11, 5)),
        application(world, "SQ2026-000009", applicant=world.citizen2, created=at(11, 5)),
    ]


def test_the_citizen_searches_his_applications_by_number_or_service_item(world, client, applications):
    client.force_login(world.citizen)
    url = "/my/applications/"
    assert shown(client, url, APPS) == ["SQ2026-000003", "SQ2026-000002", "SQ2026-000001"]
    assert shown(client, url, APPS, q="sq2026-000002") == ["SQ2026-000002"]
    housing = ServiceItem.objects.get(code="HSG-001")
    assert shown(client, url, APPS, q=housing.name[:4]) == ["SQ2026-000002"]
    assert shown(client, url, APPS, q="hsg-001") == ["SQ2026-000002"]


def test_the_citizens_application_filters_apply(world, client, applications):
    client.force_login(world.citizen)
    url = "/my/applications/"
    assert shown(client, url, APPS, status="approved") == ["SQ2026-000002"]
    assert shown(client, url, APPS, **{"from": "2026-11-03", "to": "2026-11-05"}) == ["SQ2026-000003",
                                                                                        "SQ2026-000002"]
    page = client.get(url, {"status": "denied"}).content.decode()
    assert "SQ2026" not in page and 'id="application-filters"' in page


def test_a_citizen_never_finds_anothers_application(world, client, applications):
    client.force_login(world.citizen)
    assert shown(client, "/my/applications/", APPS, q="SQ2026-000009") == []
    client.force_login(world.citizen2)
    assert shown(client, "/my/applications/", APPS) == ["SQ2026-000009"]
    assert shown(client, "/my/applications/", APPS, q="SQ2026-000001") == []


def test_an_application_filter_asked_by_htmx_gets_the_table_alone(world, client, applications):
    client.force_login(world.citizen)
    part = client.get("/my/applications/", {"status": "approved"}, **HTMX).content.decode()
    assert "<html" not in part and part.lstrip().startswith('<div id="application-results"')
    assert re.findall(APPS, part) == ["SQ2026-000002"]


def test_filtered_pages_follow_one_another_without_overlap_or_gap(world, client, travel):
    travel(2026, 11, 20, 10)
    for i in range(7):
        application(world, f"SQ2026-10000{i}", status=Status.APPROVED)
        application(world, f"SQ2026-20000{i}", status=Status.DENIED)
        complaint(world, f"TS2026-10000{i}", status="closed")
        complaint(world, f"TS2026-20000{i}", status="accepted")
        inquiry(world, f"ZX2026-10000{i}", "开店", status="answered")
        inquiry(world, f"ZX2026-20000{i}", "开店", status="unclaimed")
    client.force_login(world.citizen)
    expected = lambda prefix: [f"{prefix}{i}" for i in reversed(range(7))]  # noqa: E731
    assert walk(client, "/my/applications/?status=approved&limit=3", APPS)[0] == expected("SQ2026-10000")
    assert walk(client, "/my/complaints/?status=closed&limit=3", r">(TS2026-\d+)</a>")[0] == expected("TS2026-10000")
    assert walk(client, "/inquiries/?status=answered&limit=3", r">(ZX2026-\d+)</a>")[0] == expected("ZX2026-10000")


def test_the_complainant_searches_and_filters_his_own_complaints(world, client, travel):
    travel(2026, 11, 20, 10)
    complaint(world, "TS2026-000001", filed=at(10, 12))
    complaint(world, "TS2026-000002", status="closed", department="HOUSING", filed=at(11, 3))
    complaint(world, "TS2026-000009", complainant=world.citizen2)
    client.force_login(world.citizen)
    url, pattern = "/my/complaints/", r">(TS2026-\d+)</a>"
    assert shown(client, url, pattern) == ["TS2026-000002", "TS2026-000001"]
    assert shown(client, url, pattern, q="ts2026-000001") == ["TS2026-000001"]
    assert shown(client, url, pattern, status="closed") == ["TS2026-000002"]
    assert shown(client, url, pattern, department="HOUSING") == ["TS2026-000002"]
    assert shown(client, url, pattern, **{"from": "2026-11-01"}) == ["TS2026-000002"]
    assert shown(client, url, pattern, q="TS2026-000009") == []


def test_the_citizen_searches_his_questions_by_number_or_subject(world, client, travel):
    travel(2026, 11, 20, 10)
    inquiry(world, "ZX2026-000001", "开饭店要办什么证", asked=at(10, 12))
    inquiry(world, "ZX2026-000002", "施工许可要多久", status="answered", asked=at(11, 3))
    inquiry(world, "ZX2026-000009", "开饭店要办什么证", citizen=world.citizen2)
    client.force_login(world.citizen)
    url, pattern = "/inquiries/", r">(ZX2026-\d+)</a>"
    assert shown(client, url, pattern) == ["ZX2026-000002", "ZX2026-000001"]
    assert shown(client, url, pattern, q="饭店") == ["ZX2026-000001"]
    assert shown(client, url, pattern, q="zx2026-000002") == ["ZX2026-000002"]
    assert shown(client, url, pattern, status="answered") == ["ZX2026-000002"]
    assert shown(client, url, pattern, **{"to": "2026-11-01"}) == ["ZX2026-000001"]
    part = client.get(url, {"q": "饭店"}, **HTMX).content.decode()
    assert part.lstrip().startswith('<div id="inquiry-results"') and "ZX2026-000009" not in part
