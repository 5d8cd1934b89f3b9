"""明查暗访: supervisors record inspection visits (announced or unannounced) with findings
per window; a problem found opens an accountability case, once."""

import pytest

from accountability.models import AccountabilityCase
from supervision.demo import demo_responsible_persons_seed
from supervision.models import InspectionFinding, InspectionVisit

pytestmark = pytest.mark.django_db

VISIT = {"kind": "unannounced", "visited_at": "2026-11-04T10:30:00+08:00", "note": "上午巡查大厅。",
         "findings": [{"window": "01", "outcome": "problem", "official": "window",
                       "description": "工作时间玩手机，群众等候十分钟无人接待。"},
                      {"window": "01", "outcome": "compliant"}]}


@pytest.fixture
def visit(world, api, travel):
    travel(2026, 11, 4, 15)
    response = api(world.supervisor).post("/api/inspections/", VISIT, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_supervisor_records_an_unannounced_visit_with_findings_per_window(world, api, visit):
    assert visit["number"].startswith("AF2026-") and visit["kind"] == "unannounced"
    assert [(f["window"], f["outcome"], f["official"], f["department"]) for f in visit["findings"]] == [
        ("01", "problem", "window", "CENTER"), ("01", "compliant", None, "CENTER")]
    listed = api(world.discipline).get("/api/inspections/?kind=unannounced").json()
    assert [v["number"] for v in listed["results"]] == [visit["number"]]
    assert api(world.discipline).get("/api/inspections/?kind=announced").json()["count"] == 0


def test_a_problem_found_opens_one_case_against_the_official(world, api, visit):
    problem = visit["findings"][0]
    url = f"/api/inspections/findings/{problem['id']}/open-case/"
    assert api(world.discipline).post(url, {}, format="json").status_code == 403
    response = api(world.supervisor).post(url, {"severity": "ordinary"}, format="json")
    assert response.status_code == 201, response.json()
    case = AccountabilityCase.objects.get(number=response.json()["case"])
    assert (case.subject, case.source, case.source_ref, case.department.code) == (
        world.window, "inspection", f"{visit['number']}-{problem['id']}", "CENTER")
    assert "玩手机" in case.summary
    assert api(world.supervisor).post(url, {}, format="json").status_code == 409
    compliant = visit["findings"][1]
    assert api(world.supervisor).post(f"/api/inspections/findings/{compliant['id']}/open-case/", {},
                                      format="json").status_code == 409
    assert AccountabilityCase.objects.filter(source="inspection").count() == 1


def test_without_an_official_named_the_departments_directly_responsible_person_answers(world, api, travel):
    demo_responsible_persons_seed()
    travel(2026, 11, 4, 15)
    body = {"kind": "announced", "visited_at": "2026-11-04T09:00:00+08:00",
            "findings": [{"window": "01", "outcome": "problem", "description": "未公示办事指南。"}]}
    visit = api(world.supervisor).post("/api/inspections/", body, format="json").json()
    finding = InspectionFinding.objects.get(visit_id=visit["id"])
    finding.department = world.reviewer_market.staff_profile.department
    finding.save()
    response = api(world.supervisor).post(f"/api/inspections/findings/{finding.pk}/open-case/", {}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["subject"] == "head_market"


def test_a_visit_needs_known_windows_a_past_date_and_a_description_of_a_problem(world, api, travel):
    travel(2026, 11, 4, 15)
    bad = {"kind": "unannounced", "visited_at": "2026-11-05T10:00:00+08:00",
           "findings": [{"window": "99", "outcome": "compliant"}, {"window": "01", "outcome": "problem"}]}
    response = api(world.supervisor).post("/api/inspections/", bad, format="json")
    assert response.status_code == 400
    assert {"visited_at", "findings.0.window", "findings.1.description"} <= set(response.json()["fields"])
    assert not InspectionVisit.objects.exists()


def test_outsiders_neither_record_nor_read_visits(world, api, visit):
    assert api(world.reviewer_market).get("/api/inspections/").json()["results"] == []
    assert api(world.citizen).get("/api/inspections/").status_code == 403
    # A head reads only visits about his department's windows (tests/supervision/test_inspection_heads.py).
    assert api(world.head_market).get("/api/inspections/").json()["results"] == []
    assert api(world.head_market).get(f"/api/inspections/{visit['id']}/").status_code == 404
    assert api(world.reviewer_market).get(f"/api/inspections/{visit['id']}/").status_code == 404
    assert api(world.discipline).post("/api/inspections/", VISIT, format="json").status_code == 403
    assert api().get("/api/inspections/").status_code in (401, 403)


def test_the_pages_record_a_visit_and_open_a_case(world, client, travel):
    travel(2026, 11, 4, 15)
    client.force_login(world.supervisor)
    assert client.get("/supervision/inspections/").status_code == 200
    response = client.post("/supervision/inspections/", {
        "kind": "announced", "visited_at": "2026-11-04T09:30", "window_0": "01", "outcome_0": "problem",
        "official_0": "window_b", "description_0": "未佩戴工作牌。"})
    assert response.status_code == 302, response.content.decode()[:2000]
    visit = InspectionVisit.objects.get()
    assert visit.number.startswith("MC2026-")
    finding = visit.findings.get()
    page = client.get(f"/supervision/inspections/{visit.pk}/").content.decode()
    assert f'data-finding="{finding.pk}"' in page
    client.post(f"/supervision/inspections/findings/{finding.pk}/open-case/", {"severity": "ordinary"})
    finding.refresh_from_db()
    case = AccountabilityCase.objects.get(number=finding.case_number)
    assert case.subject == world.window_b
    client.force_login(world.discipline)
    assert f"/supervision/inspections/{visit.pk}/" in client.get(f"/accountability/cases/{case.pk}/").content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_supervisors_opening_a_case_on_one_finding_open_one(world, api, travel):
    from django.contrib.auth.models import Group, User

    from portal.organisation.models import StaffProfile
    from supervision.inspections import inspection_finding_open_case
    from tests.approvals.test_races_pg import run_together

    second = User.objects.create(username="supervisor2", first_name="卫监察")
    second.groups.add(Group.objects.get(name="supervisor"))
    StaffProfile.objects.create(user=second, badge="C0901", department=world.supervisor.staff_profile.department)
    travel(2026, 11, 4, 15)
    visit = api(world.supervisor).post("/api/inspections/", VISIT, format="json").json()
    finding_id = visit["findings"][0]["id"]
    results = run_together(*[lambda actor=actor: inspection_finding_open_case(actor=actor, finding_id=finding_id)
                             for actor in (world.supervisor, second)])
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert AccountabilityCase.objects.filter(source="inspection").count() == 1
