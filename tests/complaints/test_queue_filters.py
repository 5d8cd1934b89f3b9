"""Issue 12, lists that scale: the complaint queue searches by number or badge and filters by
status, department and the day filed (GET form; htmx gets the table alone), pages by cursor,
and no page counts the whole table."""

import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.models import Complaint
from portal.organisation.models import Department
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "/discipline/complaints/"


def at(month, day):
    return datetime(2026, month, day, 10, tzinfo=SHANGHAI)


def complaint(number, *, status="accepted", department="MARKET", badge="", filed=None, due=None):
    filed = filed or at(11, 2)
    return Complaint.objects.create(
        number=number, category="delay", description="拖延。", status=status, staff_badge=badge,
        department=Department.objects.get(code=department), filed_at=filed, accept_due_at=filed,
        due_at=due or filed)


@pytest.fixture
def complaints(world, travel):
    travel(2026, 11, 20, 10)
    return {
        "open_market": complaint("TS2026-000001", badge="M0201", filed=at(10, 12), due=at(11, 25)),
        "open_housing": complaint("TS2026-000002", department="HOUSING", filed=at(11, 3), due=at(11, 24)),
        "closed_market": complaint("TS2026-000003", status="closed", filed=at(11, 5)),
        "refused_housing": complaint("TS2026-000004", status="refused", department="HOUSING", filed=at(11, 9)),
    }


def shown(client, **params) -> set[str]:
    page = client.get(URL, params).content.decode()
    return {number for number in (f"TS2026-00000{i}" for i in range(1, 5)) if f">{number}</a>" in page}


def test_the_open_tab_lists_the_open_complaints(world, client, complaints):
    client.force_login(world.discipline)
    assert shown(client) == {"TS2026-000001", "TS2026-000002"}


def test_status_filters_whatever_the_tab(world, client, complaints):
    client.force_login(world.discipline)
    assert shown(client, show="all", status="closed") == {"TS2026-000003"}
    assert shown(client, status="refused") == {"TS2026-000004"}


def test_department_filters(world, client, complaints):
    client.force_login(world.discipline)
    assert shown(client, show="all", department="HOUSING") == {"TS2026-000002", "TS2026-000004"}


def test_search_by_number_or_badge_in_any_case(world, client, complaints):
    client.force_login(world.discipline)
    assert shown(client, show="all", q="ts2026-000003") == {"TS2026-000003"}
    assert shown(client, show="all", q="m0201") == {"TS2026-000001"}
    assert shown(client, show="all", q="TS2026") == set()


def test_the_day_filed_bounds_both_days_included(world, client, complaints):
    client.force_login(world.discipline)
    assert shown(client, show="all", **{"from": "2026-11-03", "to": "2026-11-05"}) == {
        "TS2026-000002", "TS2026-000003"}
    assert shown(client, show="all", **{"to": "2026-10-31"}) == {"TS2026-000001"}


def test_a_bad_date_is_shown_on_its_field_and_not_applied(world, client, complaints):
    client.force_login(world.discipline)
    response = client.get(URL, {"show": "all", "from": "2026-13-01", "department": "HOUSING"})
    page = response.content.decode()
    assert response.status_code == 200 and 'class="field-error"' in page
    assert shown(client, show="all", department="HOUSING", **{"from": "2026-13-01"}) == {
        "TS2026-000002", "TS2026-000004"}
    # A start after the end is refused on its field; the end still applies.
    assert shown(client, show="all", **{"from": "2026-11-06", "to": "2026-11-01"}) == {"TS2026-000001"}


def test_a_filter_asked_by_htmx_gets_the_table_alone(world, client, complaints):
    client.force_login(world.discipline)
    whole = client.get(URL).content.decode()
    part = client.get(URL, {"department": "HOUSING"}, **HTMX).content.decode()
    assert "<html" in whole and 'id="complaint-filters"' in whole and 'id="complaint-results"' in whole
    assert "<html" not in part and part.lstrip().startswith('<div id="complaint-results"')
    assert ">TS2026-000002</a>" in part and ">TS2026-000001</a>" not in part


def test_no_match_says_so(world, client, complaints):
    client.force_login(world.discipline)
    assert "没有符合筛选条件的投诉" in client.get(URL, {"q": "nothing"}).content.decode()


def test_pages_go_by_cursor_and_nothing_counts_the_table(world, client, travel):
    travel(2026, 11, 20, 10)
    for i in range(55):
        complaint(f"TS2026-1{i:05d}", filed=at(11, 2), due=at(11, 25))
    client.force_login(world.discipline)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(URL).content.decode()
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "complaints_complaint" in q["sql"]]
    assert first.count("data-complaint=") == 50 and 'rel="next"' in first
    next_url = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(URL + next_url, **HTMX).content.decode()
    assert second.count("data-complaint=") == 5 and 'rel="prev"' in second
    ids = lambda page: set(re.findall(r'data-complaint="(\d+)"', page))  # noqa: E731
    assert not ids(first) & ids(second) and len(ids(first) | ids(second)) == 55


def test_an_investigator_filters_only_what_he_may_see(world, client, complaints):
    Complaint.objects.filter(number="TS2026-000002").update(investigator=world.reviewer_housing)
    client.force_login(world.reviewer_housing)
    assert shown(client, show="all") == {"TS2026-000002"}
    assert shown(client, show="all", department="HOUSING") == {"TS2026-000002"}
