"""明查暗访 read by department heads: a head sees the recorded visits that found something at
his department's windows (or about its officials), with those findings only and without the
visit's note; every other visit is a 404 to him, object by object, on the pages and the API.
He reads, he does not open cases."""

import pytest

from portal.organisation.models import Department, ServiceCenter, Window
from supervision.models import InspectionFinding

pytestmark = pytest.mark.django_db

NOTE = "上午巡查大厅，市场、住建窗口各一处问题。"


@pytest.fixture
def windows(world):
    center = ServiceCenter.objects.get(code="CITY")
    departments = {d.code: d for d in Department.objects.filter(code__in=["MARKET", "HOUSING"])}
    return {"05": Window.objects.create(center=center, number="05", name="市场监管窗口",
                                        department=departments["MARKET"]),
            "06": Window.objects.create(center=center, number="06", name="住建窗口",
                                        department=departments["HOUSING"])}


@pytest.fixture
def visits(world, api, travel, windows):
    """Visit A: problems at 05 (MARKET) and 06 (HOUSING), 01 compliant. Visit B: only 06."""
    travel(2026, 11, 4, 15)
    supervisor = api(world.supervisor)
    a = supervisor.post("/api/inspections/", {
        "kind": "unannounced", "visited_at": "2026-11-04T10:30:00+08:00", "note": NOTE,
        "findings": [{"window": "05", "outcome": "problem", "description": "窗口无人。"},
                     {"window": "06", "outcome": "problem", "description": "态度生硬。"},
                     {"window": "01", "outcome": "compliant"}]}, format="json")
    b = supervisor.post("/api/inspections/", {
        "kind": "announced", "visited_at": "2026-11-04T11:00:00+08:00", "note": "复查。",
        "findings": [{"window": "06", "outcome": "compliant"}]}, format="json")
    assert (a.status_code, b.status_code) == (201, 201)
    return a.json(), b.json()


def _windows(visit: dict) -> list[str]:
    return [f["window"] for f in visit["findings"]]


def test_a_head_lists_only_the_visits_about_his_departments_windows(world, api, visits):
    a, b = visits
    market = api(world.head_market).get("/api/inspections/").json()
    assert [(v["number"], _windows(v), v["note"]) for v in market["results"]] == [(a["number"], ["05"], "")]
    housing = api(world.head_housing).get("/api/inspections/").json()
    assert [(v["number"], _windows(v)) for v in housing["results"]] == [(b["number"], ["06"]),
                                                                         (a["number"], ["06"])]
    everything = api(world.supervisor).get("/api/inspections/").json()
    assert {v["number"]: (_windows(v), v["note"]) for v in everything["results"]}[a["number"]] == (
        ["05", "06", "01"], NOTE)


def test_a_head_reads_a_visit_object_by_object(world, api, visits):
    a, b = visits
    head = api(world.head_market)
    body = head.get(f"/api/inspections/{a['id']}/").json()
    assert (_windows(body), body["note"]) == (["05"], "")
    assert head.get(f"/api/inspections/{b['id']}/").status_code == 404


def test_filters_do_not_reveal_other_departments_findings(world, api, visits):
    head = api(world.head_market)
    assert head.get("/api/inspections/", {"window": "06"}).json()["results"] == []
    assert head.get("/api/inspections/", {"department": "HOUSING"}).json()["results"] == []
    assert len(head.get("/api/inspections/", {"window": "05"}).json()["results"]) == 1


def test_a_finding_about_one_of_his_officials_is_his_to_read(world, api, travel, visits):
    travel(2026, 11, 5, 15)
    c = api(world.supervisor).post("/api/inspections/", {
        "kind": "announced", "visited_at": "2026-11-05T10:00:00+08:00",
        "findings": [{"window": "01", "outcome": "problem", "official": "reviewer_market",
                      "description": "首席代表不在岗。"}]}, format="json").json()
    body = api(world.head_market).get(f"/api/inspections/{c['id']}/").json()
    assert [(f["window"], f["official"]) for f in body["findings"]] == [("01", "reviewer_market")]
    assert api(world.head_housing).get(f"/api/inspections/{c['id']}/").status_code == 404


def test_a_head_opens_no_case(world, api, visits):
    a, _b = visits
    mine = next(f for f in a["findings"] if f["window"] == "05")
    theirs = next(f for f in a["findings"] if f["window"] == "06")
    head = api(world.head_market)
    assert head.post(f"/api/inspections/findings/{mine['id']}/open-case/", {}, format="json").status_code == 403
    assert head.post(f"/api/inspections/findings/{theirs['id']}/open-case/", {}, format="json").status_code == 404
    assert not InspectionFinding.objects.exclude(case_number="").exists()


def test_officials_not_named_read_nothing_and_citizens_are_refused(world, api, visits):
    a, _b = visits
    for user in (world.reviewer_market, world.window):
        assert api(user).get("/api/inspections/").json()["results"] == []
        assert api(user).get(f"/api/inspections/{a['id']}/").status_code == 404
    assert api(world.citizen).get("/api/inspections/").status_code == 403
    assert api(world.citizen).get(f"/api/inspections/{a['id']}/").status_code == 403
    assert api().get("/api/inspections/").status_code in (401, 403)


def test_the_official_concerned_reads_the_finding_that_names_him(world, api, client, travel, visits):
    travel(2026, 11, 5, 15)
    c = api(world.supervisor).post("/api/inspections/", {
        "kind": "unannounced", "visited_at": "2026-11-05T10:00:00+08:00", "note": "巡查记录，内部。",
        "findings": [{"window": "01", "outcome": "problem", "official": "window", "description": "离岗未挂牌。"},
                     {"window": "05", "outcome": "problem", "description": "窗口无人。"}]}, format="json").json()
    mine = api(world.window).get("/api/inspections/").json()["results"]
    assert [(v["number"], [(f["window"], f["official"]) for f in v["findings"]], v["note"]) for v in mine] == [
        (c["number"], [("01", "window")], "")]
    assert api(world.window_b).get(f"/api/inspections/{c['id']}/").status_code == 404
    finding = next(f for f in c["findings"] if f["official"] == "window")
    assert api(world.window).post(f"/api/inspections/findings/{finding['id']}/open-case/", {},
                                  format="json").status_code == 403
    client.force_login(world.window)
    assert 'id="nav-inspections"' in client.get("/workbench/").content.decode()
    page = client.get(f"/supervision/inspections/{c['id']}/").content.decode()
    assert "离岗未挂牌" in page and "窗口无人" not in page and "巡查记录" not in page


def test_the_heads_pages_show_his_findings_only(world, client, visits):
    a, b = visits
    client.force_login(world.head_market)
    home = client.get("/workbench/").content.decode()
    assert 'id="nav-inspections"' in home
    page = client.get("/supervision/inspections/").content.decode()
    assert f'data-visit="{a["id"]}"' in page and f'data-visit="{b["id"]}"' not in page
    assert 'id="visit-form"' not in page
    detail = client.get(f"/supervision/inspections/{a['id']}/").content.decode()
    mine = next(f for f in a["findings"] if f["window"] == "05")
    theirs = next(f for f in a["findings"] if f["window"] == "06")
    assert f'data-finding="{mine["id"]}"' in detail and f'data-finding="{theirs["id"]}"' not in detail
    assert NOTE not in detail and "open-case" not in detail
    assert client.get(f"/supervision/inspections/{b['id']}/").status_code == 404
    assert client.post(f"/supervision/inspections/findings/{theirs['id']}/open-case/").status_code == 404


def test_the_list_page_filters_by_kind_and_pages_by_cursor(world, client, visits):
    a, b = visits
    client.force_login(world.supervisor)
    page = client.get("/supervision/inspections/", {"kind": "announced"}).content.decode()
    assert f'data-visit="{b["id"]}"' in page and f'data-visit="{a["id"]}"' not in page
    first = client.get("/supervision/inspections/", {"limit": 1}).content.decode()
    assert f'data-visit="{b["id"]}"' in first and 'rel="next"' in first
    next_url = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get("/supervision/inspections/" + next_url).content.decode()
    assert f'data-visit="{a["id"]}"' in second and f'data-visit="{b["id"]}"' not in second
