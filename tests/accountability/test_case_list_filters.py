"""Issue 12, lists that scale: the case list searches by case number or the subject's badge and
filters by status, department, source and the day opened (GET form; htmx gets the table
alone), pages by cursor, and no page counts the whole table. The subject still sees only his
own cases, whatever he asks."""

import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountability.models import AccountabilityCase
from portal.organisation.models import Department
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "/accountability/cases/"


def at(month, day):
    return datetime(2026, month, day, 10, tzinfo=SHANGHAI)


def case(number, subject, *, status="opened", department="MARKET", source="referral", opened=None):
    return AccountabilityCase.objects.create(
        number=number, subject=subject, subject_role="direct", source=source, source_ref=number,
        department=Department.objects.get(code=department), opened_at=opened or at(11, 2), status=status)


@pytest.fixture
def cases(world, travel):
    travel(2026, 11, 20, 10)
    return [
        case("ZR2026-000001", world.reviewer_market, opened=at(10, 12)),
        case("ZR2026-000002", world.reviewer_housing, department="HOUSING", source="red_alert", opened=at(11, 3)),
        case("ZR2026-000003", world.reviewer_market, status="final", opened=at(11, 5)),
        case("ZR2026-000004", world.reviewer_housing, status="investigating", department="HOUSING",
             opened=at(11, 9)),
    ]


def shown(client, **params) -> list[str]:
    page = client.get(URL, params).content.decode()
    return re.findall(r">(ZR2026-\d+)</a>", page)


def test_the_list_is_newest_first_and_the_tab_still_applies(world, client, cases):
    client.force_login(world.discipline)
    assert shown(client, tab="all") == ["ZR2026-000004", "ZR2026-000003", "ZR2026-000002", "ZR2026-000001"]
    assert shown(client) == ["ZR2026-000004", "ZR2026-000002", "ZR2026-000001"]


def test_status_department_and_source_filter(world, client, cases):
    client.force_login(world.discipline)
    assert shown(client, tab="all", status="final") == ["ZR2026-000003"]
    assert shown(client, tab="all", department="HOUSING") == ["ZR2026-000004", "ZR2026-000002"]
    assert shown(client, tab="all", source="red_alert") == ["ZR2026-000002"]
    assert shown(client, tab="all", department="MARKET", status="opened") == ["ZR2026-000001"]


def test_search_by_case_number_or_the_subjects_badge(world, client, cases):
    client.force_login(world.discipline)
    assert shown(client, tab="all", q="zr2026-000003") == ["ZR2026-000003"]
    badge = world.reviewer_housing.staff_profile.badge
    assert shown(client, tab="all", q=badge.lower()) == ["ZR2026-000004", "ZR2026-000002"]


def test_the_day_opened_bounds_both_days_included(world, client, cases):
    client.force_login(world.discipline)
    assert shown(client, tab="all", **{"from": "2026-11-03", "to": "2026-11-05"}) == [
        "ZR2026-000003", "ZR2026-000002"]
    response = client.get(URL, {"tab": "all", "to": "not a date"})
    assert response.status_code == 200 and 'class="field-error"' in response.content.decode()


def test_a_filter_asked_by_htmx_gets_the_table_alone(world, client, cases):
    client.force_login(world.discipline)
    whole = client.get(URL).content.decode()
    part = client.get(URL, {"tab": "all", "department": "HOUSING"}, **HTMX).content.decode()
    assert "<html" in whole and 'id="case-filters"' in whole
    assert "<html" not in part and part.lstrip().startswith('<div id="case-results"')
    assert re.findall(r">(ZR2026-\d+)</a>", part) == ["ZR2026-000004", "ZR2026-000002"]


def test_the_subject_sees_only_his_own_whatever_he_asks(world, client, cases):
    client.force_login(world.reviewer_market)
    page = client.get(URL).content.decode()
    assert 'id="case-filters"' not in page
    assert shown(client) == ["ZR2026-000003", "ZR2026-000001"]
    assert shown(client, department="HOUSING") == []


def test_pages_go_by_cursor_and_nothing_counts_the_table(world, client, travel):
    travel(2026, 11, 20, 10)
    for i in range(53):
        case(f"ZR2026-1{i:05d}", world.reviewer_market, opened=at(11, 1 + i % 15))
    client.force_login(world.discipline)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(URL).content.decode()
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "accountability_" in q["sql"]]
    assert first.count("data-case=") == 50 and 'rel="next"' in first
    next_url = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(URL + next_url, **HTMX).content.decode()
    ids = lambda page: set(re.findall(r'data-case="(\d+)"', page))  # noqa: E731
    assert len(ids(second)) == 3 and not ids(first) & ids(second)
