"""三级政务服务 (seed 001 line 403; issue 13 item 7): a township's supervisor and its window
clerk reach only the work of their township and its proxy point — accountability cases,
inspection visits, attendance and leave, applications — in lists, by id (404) and on the
pages; the county's supervisor and clerk reach the whole county, the township included."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from accountability.models import CaseSource, SubjectRole
from accountability.services import case_open
from approvals.models import Application
from portal.organisation.models import Department, ServiceCenter
from portal.organisation.selectors import centers_in_reach
from tests.approvals.helpers import accepted
from tests.approvals.test_proxy import proxy_apply
from tests.approvals.test_referred_up import walk_in

pytestmark = pytest.mark.django_db


def test_a_township_reaches_its_center_and_proxy_point_the_county_everything(world, town, town_clerk):
    assert centers_in_reach(world.supervisor) is None and centers_in_reach(world.window) is None
    reach = ServiceCenter.objects.filter(pk__in=centers_in_reach(town)).values_list("code", flat=True)
    assert set(reach) == {"TOWN", "VIL"}
    assert centers_in_reach(town_clerk) == centers_in_reach(town)


def _cases(world, town_clerk):
    county = case_open(subject=world.reviewer_market, subject_role=SubjectRole.DIRECT, source=CaseSource.REFERRAL,
                       source_ref="REF-COUNTY", department=Department.objects.get(code="MARKET"), summary="市里的案件",
                       opened_by=world.discipline)
    township = case_open(subject=town_clerk, subject_role=SubjectRole.DIRECT, source=CaseSource.REFERRAL,
                         source_ref="REF-TOWN", department=Department.objects.get(code="TOWN"), summary="镇里的案件",
                         opened_by=world.discipline)
    return county, township


def test_a_township_supervisor_sees_and_fetches_only_his_centers_cases(world, api, client, town, town_clerk):
    county, township = _cases(world, town_clerk)
    listed = {c["number"] for c in api(town).get("/api/accountability/cases/").json()["results"]}
    assert listed == {township.number}
    assert api(town).get(f"/api/accountability/cases/{county.pk}/").status_code == 404
    assert api(town).post(f"/api/accountability/cases/{county.pk}/decide/",
                          {"sanction": "warning", "reasoning": "x"}, format="json").status_code == 404
    assert api(town).get(f"/api/accountability/cases/{township.pk}/").status_code == 200
    client.force_login(town)
    assert client.get(f"/accountability/cases/{county.pk}/").status_code == 404
    assert client.get(f"/accountability/cases/{township.pk}/").status_code == 200
    assert county.number not in client.get("/accountability/cases/").content.decode()
    everything = {c["number"] for c in api(world.supervisor).get("/api/accountability/cases/").json()["results"]}
    assert {county.number, township.number} <= everything


def test_a_township_supervisor_cannot_open_a_case_about_a_county_department(world, api, town):
    response = api(town).post("/api/accountability/cases/", {
        "subject": "reviewer_market", "source": "referral", "source_ref": "REF-1", "summary": "越级立案"},
        format="json")
    assert response.status_code == 400 and "department" in response.json()["fields"]
    allowed = api(town).post("/api/accountability/cases/", {
        "subject": "window_town", "source": "referral", "source_ref": "REF-2", "summary": "本镇立案"}, format="json")
    assert allowed.status_code == 201, allowed.json()


def _visit(api, supervisor, note):
    response = api(supervisor).post("/api/inspections/", {
        "kind": "unannounced", "visited_at": "2026-11-04T10:30:00+08:00", "note": note,
        "findings": [{"window": "01", "outcome": "problem", "description": "窗口无人。"}]}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_township_supervisor_sees_and_fetches_only_the_visits_to_his_center(world, api, client, travel, town):
    travel(2026, 11, 4, 15)
    county, township = _visit(api, world.supervisor, "市大厅"), _visit(api, town, "镇中心")
    listed = api(town).get("/api/inspections/").json()["results"]
    assert [v["number"] for v in listed] == [township["number"]] and listed[0]["note"] == "镇中心"
    assert api(town).get(f"/api/inspections/{county['id']}/").status_code == 404
    finding = county["findings"][0]["id"]
    assert api(town).post(f"/api/inspections/findings/{finding}/open-case/", {}, format="json").status_code == 404
    client.force_login(town)
    assert client.get(f"/supervision/inspections/{county['id']}/").status_code == 404
    assert client.get(f"/supervision/inspections/{township['id']}/").status_code == 200
    assert county["number"] not in client.get("/supervision/inspections/").content.decode()
    assert {county["number"], township["number"]} <= {
        v["number"] for v in api(world.supervisor).get("/api/inspections/").json()["results"]}


def test_a_township_supervisor_reads_only_his_centers_attendance_and_leave(world, api, client, travel, town,
                                                                            town_clerk):
    travel(2026, 11, 4, 8, 50)
    assert api(world.window).post("/api/attendance/check-in/").status_code == 201
    assert api(town_clerk).post("/api/attendance/check-in/").status_code == 201
    board = {row["username"] for row in api(town).get("/api/attendance/").json()["results"]}
    assert "window_town" in board and "window" not in board and "reviewer_market" not in board
    assert api(town).get("/api/attendance/?department=MARKET").status_code == 404
    assert api(town).get("/api/attendance/?department=TOWN").status_code == 200
    assert {"window", "window_town"} <= {
        row["username"] for row in api(world.supervisor).get("/api/attendance/").json()["results"]}
    client.force_login(town)
    page = client.get("/attendance/").content.decode()
    assert "T0101" in page and "C0101" not in page

    county_leave = api(world.reviewer_market).post("/api/leave/", {
        "first_day": "2026-11-10", "last_day": "2026-11-10", "reason": "事假"}, format="json").json()
    town_leave = api(town_clerk).post("/api/leave/", {
        "first_day": "2026-11-10", "last_day": "2026-11-10", "reason": "事假"}, format="json").json()
    assert {row["id"] for row in api(town).get("/api/leave/").json()["results"]} == {town_leave["id"]}
    assert api(town).get(f"/api/leave/{county_leave['id']}/").status_code == 404
    assert api(town).post(f"/api/leave/{county_leave['id']}/approve/", {}, format="json").status_code == 404
    assert api(world.supervisor).get(f"/api/leave/{town_leave['id']}/").status_code == 200


def test_a_township_clerk_sees_and_fetches_only_applications_taken_in_at_his_centers(world, api, client, town_clerk):
    county_walk_in = walk_in(api, world.window, service="MKT-001")
    online = accepted(world, api)
    township = walk_in(api, town_clerk, service="MKT-001")
    listed = {a["number"] for a in api(town_clerk).get("/api/applications/").json()["results"]}
    assert township["number"] in listed
    assert not listed & {county_walk_in["number"], online["number"]}
    for other in (county_walk_in, online):
        assert api(town_clerk).get(f"/api/applications/{other['id']}/").status_code == 404
        assert api(town_clerk).post(f"/api/applications/{other['id']}/withdraw/").status_code == 404
    assert {s["application_number"] for s in api(town_clerk).get("/api/stages/").json()["results"]} <= {
        township["number"]}
    client.force_login(town_clerk)
    assert client.get(f"/applications/{county_walk_in['id']}/").status_code == 404
    assert client.get(f"/applications/{township['id']}/").status_code == 200
    queue = client.get("/window/queue/?status=in_review").content.decode()
    assert county_walk_in["number"] not in queue
    county_list = {a["number"] for a in api(world.window).get("/api/applications/").json()["results"]}
    assert {county_walk_in["number"], online["number"], township["number"]} <= county_list


def test_a_proxy_points_applications_are_the_townships_and_the_point_sees_only_its_own(world, api, town_clerk):
    officer = User.objects.get(username="proxy_village")
    by_proxy = proxy_apply(api, officer).json()
    township = walk_in(api, town_clerk, service="MKT-001", accept=False)
    assert api(town_clerk).get(f"/api/applications/{by_proxy['id']}/").status_code == 200
    assert api(officer).get(f"/api/applications/{township['id']}/").status_code == 404


def test_the_reach_is_read_once_per_request(world, town, django_assert_max_num_queries):
    town = User.objects.get(pk=town.pk)
    centers_in_reach(town)
    with django_assert_max_num_queries(0):
        centers_in_reach(town)


def test_a_township_supervisors_forms_offer_only_his_windows_and_officials(world, client, town):
    client.force_login(town)
    form = client.get("/supervision/inspections/").content.decode()
    assert "便民服务窗口" in form and "综合受理窗口" not in form
    assert '<option value="window_town">' in form and '<option value="reviewer_market">' not in form
    new_case = client.get("/accountability/cases/new/").content.decode()
    assert '<option value="window_town">' in new_case and '<option value="reviewer_market">' not in new_case
    client.force_login(world.supervisor)
    assert '<option value="reviewer_market">' in client.get("/accountability/cases/new/").content.decode()


def test_a_township_supervisor_reads_only_his_units_ratings_follow_ups_and_rectification_reports(
        world, api, town, town_clerk):
    from complaints.models import Complaint, Evaluation, FollowUp, RectificationReport

    now = timezone.now()
    rows = {}
    for code, app in (("MARKET", accepted(world, api)), ("TOWN", walk_in(api, town_clerk, service="MKT-001"))):
        application = Application.objects.get(pk=app["id"])
        department = Department.objects.get(code=code)
        evaluation = Evaluation.objects.create(application=application, service=application.service,
                                               department=department, score=1, source="citizen", rated_at=now)
        follow_up = FollowUp.objects.create(evaluation=evaluation, department=department, opened_at=now, due_at=now)
        complaint = Complaint.objects.get(pk=api().post("/api/complaints/", {
            "category": "attitude", "description": "态度差", "department": code}, format="json").json()["id"])
        report = RectificationReport.objects.create(complaint=complaint, department=department,
                                                    principal=world.head_market, requested_at=now, due_at=now)
        rows[code] = (evaluation, follow_up, report)
    county, township = rows["MARKET"], rows["TOWN"]
    town_api = api(town)
    assert {e["id"] for e in town_api.get("/api/evaluations/").json()["results"]} == {township[0].pk}
    assert town_api.get(f"/api/evaluations/{county[0].pk}/").status_code == 404
    assert town_api.post(f"/api/evaluations/{county[0].pk}/strike/", {"reason": "x"},
                         format="json").status_code == 404
    assert town_api.get(f"/api/evaluations/{township[0].pk}/").status_code == 200
    assert {f["id"] for f in town_api.get("/api/evaluations/follow-ups/").json()["results"]} == {township[1].pk}
    assert town_api.post(f"/api/evaluations/follow-ups/{county[1].pk}/complete/", {"action": "explained", "note": "x"},
                         format="json").status_code == 404
    reports = {r["id"] for r in town_api.get("/api/complaints/rectification-reports/").json()["results"]}
    assert reports == {township[2].pk}
    assert town_api.get(f"/api/complaints/rectification-reports/{county[2].pk}/").status_code == 404
    county_api = api(world.supervisor)
    assert {county[0].pk, township[0].pk} <= {e["id"] for e in county_api.get("/api/evaluations/").json()["results"]}
    assert county_api.get(f"/api/complaints/rectification-reports/{township[2].pk}/").status_code == 200


def test_a_township_supervisor_reads_only_the_inquiries_his_centers_hold(world, api, town, town_clerk):
    county = api(world.window).post("/api/inquiries/", {"subject": "营业执照怎么办"}, format="json").json()
    township = api(town_clerk).post("/api/inquiries/", {"subject": "镇里能办个体执照吗"}, format="json").json()
    assert {i["id"] for i in api(town).get("/api/inquiries/").json()["results"]} == {township["id"]}
    assert api(town).get(f"/api/inquiries/{county['id']}/").status_code == 404
    assert api(town).get(f"/api/inquiries/{township['id']}/").status_code == 200
    assert api(world.supervisor).get(f"/api/inquiries/{township['id']}/").status_code == 200


def test_a_township_supervisors_finding_cannot_name_a_county_official(world, api, client, travel, town):
    from supervision.models import InspectionVisit

    travel(2026, 11, 4, 15)
    finding = {"window": "01", "outcome": "problem", "description": "窗口无人。"}
    response = api(town).post("/api/inspections/", {
        "kind": "unannounced", "visited_at": "2026-11-04T10:30:00+08:00",
        "findings": [{**finding, "official": "reviewer_market"}]}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "findings.0.official" in body["fields"]
    assert not InspectionVisit.objects.filter(inspector=town).exists()
    client.force_login(town)
    page = client.post("/supervision/inspections/", {
        "kind": "unannounced", "visited_at": "2026-11-04T10:30", "window_0": "01", "outcome_0": "problem",
        "description_0": "窗口无人。", "official_0": "reviewer_market"}, follow=True)
    assert "不在本中心的监察范围内" in page.content.decode()
    assert not InspectionVisit.objects.filter(inspector=town).exists()
    named = api(town).post("/api/inspections/", {
        "kind": "unannounced", "visited_at": "2026-11-04T10:30:00+08:00",
        "findings": [{**finding, "official": "window_town"}]}, format="json")
    assert named.status_code == 201, named.json()
    assert named.json()["findings"][0]["official"] == "window_town"
