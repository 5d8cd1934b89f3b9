"""Issue 12, lists that scale: the window's queue (new submissions, corrections, walk-in drafts,
in review) searches by application number or applicant and filters by service item and the day
applied in every section (GET form; htmx gets the sections alone); each section pages by its
own cursor without overlap or gap (each was cut at 50 or 100 before); a township's clerk finds
only what was taken in within his reach."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User

from approvals import referrals
from approvals.models import Application, Status
from portal.catalogue.models import ServiceItem
from tests.conftest import SHANGHAI
from tests.list_pages import walk

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "/window/queue/"
NUMBER = r'data-application="\d+"><td><a href="[^"]+">(SQ2026\d+)</a>'


def at(month, day, hour=10):
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def application(world, number, status, *, service="MKT-001", name="陈民", created=None, channel="window",
                center=None):
    created = created or at(11, 2)
    return Application.objects.create(
        service=ServiceItem.objects.get(code=service), status=status, number=number, channel=channel,
        applicant=world.citizen, applicant_name=name, applicant_id_number="11010519491231002X",
        created_by=world.window, created_at=created, submitted_at=created,
        intake_due_at=created + timedelta(days=5), due_at=created + timedelta(days=20),
        intake_center=center or referrals.center_of(world.window))


def section(page: str, index: int) -> list[str]:
    """The numbers listed in the ``index``-th section's table."""
    tables = re.findall(r"<table.*?</table>", page, re.S)
    return re.findall(NUMBER, tables[index])


@pytest.fixture
def queue(world, travel):
    travel(2026, 11, 20, 10)
    return [
        application(world, "SQ2026000001", Status.SUBMITTED, created=at(10, 12)),
        application(world, "SQ2026000002", Status.SUBMITTED, service="HSG-002", name="王五", created=at(11, 3)),
        application(world, "SQ2026000003", Status.CORRECTION_REQUESTED, created=at(11, 5)),
        application(world, "SQ2026000004", Status.DRAFT, created=at(11, 6)),
        application(world, "SQ2026000005", Status.IN_REVIEW, service="HSG-002", created=at(11, 9)),
        application(world, "SQ2026000006", Status.DRAFT, channel="online", created=at(11, 9)),
    ]


def test_every_section_lists_its_rows_and_search_narrows_each(world, client, queue):
    client.force_login(world.window)
    page = client.get(URL).content.decode()
    assert [section(page, i) for i in range(4)] == [
        ["SQ2026000001", "SQ2026000002"], ["SQ2026000003"], ["SQ2026000004"], ["SQ2026000005"]]
    page = client.get(URL, {"q": "sq2026000003"}).content.decode()
    assert [section(page, i) for i in range(4)] == [[], ["SQ2026000003"], [], []]
    page = client.get(URL, {"q": "王五"}).content.decode()
    assert re.findall(NUMBER, page) == ["SQ2026000002"]


def test_service_item_and_day_applied_filter_every_section(world, client, queue):
    client.force_login(world.window)
    page = client.get(URL, {"service": "HSG-002"}).content.decode()
    assert [section(page, i) for i in range(4)] == [["SQ2026000002"], [], [], ["SQ2026000005"]]
    page = client.get(URL, {"from": "2026-11-03", "to": "2026-11-06"}).content.decode()
    assert [section(page, i) for i in range(4)] == [["SQ2026000002"], ["SQ2026000003"], ["SQ2026000004"], []]
    part = client.get(URL, {"service": "HSG-002"}, **HTMX).content.decode()
    assert "<html" not in part and part.lstrip().startswith('<div id="window-results"')


def test_a_township_clerk_finds_only_what_was_taken_in_within_his_reach(world, client, queue):
    clerk = User.objects.get(username="window_town")
    application(world, "SQ2026000009", Status.SUBMITTED, center=referrals.center_of(clerk))
    client.force_login(clerk)
    assert section(client.get(URL).content.decode(), 0) == ["SQ2026000009"]
    assert re.findall(NUMBER, client.get(URL, {"q": "SQ2026000001"}).content.decode()) == []
    client.force_login(world.window)
    assert re.findall(NUMBER, client.get(URL, {"q": "SQ2026000006"}).content.decode()) == []  # an online draft
    client.force_login(world.reviewer_market)
    assert client.get(URL).status_code == 403


def test_each_section_pages_by_its_own_cursor(world, client, travel):
    travel(2026, 11, 20, 10)
    for i in range(7):
        application(world, f"SQ20261{i:05d}", Status.SUBMITTED, created=at(11, 2, 8 + i))
        application(world, f"SQ20263{i:05d}", Status.CORRECTION_REQUESTED, created=at(11, 2, 8 + i))
    client.force_login(world.window)
    assert walk(client, URL + "?limit=3", lambda page: section(page, 0)) == (
        [f"SQ20261{i:05d}" for i in range(7)], 3)
    assert walk(client, URL + "?limit=3", lambda page: section(page, 1), param="corrections_cursor") == (
        [f"SQ20263{i:05d}" for i in reversed(range(7))], 3)


def test_each_sections_pages_are_named_after_it(world, client, travel):
    """A screen reader lists the page's navigations by name: four unnamed "Pages" cannot be told
    apart (axe: landmark-unique)."""
    travel(2026, 11, 20, 10)
    for i in range(4):
        application(world, f"SQ20261{i:05d}", Status.SUBMITTED, created=at(11, 2, 8 + i))
        application(world, f"SQ20263{i:05d}", Status.CORRECTION_REQUESTED, created=at(11, 2, 8 + i))
    client.force_login(world.window)
    page = client.get(URL + "?limit=3").content.decode()
    labels = re.findall(r'<nav class="pager actions" aria-label="([^"]+)"', page)
    assert labels == ["分页：新提交待受理", "分页：等待补正"]
