"""Issue 12, lists that scale, for the officials' inquiry lists: "my inquiries" (what he owns and
the online questions waiting for an official), the supervisor's open inquiries and the
department's referred inquiries search by number, the citizen's name or the owner's badge and
filter by status, department and the day asked (GET form; htmx gets the tables alone); each list
pages by its own cursor without overlap or gap; and nobody finds an inquiry he may not see."""

import re
from datetime import datetime

import pytest
from django.contrib.auth.models import User

from portal.organisation.models import Department
from tests.conftest import SHANGHAI
from tests.inquiries.helpers import stored
from tests.list_pages import walk

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
NUMBER = r">(ZX2026-\d+)</a>"


def at(month, day, hour=10):
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def table(page: str, table_id: str) -> list[str]:
    found = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S)
    return re.findall(NUMBER, found.group(0)) if found else []


def department(code):
    return Department.objects.get(code=code)


@pytest.fixture
def inquiries(world, travel):
    travel(2026, 11, 20, 10)
    owned = {"citizen": None, "owner": world.window, "created_by": world.window}
    return [
        stored(world, "ZX2026-000001", "开饭店", status="open", citizen_name="陈民", asked=at(10, 12), **owned),
        stored(world, "ZX2026-000002", "施工许可", status="referred", citizen_name="王五", asked=at(11, 3),
               referred_to=department("HOUSING"), department=department("HOUSING"), **owned),
        stored(world, "ZX2026-000003", "营业执照", asked=at(11, 5), department=department("MARKET")),
        stored(world, "ZX2026-000004", "房屋登记", asked=at(11, 9), department=department("HOUSING")),
        stored(world, "ZX2026-000005", "个体户", status="open", citizen_name="李四", asked=at(11, 9),
               citizen=None, owner=world.reviewer_market, created_by=world.reviewer_market),
    ]


def test_the_clerk_searches_what_he_owns_and_what_waits(world, client, inquiries):
    client.force_login(world.window)
    page = client.get("/inquiries/").content.decode()
    assert table(page, "owned") == ["ZX2026-000001", "ZX2026-000002"]
    assert table(page, "unclaimed") == ["ZX2026-000003", "ZX2026-000004"]
    page = client.get("/inquiries/", {"q": "zx2026-000004"}).content.decode()
    assert table(page, "owned") == [] and table(page, "unclaimed") == ["ZX2026-000004"]
    page = client.get("/inquiries/", {"q": "王五"}).content.decode()
    assert table(page, "owned") == ["ZX2026-000002"] and table(page, "unclaimed") == []


def test_the_clerks_filters_apply(world, client, inquiries):
    client.force_login(world.window)
    page = client.get("/inquiries/", {"status": "referred"}).content.decode()
    assert table(page, "owned") == ["ZX2026-000002"]
    page = client.get("/inquiries/", {"department": "HOUSING"}).content.decode()
    assert table(page, "owned") == ["ZX2026-000002"] and table(page, "unclaimed") == ["ZX2026-000004"]
    page = client.get("/inquiries/", {"from": "2026-11-01", "to": "2026-11-05"}).content.decode()
    assert table(page, "owned") == ["ZX2026-000002"] and table(page, "unclaimed") == ["ZX2026-000003"]
    part = client.get("/inquiries/", {"department": "MARKET"}, **HTMX).content.decode()
    assert "<html" not in part and part.lstrip().startswith('<div id="inquiry-results"')
    assert table(part, "unclaimed") == ["ZX2026-000003"]


def test_an_official_finds_only_what_he_may_see(world, client, inquiries):
    client.force_login(world.reviewer_housing)  # owns nothing; HOUSING's waiting questions only
    page = client.get("/inquiries/").content.decode()
    assert table(page, "owned") == [] and table(page, "unclaimed") == ["ZX2026-000004"]
    page = client.get("/inquiries/", {"q": "ZX2026-000003"}).content.decode()
    assert table(page, "unclaimed") == [] and table(page, "owned") == []
    client.force_login(world.reviewer_market)
    page = client.get("/inquiries/", {"q": "ZX2026-000001"}).content.decode()
    assert table(page, "owned") == []
    assert table(client.get("/inquiries/").content.decode(), "owned") == ["ZX2026-000005"]


def test_the_supervisor_searches_every_open_inquiry_and_filters_by_status(world, client, inquiries):
    client.force_login(world.supervisor)
    assert table(client.get("/inquiries/").content.decode(), "owned") == [
        "ZX2026-000005", "ZX2026-000002", "ZX2026-000001"]
    badge = world.reviewer_market.staff_profile.badge
    assert table(client.get("/inquiries/", {"q": badge}).content.decode(), "owned") == ["ZX2026-000005"]
    assert table(client.get("/inquiries/", {"status": "unclaimed"}).content.decode(), "owned") == [
        "ZX2026-000004", "ZX2026-000003"]
    town = User.objects.get(username="supervisor_town")
    client.force_login(town)
    assert table(client.get("/inquiries/", {"q": "ZX2026-000001"}).content.decode(), "owned") == []


def listed(table_id):
    """What one list of the page shows (``table_id``; None: the answered list)."""
    return lambda page: table(page, table_id) if table_id else re.findall(
        r'<li data-inquiry="\d+"><a href="[^"]+">(ZX2026-\d+)</a>', page)


def test_each_list_of_the_page_pages_by_its_own_cursor(world, client, travel):
    travel(2026, 11, 20, 10)
    for i in range(7):
        stored(world, f"ZX2026-1{i:05d}", "开店", status="open", citizen=None, owner=world.window,
               created_by=world.window, asked=at(11, 2, 8 + i))
        stored(world, f"ZX2026-2{i:05d}", "开店", asked=at(11, 2, 8 + i), department=department("MARKET"))
    client.force_login(world.window)
    assert walk(client, "/inquiries/?limit=3", listed("owned"))[0] == [f"ZX2026-1{i:05d}" for i in range(7)]
    assert walk(client, "/inquiries/?limit=3", listed("unclaimed"), param="unclaimed_cursor")[0] == [
        f"ZX2026-2{i:05d}" for i in range(7)]


@pytest.fixture
def referrals(world, travel):
    travel(2026, 11, 20, 10)
    owned = {"citizen": None, "owner": world.window, "created_by": world.window}
    return [
        stored(world, "ZX2026-000001", "施工许可", status="referred", citizen_name="陈民", asked=at(10, 12),
               referred_to=department("HOUSING"), **owned),
        stored(world, "ZX2026-000002", "房屋登记", status="referred", citizen_name="王五", asked=at(11, 3),
               referred_to=department("HOUSING"), **owned),
        stored(world, "ZX2026-000003", "营业执照", status="referred", citizen_name="王五", asked=at(11, 5),
               referred_to=department("MARKET"), **owned),
        stored(world, "ZX2026-000004", "房屋", status="answered", citizen_name="王五", asked=at(11, 6),
               referred_to=department("HOUSING"), answered_at=at(11, 7), **owned),
    ]


def test_the_department_searches_its_referred_inquiries(world, client, referrals):
    client.force_login(world.reviewer_housing)
    url = "/inquiries/referred/"
    page = client.get(url).content.decode()
    assert table(page, "referred") == ["ZX2026-000001", "ZX2026-000002"] and "ZX2026-000004" in page
    page = client.get(url, {"q": "王五"}).content.decode()
    assert table(page, "referred") == ["ZX2026-000002"] and "ZX2026-000004" in page
    page = client.get(url, {"from": "2026-11-01", "to": "2026-11-05"}).content.decode()
    assert table(page, "referred") == ["ZX2026-000002"] and "ZX2026-000004" not in page
    assert table(client.get(url, {"q": "ZX2026-000003"}).content.decode(), "referred") == []
    part = client.get(url, {"q": "zx2026-000001"}, **HTMX).content.decode()
    assert part.lstrip().startswith('<div id="referred-results"') and table(part, "referred") == ["ZX2026-000001"]
    client.force_login(world.reviewer_market)
    assert table(client.get(url).content.decode(), "referred") == ["ZX2026-000003"]


def test_referred_and_answered_page_each_by_its_own_cursor(world, client, travel):
    travel(2026, 11, 20, 10)
    owned = {"citizen": None, "owner": world.window, "created_by": world.window,
             "referred_to": department("HOUSING")}
    for i in range(7):
        stored(world, f"ZX2026-1{i:05d}", "开店", status="referred", asked=at(11, 2, 8 + i), **owned)
        stored(world, f"ZX2026-2{i:05d}", "开店", status="answered", asked=at(11, 2, 8 + i),
               answered_at=at(11, 3, 8 + i), **owned)
    client.force_login(world.reviewer_housing)
    assert walk(client, "/inquiries/referred/?limit=3", listed("referred"))[0] == [
        f"ZX2026-1{i:05d}" for i in range(7)]
    assert walk(client, "/inquiries/referred/?limit=3", listed(None), param="done_cursor")[0] == [
        f"ZX2026-2{i:05d}" for i in reversed(range(7))]
