"""问责延伸 to the 分管负责人 and the 主要负责人 (一把手): proposed by the system, confirmed
or dismissed by the discipline office."""

import pytest
from django.utils import timezone

from supervision.demo import demo_responsible_persons_seed
from accountability.escalation import escalation_proposals_make
from accountability.models import AccountabilityCase, EscalationProposal
from accountability.services import case_open
from portal.sweep import sweep
from tests.approvals.test_races_pg import run_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaders(world):
    demo_responsible_persons_seed()


def _cases(world, travel, days, start=1):
    for n, day in enumerate(days, start=start):
        travel(2026, *day, 10)
        case_open(subject=world.reviewer_market, subject_role="direct", source="complaint",
                  source_ref=f"TS2026{n:08d}", summary="拖延办理，查证属实。")


def test_three_cases_in_a_department_within_twelve_months_propose_one_against_the_leader_in_charge(
        world, api, travel, leaders):
    _cases(world, travel, [(1, 5), (3, 9)])
    sweep()
    assert not EscalationProposal.objects.exists()
    _cases(world, travel, [(6, 2)], start=3)
    assert sweep()["escalation_proposals"] == 1
    sweep()
    body = api(world.discipline).get("/api/accountability/proposals/?department=MARKET").json()
    assert body["count"] == 1
    proposal = body["results"][0]
    assert (proposal["subject"], proposal["subject_role"], proposal["status"], proposal["case_count"]) == (
        "leader_market", "leader_in_charge", "proposed", 3)
    assert len(proposal["cases"]) == 3


def test_cases_older_than_twelve_months_do_not_count(world, travel, leaders):
    _cases(world, travel, [(1, 5), (3, 9)])
    travel(2027, 2, 1, 10)
    case_open(subject=world.reviewer_market, subject_role="direct", source="complaint", source_ref="TS202700000001",
              summary="拖延。")
    sweep()
    assert not EscalationProposal.objects.exists()


def test_six_cases_propose_the_principal_and_each_leader_once(world, api, travel, leaders):
    _cases(world, travel, [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5), (6, 5)])
    sweep()
    sweep()
    roles = sorted(EscalationProposal.objects.values_list("subject__username", "subject_role"))
    assert roles == [("leader_market", "leader_in_charge"), ("principal_market", "principal")]


def test_discipline_office_confirms_and_a_case_is_opened_against_the_leader(world, api, travel, leaders):
    _cases(world, travel, [(1, 5), (2, 5), (3, 5)])
    sweep()
    proposal = EscalationProposal.objects.get()
    assert api(world.supervisor).post(f"/api/accountability/proposals/{proposal.pk}/confirm/").status_code == 403
    response = api(world.discipline).post(f"/api/accountability/proposals/{proposal.pk}/confirm/",
                                          {"note": "分管领导监管不力"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "confirmed"
    case = AccountabilityCase.objects.get(number=response.json()["case"])
    assert (case.subject.username, case.subject_role, case.source, case.source_ref) == (
        "leader_market", "leader_in_charge", "referral", proposal.number)
    again = api(world.discipline).post(f"/api/accountability/proposals/{proposal.pk}/confirm/")
    assert again.status_code == 409


def test_dismissal_needs_a_reason_and_outsiders_see_nothing(world, api, travel, leaders):
    _cases(world, travel, [(1, 5), (2, 5), (3, 5)])
    sweep()
    proposal = EscalationProposal.objects.get()
    assert api(world.reviewer_market).get(f"/api/accountability/proposals/{proposal.pk}/").status_code == 403
    assert api(world.discipline).post(f"/api/accountability/proposals/{proposal.pk}/dismiss/").status_code == 400
    response = api(world.discipline).post(f"/api/accountability/proposals/{proposal.pk}/dismiss/",
                                          {"reason": "已另案处理"}, format="json")
    assert response.json()["status"] == "dismissed"
    assert not AccountabilityCase.objects.filter(subject__username="leader_market").exists()


def test_three_responsible_persons_are_read_and_set_through_the_api(world, api, leaders):
    rows = api(world.head_market).get("/api/accountability/responsible-persons/").json()
    market = next(r for r in rows if r["department"] == "MARKET")
    assert (market["direct"], market["leader_in_charge"], market["principal"]) == (
        "head_market", "leader_market", "principal_market")
    assert api(world.citizen).get("/api/accountability/responsible-persons/").status_code == 403
    assert api(world.head_market).put("/api/accountability/responsible-persons/MARKET/", {"principal": "admin"},
                                      format="json").status_code == 403
    response = api(world.discipline).put("/api/accountability/responsible-persons/MARKET/",
                                         {"principal": "leader_market", "leader_in_charge": "head_market"},
                                         format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["principal"] == "leader_market"


def test_running_the_step_again_proposes_nothing_more(world, travel, leaders):
    _cases(world, travel, [(1, 5), (2, 5), (3, 5)])
    escalation_proposals_make(timezone.now(), 100)
    escalation_proposals_make(timezone.now(), 100)
    assert EscalationProposal.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_steps_propose_once(world, travel, leaders):
    _cases(world, travel, [(1, 5), (2, 5), (3, 5)])
    results = run_together(*[lambda: escalation_proposals_make(timezone.now(), 100) for _ in range(3)])
    assert all(kind == "ok" for kind, _ in results), results
    assert EscalationProposal.objects.count() == 1


def test_the_discipline_office_confirms_on_the_page(world, client, travel, leaders):
    _cases(world, travel, [(1, 5), (2, 5), (3, 5)])
    sweep()
    proposal = EscalationProposal.objects.get()
    client.force_login(world.discipline)
    page = client.get("/accountability/proposals/")
    assert page.status_code == 200 and proposal.number in page.content.decode()
    client.post(f"/accountability/proposals/{proposal.pk}/act/confirm/", {"note": "属实"})
    proposal = EscalationProposal.objects.get()
    assert proposal.status == "confirmed" and proposal.case is not None
    client.force_login(world.reviewer_market)
    assert client.get("/accountability/proposals/").status_code == 403


def test_one_serious_case_proposes_one_against_the_leader_in_charge_at_once(world, api, travel, leaders):
    travel(2026, 3, 2, 10)
    case = case_open(subject=world.reviewer_market, subject_role="direct", source="complaint",
                     source_ref="TS202600000099", summary="索要财物，查证属实。", severity="serious")
    assert sweep()["escalation_proposals"] == 1
    proposal = EscalationProposal.objects.get()
    assert (proposal.subject.username, proposal.subject_role, proposal.case_count) == (
        "leader_market", "leader_in_charge", 1)
    assert list(proposal.cases.values_list("pk", flat=True)) == [case.pk]
    assert sweep()["escalation_proposals"] == 0


def test_an_ordinary_case_alone_proposes_nothing_and_marking_it_serious_on_decision_does(
        world, api, travel, leaders):
    from tests.accountability.conftest import decided

    travel(2026, 3, 2, 10)
    case = case_open(subject=world.reviewer_market, subject_role="direct", source="complaint",
                     source_ref="TS202600000098", summary="拖延办理。")
    sweep()
    assert not EscalationProposal.objects.exists()
    assert decided(api, world, case, severity="serious")["severity"] == "serious"
    sweep()
    assert EscalationProposal.objects.get().subject_role == "leader_in_charge"


def test_a_serious_case_decided_no_fault_proposes_nothing(world, api, travel, leaders):
    from tests.accountability.conftest import decided

    travel(2026, 3, 2, 10)
    case = case_open(subject=world.reviewer_market, subject_role="direct", source="referral",
                     source_ref="JB-1", summary="举报索贿。", severity="serious")
    decided(api, world, case, sanction="no_fault")
    sweep()
    assert not EscalationProposal.objects.exists()


def test_a_referral_may_be_opened_as_serious(world, api):
    response = api(world.supervisor).post("/api/accountability/cases/", {
        "subject": "reviewer_fire", "subject_role": "direct", "source": "referral", "source_ref": "JB-2",
        "summary": "明知材料虚假仍予通过。", "severity": "serious"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["severity"] == "serious"
    assert api(world.supervisor).post("/api/accountability/cases/", {
        "subject": "reviewer_fire", "source": "referral", "source_ref": "JB-3", "summary": "x",
        "severity": "grave"}, format="json").status_code == 400
