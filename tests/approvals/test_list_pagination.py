"""Lists page by keyset (issue 9 item 3): following ``next`` visits every visible row once,
in a stable order, whatever is inserted meanwhile; ``previous`` returns the page before;
the count is exact up to a cap and says when it is capped; visibility still filters."""

import io

import pytest

from approvals.demo import demo_applications_generate
from approvals.models import Application, Stage
from portal import pagination

pytestmark = pytest.mark.django_db


# The demo world of SPEC §7: the history drawn over them stays the same as the catalogue grows.
SPEC_ITEMS = ["FIRE-002", "HSG-001", "MKT-001", "MKT-002"]


@pytest.fixture
def history(world):
    demo_applications_generate(count=40, progress=io.StringIO(), services=SPEC_ITEMS)
    return Application.objects.filter(applicant_name="历史申请人")


def walk(client, url, params=None):
    """Every page from ``url`` by its ``next`` links: (pages, ids in order)."""
    pages, ids = [], []
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append(body)
        ids.extend(row.get("id", row.get("number")) for row in body["results"])
        if not body["next"]:
            return pages, ids
        assert len(pages) < 100, "next links go round in circles"
        response = client.get(body["next"])


def test_clerk_pages_through_every_application_newest_first_once(world, api, history):
    clerk = api(world.window)
    pages, ids = walk(clerk, "/api/applications/", {"limit": 7})
    expected = list(Application.objects.order_by("-id").values_list("id", flat=True))
    assert ids == expected  # each once, none missing, newest first
    assert all(len(p["results"]) == 7 for p in pages[:-1])
    assert pages[0]["previous"] is None
    assert {p["count"] for p in pages} == {len(expected)} and all(p["count_exact"] for p in pages)


def test_previous_link_returns_exactly_the_page_before(world, api, history):
    clerk = api(world.window)
    first = clerk.get("/api/applications/", {"limit": 6}).json()
    second = clerk.get(first["next"]).json()
    third = clerk.get(second["next"]).json()
    back = clerk.get(third["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in second["results"]]
    assert back["next"] is not None and clerk.get(back["next"]).json()["results"] == third["results"]
    front = clerk.get(back["previous"]).json()
    assert [r["id"] for r in front["results"]] == [r["id"] for r in first["results"]]
    assert front["previous"] is None  # nothing before the first page


def test_rows_added_between_pages_cause_no_duplicate_and_no_gap(world, api, history):
    clerk = api(world.window)
    first = clerk.get("/api/applications/", {"limit": 10}).json()
    before = list(Application.objects.order_by("-id").values_list("id", flat=True))
    demo_applications_generate(count=5, progress=io.StringIO())  # newer rows arrive at the top
    _, rest = walk(clerk, first["next"])
    seen = [r["id"] for r in first["results"]] + rest
    assert seen == before  # with offsets, the 5 new rows would push 5 old ones onto page 2 again


def test_citizen_pages_show_only_his_own_applications(world, api, history):
    mine = set(Application.objects.filter(applicant=world.citizen).values_list("id", flat=True))
    assert 0 < len(mine) < history.count()
    pages, ids = walk(api(world.citizen), "/api/applications/", {"limit": 5})
    assert ids == sorted(mine, reverse=True)
    assert pages[0]["count"] == len(mine)


def test_filters_keep_their_meaning_across_pages(world, api, history):
    clerk = api(world.window)
    _, ids = walk(clerk, "/api/applications/", {"limit": 4, "status": "in_review", "department": "HOUSING"})
    expected = [a.pk for a in Application.objects.filter(status="in_review").order_by("-id")
                if a.stages.filter(department__code="HOUSING").exists()
                or a.service.department.code == "HOUSING"]
    assert ids == expected and expected


def test_reviewer_queue_orders_by_due_time_with_ties_and_suspended_last(world, api, history):
    # Force ties on due_at and a few suspended stages (no due time) into the market queue.
    market = Stage.objects.filter(department__code="MARKET", status__in=["pending", "claimed"]).order_by("id")
    ids = list(market.values_list("id", flat=True))
    assert len(ids) >= 6
    same = Stage.objects.get(pk=ids[0]).due_at
    Stage.objects.filter(pk__in=ids[: len(ids) // 2]).update(due_at=same)
    Stage.objects.filter(pk__in=ids[-2:]).update(due_at=None)
    expected = sorted(ids, key=lambda pk: (Stage.objects.get(pk=pk).due_at is None,
                                           Stage.objects.get(pk=pk).due_at or same, pk))
    pages, seen = walk(api(world.reviewer_market), "/api/stages/", {"limit": 3})
    assert seen == expected
    assert all(r["department"] == "MARKET" for p in pages for r in p["results"])
    # Back from the last page (which holds the suspended stages) step by step to the first.
    back, page = [], pages[-1]
    while page["previous"]:
        page = api(world.reviewer_market).get(page["previous"]).json()
        back = [r["id"] for r in page["results"]] + back
    assert back + [r["id"] for r in pages[-1]["results"]] == expected


def test_stage_queue_filters_by_department_for_a_reviewer(world, api, history):
    env = set(Stage.objects.filter(department__code="ENV", status__in=["pending", "claimed"])
              .values_list("id", flat=True))
    _, seen = walk(api(world.reviewer_env), "/api/stages/", {"limit": 4})
    assert set(seen) == env and len(seen) == len(env)
    assert walk(api(world.citizen), "/api/stages/")[1] == []


def test_public_register_pages_newest_decision_first(world, api, history):
    pages, _ = walk(api(), "/api/register/", {"limit": 9})
    numbers = [r["number"] for p in pages for r in p["results"]]
    expected = list(Application.objects.filter(outcome__in=["approved", "denied", "deemed_approved"])
                    .order_by("-decided_at", "-id").values_list("number", flat=True))
    assert numbers == expected and expected


def test_count_is_capped_and_says_so(world, api, history, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 10)
    body = api(world.window).get("/api/applications/", {"limit": 3}).json()
    assert (body["count"], body["count_exact"]) == (10, False)
    few = api(world.window).get("/api/applications/", {"status": "withdrawn,denied", "limit": 3}).json()
    total = Application.objects.filter(status__in=["withdrawn", "denied"]).count()
    assert total <= 10 and (few["count"], few["count_exact"]) == (total, True)


def test_limit_is_bounded_and_offset_still_works(world, api, history):
    clerk = api(world.window)
    assert len(clerk.get("/api/applications/", {"limit": 100000}).json()["results"]) == min(
        pagination.MAX_LIMIT, Application.objects.count())
    ordered = list(Application.objects.order_by("-id").values_list("id", flat=True))
    page = clerk.get("/api/applications/", {"limit": 5, "offset": 10}).json()
    assert [r["id"] for r in page["results"]] == ordered[10:15]
    assert [r["id"] for r in clerk.get(page["next"]).json()["results"]] == ordered[15:20]
    assert [r["id"] for r in clerk.get(page["previous"]).json()["results"]] == ordered[5:10]


@pytest.mark.parametrize("cursor", ["garbage", "eyJrIjpbXX0", "eyJrIjpbIngiXSwiciI6MH0"])
def test_a_bad_cursor_is_a_400(world, api, cursor):
    response = api(world.window).get("/api/applications/", {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_catalogue_is_served_from_the_cache_and_dropped_on_change(world, api, django_assert_num_queries):
    from portal.catalogue.models import ServiceItem

    anonymous = api()
    first = anonymous.get("/api/services/").json()
    with django_assert_num_queries(0):
        assert anonymous.get("/api/services/").json() == first
    item = ServiceItem.objects.get(code="MKT-002")
    item.committed_days = 9
    item.save()
    after = {s["code"]: s for s in anonymous.get("/api/services/").json()}
    assert after["MKT-002"]["committed_days"] == 9
    material = item.materials.first()
    material.name = "新名称"
    material.save()
    assert anonymous.get("/api/services/MKT-002/").json()["materials"][0]["name"] == "新名称"
    ServiceItem.objects.filter(code="FIRE-002").update(published=False)  # update(): no signal
    from portal.catalogue.selectors import catalogue_changed

    catalogue_changed()
    assert "FIRE-002" not in {s["code"] for s in anonymous.get("/api/services/").json()}
    assert anonymous.get("/api/services/FIRE-002/").status_code == 404


def test_a_change_made_by_another_process_is_read_at_once(world, api):
    """Each process keeps its own copy of the catalogue under the version token in the shared
    cache: another process's change drops the token (all it can reach), and this process reads
    the catalogue again on its next request."""
    from django.core.cache import cache

    from portal.catalogue import selectors
    from portal.catalogue.models import ServiceItem

    anonymous = api()
    assert "FIRE-002" in {s["code"] for s in anonymous.get("/api/services/").json()}
    ServiceItem.objects.filter(code="FIRE-002").update(published=False)
    assert "FIRE-002" in {s["code"] for s in anonymous.get("/api/services/").json()}  # token unchanged
    cache.delete(selectors._cache_key())  # what catalogue_changed does in the other process
    assert "FIRE-002" not in {s["code"] for s in anonymous.get("/api/services/").json()}


def test_home_page_reads_the_catalogue_from_the_cache(world, client, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(0):
        response = client.get("/")
    assert "MKT-002" in response.content.decode()


def test_review_queue_page_walks_by_cursor_without_counting(world, client, history, django_assert_max_num_queries):
    """The reviewer's page of a department's queue pages by keyset like the API: every open
    stage once, due soonest first, and no page counts the whole queue."""
    import re
    from html import unescape

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from django.db.models import F

    client.force_login(world.supervisor)
    expected = list(Stage.objects.filter(status="approved")
                    .order_by(F("due_at").asc(nulls_last=True), "id").values_list("id", flat=True))
    assert len(expected) > 8
    seen, url = [], "/review/queue/?status=approved&limit=4"
    while url:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper() and "approvals_stage" in q["sql"]]
        seen += [int(pk) for pk in re.findall(r'data-stage="(\d+)"', page)]
        found = re.search(r'rel="next" href="([^"]+)"', page)
        url = "/review/queue/" + unescape(found.group(1)) if found else None
        assert len(seen) <= len(expected)
    assert seen == expected


def test_register_page_walks_every_decision_by_cursor(world, client, history):
    """The public register page shows 50 decisions a page (it showed the newest 200 and no
    more) and its pager reaches every decision once, newest first."""
    import re
    from html import unescape

    expected = list(Application.objects.filter(outcome__in=["approved", "denied", "deemed_approved"])
                    .order_by("-decided_at", "-id").values_list("number", flat=True))
    assert len(expected) > 6
    seen, url = [], "/register/?limit=3"
    while url:
        page = client.get(url).content.decode()
        rows = re.findall(r"<tr><td>([^<]+)</td>", page)
        assert len(rows) <= 3
        seen += rows
        found = re.search(r'rel="next" href="([^"]+)"', page)
        url = "/register/" + unescape(found.group(1)) if found else None
        assert len(seen) <= len(expected)
    assert seen == expected


def test_item_page_reads_the_catalogue_from_the_cache(world, client, django_assert_max_num_queries):
    from portal.catalogue.models import ServiceItem

    client.get("/services/MKT-002/")
    with django_assert_max_num_queries(0):
        response = client.get("/services/MKT-002/")
    page = response.content.decode()
    item = ServiceItem.objects.get(code="MKT-002")
    assert item.materials.first().name in page and item.department.name in page
    material = item.materials.first()
    material.name = "新的材料名称"
    material.save()
    assert "新的材料名称" in client.get("/services/MKT-002/").content.decode()
    assert client.get("/services/NO-SUCH/").status_code == 404


def test_every_list_counts_its_walked_rows_by_key_alone(world, api, history):
    """The count reads keys, not the shown columns: the joins that only fetch those (a stage's
    department code, its assignee) are not in it, and it is the number of rows the list walks."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for user, url in ((world.reviewer_market, "/api/stages/"), (world.window, "/api/applications/"),
                      (world.citizen, "/api/applications/"), (None, "/api/register/")):
        pages, ids = walk(api(user), url, {"limit": 2})
        assert len(pages) > 1, url
        assert {p["count"] for p in pages[1:]} == {len(ids)} and all(p["count_exact"] for p in pages), url
    with CaptureQueriesContext(connection) as queries:
        api(world.reviewer_market).get("/api/stages/", {"limit": 2})
    [count] = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert "auth_user" not in count and "organisation_department" not in count, count
