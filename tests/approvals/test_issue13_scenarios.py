"""Issue 13 "How it is checked", the two scenarios whose clock the other modules leave still,
driven through the REST API with time travel (time-machine): the chief representative's on-site
decision of a promised item (首席代表制) is made and counted on the day of acceptance and leaves
nothing for the sweep; a fee-bearing item approved by operation of law (超期默许) still has its
certificate withheld until the fee is paid (一个窗口收费).

Where each scenario of the list is checked through the API:
- on-site decision of a promised item by the chief representative: here, and
  test_chief_representative.py::test_chief_representative_signs_a_promised_item_and_the_certificate_is_issued
  (and ::test_the_on_site_decision_counts_in_the_on_site_rate);
- refusal of on-site decision for a site-inspection item:
  test_chief_representative.py::test_an_item_needing_a_site_inspection_is_not_signed_at_the_counter;
- a referred-up item tracked to its result (time travel):
  test_referred_up.py::test_a_referred_up_item_is_tracked_by_the_township_official_and_handed_out_there
  and ::test_the_referral_has_its_own_clock, test_referral_late_alert.py;
- a fee-bearing certificate withheld until paid: here (deemed approval, time travel), and
  test_fees.py::test_the_certificate_is_not_handed_over_before_the_fee_is_paid;
- a proxy application: test_proxy.py::test_a_proxy_officer_applies_for_a_citizen_with_recorded_consent;
- a township's figures rolling up to the county:
  test_referred_up.py::test_figures_roll_up_the_tree_and_a_township_supervisor_sees_only_his_own,
  test_proxy.py::test_proxy_work_is_counted_up_the_tree and (referred late, time travel)
  test_referred_up.py::test_the_referral_has_its_own_clock."""

import pytest

from portal.sweep import sweep
from tests.approvals.helpers import accepted
from tests.approvals.test_fees import detail

pytestmark = pytest.mark.django_db


def test_an_on_site_decision_of_a_promised_item_is_made_and_counted_on_the_acceptance_day(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "MKT-002")  # promised (承诺件): 10 working days, to 2026-10-16
    assert app["due_at"] == "2026-10-16T23:59:59+08:00"
    travel(2026, 9, 28, 10, 20)
    response = api(world.window).post(f"/api/applications/{app['id']}/decide-on-site/",
                                      {"opinion": "材料齐全，首席代表当场签字"}, format="json")
    assert response.status_code == 200, response.json()
    body = detail(api, world.citizen, app)
    assert (body["status"], body["onsite"], body["decision"]["outcome"]) == ("approved", True, "approved")
    assert body["decision"]["decided_at"].startswith("2026-09-28T10:20")
    assert body["clock"]["running"] is False
    travel(2026, 10, 19, 9)  # long past the committed limit: nothing is left to lapse or alert
    counts = sweep()
    assert counts["deemed_approved_stages"] == 0 and counts["red_alerts"] == 0
    assert detail(api, world.citizen, app)["status"] == "approved"
    rows = {r["department"]: r for r in api(world.supervisor).get(
        "/api/stats/departments/", {"from": "2026-09-28", "to": "2026-09-28"}).json()["results"]}
    assert (rows["MARKET"]["decided"], rows["MARKET"]["onsite"], rows["MARKET"]["onsite_rate"]) == (1, 1, 1.0)


def test_a_fee_bearing_item_approved_by_operation_of_law_is_withheld_until_paid(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "HSG-002")  # 80 yuan; 5 working days, to the make-up Saturday 2026-10-10
    assert app["due_at"] == "2026-10-10T23:59:59+08:00" and app["payment"]["status"] == "unpaid"
    travel(2026, 10, 10, 23, 59)
    sweep()
    assert detail(api, world.window, app)["status"] == "in_review"
    travel(2026, 10, 11, 0, 1)
    sweep()
    body = detail(api, world.citizen, app)
    assert body["status"] == "deemed_approved" and body["decision"]["certificate_number"]
    refused = api(world.window).post(f"/api/applications/{app['id']}/hand-over/")
    assert refused.status_code == 409 and refused.json()["code"] == "fee_unpaid"
    certificate = next(d for d in body["documents"] if d["kind"] == "certificate")
    assert api(world.citizen).get(certificate["pdf"]).status_code == 409
    travel(2026, 10, 12, 9)
    paid = api(world.window).post(f"/api/applications/{app['id']}/payment/", {"method": "card", "amount": "80"},
                                  format="json")
    assert paid.status_code == 200 and paid.json()["payment"]["status"] == "paid"
    assert api(world.citizen).get(certificate["pdf"]).status_code == 200
    assert api(world.window).post(f"/api/applications/{app['id']}/hand-over/").json()["status"] == "issued"
