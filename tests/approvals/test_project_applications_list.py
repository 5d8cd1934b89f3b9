"""Issue 12, lists that scale: a key project's own page (项目经理制) lists its applications newest
first, 50 a page (they were cut at 200), searched by number or service item and filtered by status
and the day applied as the citizen's own list is (GET form; htmx gets the applications alone);
its figures still count every application; a draft nobody asked to pre-review stays hidden; only
the project's manager and the supervisors of its center read the page."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from approvals.models import Application, Status
from portal.catalogue.models import ServiceItem
from projects.models import KeyProject
from tests.list_pages import HTMX, at, walk

pytestmark = pytest.mark.django_db
URL = "/projects/KP-2026-001/"
NUMBER = r'data-application="(SQ2026\d+)"'


def application(world, number, status, *, service="MKT-001", created=None):
    created = created or at(11, 2)
    return Application.objects.create(
        service=ServiceItem.objects.get(code=service), status=status, number=number,
        applicant=User.objects.get(username="enterprise"), applicant_name="阳光能源有限公司",
        applicant_id_number="11010519491231002X", created_by=world.window, created_at=created,
        submitted_at=created, due_at=created + timedelta(days=20),
        key_project=KeyProject.objects.get(code="KP-2026-001"))


@pytest.fixture
def applications(world, travel):
    travel(2026, 11, 20, 10)
    return [
        application(world, "SQ2026000001", Status.APPROVED, created=at(10, 12)),
        application(world, "SQ2026000002", Status.IN_REVIEW, service="HSG-002", created=at(11, 3)),
        application(world, "SQ2026000003", Status.SUBMITTED, created=at(11, 5)),
        application(world, "SQ2026000004", Status.DRAFT, created=at(11, 6)),  # the enterprise's own
    ]


def shown(client, **params) -> list[str]:
    return re.findall(NUMBER, client.get(URL, params).content.decode())


def test_the_manager_searches_by_number_or_service_item(world, client, applications):
    client.force_login(User.objects.get(username="manager_project"))
    assert shown(client) == ["SQ2026000003", "SQ2026000002", "SQ2026000001"]
    assert shown(client, q="sq2026000002") == ["SQ2026000002"]
    assert shown(client, q="HSG-002") == ["SQ2026000002"]
    assert shown(client, q="SQ2026000004") == [] and shown(client, q="SQ2026000099") == []


def test_status_and_day_applied_filter_and_the_figures_count_them_all(world, client, applications):
    client.force_login(world.supervisor)
    assert shown(client, status="approved") == ["SQ2026000001"]
    assert shown(client, **{"from": "2026-11-01", "to": "2026-11-04"}) == ["SQ2026000002"]
    page = client.get(URL, {"status": "approved"}).content.decode()
    assert re.search(r'id="project-figures" data-open="2"', page)
    part = client.get(URL, {"status": "in_review"}, **HTMX).content.decode()
    assert "<html" not in part and part.lstrip().startswith('<div id="project-applications"')
    assert re.findall(NUMBER, part) == ["SQ2026000002"]


def test_only_the_manager_and_the_supervisors_of_its_center_read_it(world, client, applications):
    for outsider in (User.objects.get(username="supervisor_town"), User.objects.get(username="manager_town"),
                     world.reviewer_market, world.citizen):
        client.force_login(outsider)
        assert client.get(URL, {"q": "SQ2026000001"}).status_code == 404


def test_pages_follow_one_another_newest_first(world, client, travel):
    travel(2026, 11, 20, 10)
    made = [application(world, f"SQ20261{i:05d}", Status.IN_REVIEW, created=at(11, 2, 8 + i)).number
            for i in range(7)]
    client.force_login(User.objects.get(username="manager_project"))
    assert walk(client, URL + "?limit=3", NUMBER) == (list(reversed(made)), 3)
