"""三级政务服务 (issue 14 leftovers): a township's supervisor reaches only his township's
问责延伸 proposals (and responsible persons), 责任追究落实不到位 escalations, missing
rectification reports and the appraisal campaigns he runs — in the lists, by id (404) and on
the pages; the county's supervisor and discipline office reach all.

Appraisal campaigns stay public (anybody answers a running one and reads published
results), so what the reach limits there is the running of them: launching one on a
department (400 outside his reach), publishing it (404) and reading its results before
they are published (404, as for the public)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accountability.models import EscalationProposal, SubjectRole
from portal.organisation.models import Department
from portal.sweep import sweep
from tests.supervision.test_township_reach import _cases

pytestmark = pytest.mark.django_db


def _proposal(subject, code, number):
    now = timezone.now()
    return EscalationProposal.objects.create(
        number=number, department=Department.objects.get(code=code), subject=subject,
        subject_role=SubjectRole.LEADER_IN_CHARGE, proposed_at=now, window_start=now - timedelta(days=365),
        case_count=3, reason="三起案件")


@pytest.fixture
def proposals(world, town_clerk):
    return _proposal(world.reviewer_market, "MARKET", "WZ2026-900001"), _proposal(town_clerk, "TOWN", "WZ2026-900002")


def test_a_township_supervisor_lists_and_fetches_only_his_townships_proposals(world, api, town, proposals):
    county, township = proposals
    listed = api(town).get("/api/accountability/proposals/").json()["results"]
    assert [p["number"] for p in listed] == [township.number]
    assert api(town).get(f"/api/accountability/proposals/{county.pk}/").status_code == 404
    assert api(town).get(f"/api/accountability/proposals/{township.pk}/").status_code == 200
    assert api(town).post(f"/api/accountability/proposals/{county.pk}/dismiss/", {"reason": "x"},
                          format="json").status_code == 404
    everything = {p["number"] for p in api(world.supervisor).get("/api/accountability/proposals/").json()["results"]}
    assert {county.number, township.number} <= everything
    assert api(world.discipline).get(f"/api/accountability/proposals/{township.pk}/").status_code == 200


def test_a_township_supervisors_proposals_page_shows_only_his_township(world, client, town, proposals):
    county, township = proposals
    client.force_login(town)
    page = client.get("/accountability/proposals/").content.decode()
    assert township.number in page and county.number not in page
    assert client.post(f"/accountability/proposals/{county.pk}/act/dismiss/", {"reason": "x"}).status_code == 404
    assert EscalationProposal.objects.get(pk=county.pk).status == "proposed"
    client.force_login(world.supervisor)
    page = client.get("/accountability/proposals/").content.decode()
    assert township.number in page and county.number in page


def test_a_discipline_officer_confirms_only_within_his_reach(world, town, proposals):
    from accountability.escalation import proposal_confirm
    from portal.errors import NotFound

    county, _township = proposals
    town.groups.add(*world.discipline.groups.all())  # a township discipline officer
    with pytest.raises(NotFound):
        proposal_confirm(actor=town, proposal_id=county.pk)
    assert proposal_confirm(actor=world.discipline, proposal_id=county.pk).case is not None


def test_a_township_supervisor_reads_only_his_townships_responsible_persons(world, api, town):
    codes = {row["department"] for row in api(town).get("/api/accountability/responsible-persons/").json()}
    assert "TOWN" in codes and "MARKET" not in codes
    assert api(town).get("/api/accountability/responsible-persons/MARKET/").status_code == 404
    assert api(town).get("/api/accountability/responsible-persons/TOWN/").status_code == 200
    assert {"TOWN", "MARKET"} <= {row["department"] for row in
                                  api(world.supervisor).get("/api/accountability/responsible-persons/").json()}


def _undecided_cases(world, travel, town_clerk):
    travel(2026, 11, 2, 10)
    county, township = _cases(world, town_clerk)
    travel(2026, 12, 7, 10)  # past the decision limit (20 working days): both escalated
    sweep()
    return county, township


def test_a_township_supervisor_sees_only_his_townships_undecided_escalations(world, api, client, travel, town,
                                                                           town_clerk):
    county, township = _undecided_cases(world, travel, town_clerk)
    listed = [r["number"] for r in api(town).get("/api/accountability/undecided/").json()["results"]]
    assert listed == [township.number]
    assert {county.number, township.number} <= {
        r["number"] for r in api(world.supervisor).get("/api/accountability/undecided/").json()["results"]}
    client.force_login(town)
    page = client.get("/supervision/").content.decode()
    assert f'data-undecided-case="{township.pk}"' in page and f'data-undecided-case="{county.pk}"' not in page
    client.force_login(world.supervisor)
    page = client.get("/supervision/").content.decode()
    assert f'data-undecided-case="{township.pk}"' in page and f'data-undecided-case="{county.pk}"' in page


CAMPAIGN = {"title": "民主评议", "opens_at": "2026-10-12T00:00:00+08:00", "closes_at": "2026-10-31T23:59:59+08:00",
            "questions": ["办事效率"]}


def test_a_township_supervisor_runs_only_campaigns_on_his_townships_departments(world, api, client, travel, town):
    travel(2026, 10, 10, 10)
    refused = api(town).post("/api/campaigns/", {**CAMPAIGN, "department": "MARKET"}, format="json")
    assert refused.status_code == 400 and "department" in refused.json()["fields"]
    township = api(town).post("/api/campaigns/", {**CAMPAIGN, "department": "TOWN"}, format="json")
    assert township.status_code == 201, township.json()
    county = api(world.supervisor).post("/api/campaigns/", {**CAMPAIGN, "department": "MARKET"}, format="json").json()
    township = township.json()
    # Running: the results are read by its runners only.
    assert api(town).get(f"/api/campaigns/{county['id']}/results/").status_code == 404
    assert api(town).get(f"/api/campaigns/{township['id']}/results/").status_code == 200
    assert api(world.supervisor).get(f"/api/campaigns/{township['id']}/results/").status_code == 200
    client.force_login(town)
    assert "act/publish/" not in client.get(f"/appraisal/{county['id']}/").content.decode()
    assert "act/publish/" in client.get(f"/appraisal/{township['id']}/").content.decode()
    travel(2026, 11, 2, 10)
    client.force_login(town)
    assert api(town).post(f"/api/campaigns/{county['id']}/publish/").status_code == 404
    assert client.post(f"/appraisal/{county['id']}/act/publish/").status_code == 404
    assert api().get(f"/api/campaigns/{county['id']}/").json()["status"] == "running"
    assert api(town).post(f"/api/campaigns/{township['id']}/publish/").json()["status"] == "published"
    assert api(world.supervisor).post(f"/api/campaigns/{county['id']}/publish/").json()["status"] == "published"
    # Published results are public, the township supervisor reads them as anybody does.
    assert api(town).get(f"/api/campaigns/{county['id']}/results/").status_code == 200


def test_a_township_supervisors_dashboard_lists_only_his_townships_missing_rectification_reports(
        world, api, client, town):
    from complaints.models import Complaint, RectificationReport

    now = timezone.now()
    reports = {}
    for code in ("MARKET", "TOWN"):
        complaint = Complaint.objects.get(pk=api().post("/api/complaints/", {
            "category": "attitude", "description": "态度差", "department": code}, format="json").json()["id"])
        reports[code] = RectificationReport.objects.create(
            complaint=complaint, department=Department.objects.get(code=code), principal=world.head_market,
            requested_at=now - timedelta(days=30), due_at=now - timedelta(days=10), overdue_at=now - timedelta(days=9))
    client.force_login(town)
    page = client.get("/supervision/").content.decode()
    assert f'data-missing-report="{reports["TOWN"].pk}"' in page
    assert f'data-missing-report="{reports["MARKET"].pk}"' not in page
    client.force_login(world.supervisor)
    page = client.get("/supervision/").content.decode()
    assert all(f'data-missing-report="{r.pk}"' in page for r in reports.values())


def test_a_county_case_is_never_given_to_a_township_investigator(world, api, client, town, town_clerk):
    county, township = _cases(world, town_clerk)
    client.force_login(world.discipline)
    assert '<option value="supervisor_town"' not in client.get(f"/accountability/cases/{county.pk}/").content.decode()
    assert '<option value="supervisor_town"' in client.get(f"/accountability/cases/{township.pk}/").content.decode()
    refused = api(world.discipline).post(f"/api/accountability/cases/{county.pk}/start-investigation/",
                                         {"investigator": "supervisor_town"}, format="json")
    assert refused.status_code == 400 and "investigator" in refused.json()["fields"]
    given = api(world.discipline).post(f"/api/accountability/cases/{township.pk}/start-investigation/",
                                       {"investigator": "supervisor_town"}, format="json")
    assert given.status_code == 200, given.json()
    assert api(town).get(f"/api/accountability/cases/{township.pk}/").json()["status"] == "investigating"
