"""一个窗口收费 (seed 001 line 29; 收费标准公开, line 103; issue 13 item 4): a payment notice with the
item's published fee and its legal basis at acceptance; payment at the window (cash/card recorded
by the clerk) or online through the provider adapter (the simulator: the only mock); a receipt;
the refund on denial where the law says so; no certificate handed over before the fee is paid;
no amount other than the published fee."""

from decimal import Decimal

import pytest

from payments.providers import SimulatorProvider
from tests.approvals.helpers import accepted, stage_of

pytestmark = pytest.mark.django_db


def detail(api, user, app):
    return api(user).get(f"/api/applications/{app['id']}/").json()


def approve(api, world, app):
    response = api(world.reviewer_housing).post(f"/api/stages/{stage_of(app, 'HOUSING')}/approve/",
                                                {"opinion": "准予登记"}, format="json")
    assert response.status_code == 200


def test_acceptance_issues_the_payment_notice_with_the_published_fee_and_basis(world, api):
    app = accepted(world, api, "HSG-002")
    payment = app["payment"]
    assert payment["amount"] == "80.00" and payment["status"] == "unpaid" and "2559号" in payment["basis"]
    assert "payment_notice" in [d["kind"] for d in app["documents"]]
    assert accepted(world, api, "MKT-002")["payment"] is None  # a free item owes nothing


def test_the_certificate_is_not_handed_over_before_the_fee_is_paid(world, api):
    app = accepted(world, api, "HSG-002")
    approve(api, world, app)
    response = api(world.window).post(f"/api/applications/{app['id']}/hand-over/")
    assert response.status_code == 409 and response.json()["code"] == "fee_unpaid"
    certificate = next(d for d in detail(api, world.citizen, app)["documents"] if d["kind"] == "certificate")
    assert api(world.citizen).get(certificate["pdf"]).status_code == 409  # nor downloaded by the applicant
    paid = api(world.window).post(f"/api/applications/{app['id']}/payment/", {"method": "cash", "amount": "80"},
                                  format="json")
    assert paid.status_code == 200 and paid.json()["payment"]["status"] == "paid"
    assert paid.json()["payment"]["receipt_number"]
    assert "payment_receipt" in [d["kind"] for d in paid.json()["documents"]]
    assert api(world.citizen).get(certificate["pdf"]).status_code == 200
    assert api(world.window).post(f"/api/applications/{app['id']}/hand-over/").json()["status"] == "issued"


def test_no_fee_beyond_the_published_one_can_be_entered(world, api):
    app = accepted(world, api, "HSG-002")
    response = api(world.window).post(f"/api/applications/{app['id']}/payment/", {"method": "card", "amount": "120"},
                                      format="json")
    assert response.status_code == 400 and response.json()["code"] == "fee_not_published"
    assert detail(api, world.window, app)["payment"]["status"] == "unpaid"


def test_only_the_window_records_a_payment_at_the_window(world, api):
    app = accepted(world, api, "HSG-002")
    response = api(world.citizen).post(f"/api/applications/{app['id']}/payment/", {"method": "cash", "amount": "80"},
                                       format="json")
    assert response.status_code == 403


def test_online_payment_through_the_provider_and_its_signed_callback(world, api):
    app = accepted(world, api, "HSG-002")
    order = api(world.citizen).post(f"/api/applications/{app['id']}/payment/online/").json()
    assert order["pay_url"].endswith(f"/payments/simulator/{order['provider_ref']}/")
    provider = SimulatorProvider()
    forged = {**provider.callback_body(provider_ref=order["provider_ref"], amount=Decimal("80.00")), "amount": "1.00"}
    assert api().post("/api/payments/callback/", forged, format="json").status_code == 403
    body = provider.callback_body(provider_ref=order["provider_ref"], amount=Decimal("80.00"))
    first = api().post("/api/payments/callback/", body, format="json")
    assert first.status_code == 200 and first.json()["status"] == "paid"
    assert api().post("/api/payments/callback/", body, format="json").json()["status"] == "paid"  # a repeat: nothing
    payment = detail(api, world.citizen, app)["payment"]
    assert payment["method"] == "online" and payment["receipt_number"]
    assert [d["kind"] for d in detail(api, world.citizen, app)["documents"]].count("payment_receipt") == 1


def test_a_provider_reporting_another_amount_is_refused(world, api):
    app = accepted(world, api, "HSG-002")
    order = api(world.citizen).post(f"/api/applications/{app['id']}/payment/online/").json()
    body = SimulatorProvider().callback_body(provider_ref=order["provider_ref"], amount=Decimal("800.00"))
    response = api().post("/api/payments/callback/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "fee_not_published"


def test_a_denial_refunds_a_paid_fee_where_the_law_says_so(world, api):
    app = accepted(world, api, "HSG-002")
    api(world.window).post(f"/api/applications/{app['id']}/payment/", {"method": "card", "amount": "80.00"},
                           format="json")
    response = api(world.reviewer_housing).post(f"/api/stages/{stage_of(app, 'HOUSING')}/deny/",
                                                {"reason": "权属来源不清", "legal_basis": "《不动产登记暂行条例》第二十二条"},
                                                format="json")
    assert response.status_code == 200
    payment = detail(api, world.citizen, app)["payment"]
    assert payment["status"] == "refunded" and payment["refunded_at"]


def test_a_denial_cancels_an_unpaid_notice(world, api):
    app = accepted(world, api, "HSG-002")
    api(world.reviewer_housing).post(f"/api/stages/{stage_of(app, 'HOUSING')}/deny/",
                                     {"reason": "权属来源不清", "legal_basis": "《不动产登记暂行条例》第二十二条"},
                                     format="json")
    assert detail(api, world.citizen, app)["payment"]["status"] == "cancelled"


def test_the_pages_take_the_fee_at_the_window_and_online(world, api, client):
    at_window, online = accepted(world, api, "HSG-002"), accepted(world, api, "HSG-002")
    client.force_login(world.window)
    page = client.get(f"/applications/{at_window['id']}/").content.decode()
    assert 'id="record-payment"' in page and "80.00" in page
    client.post(f"/applications/{at_window['id']}/act/payment/", {"method": "cash", "amount": "80.00"})
    assert detail(api, world.window, at_window)["payment"]["status"] == "paid"
    client.force_login(world.citizen)
    assert 'id="pay-online"' in client.get(f"/applications/{online['id']}/").content.decode()
    response = client.post(f"/applications/{online['id']}/act/pay_online/")
    assert response.status_code == 302 and "/payments/simulator/" in response["Location"]
    assert 'id="simulate-pay"' in client.get(response["Location"]).content.decode()
    client.post(response["Location"])
    assert detail(api, world.citizen, online)["payment"]["status"] == "paid"


def test_a_signature_with_non_ascii_characters_is_a_forged_notice_not_a_crash(world, api):
    """Found by the schema fuzz test (tests/api): hmac.compare_digest refuses non-ASCII str."""
    body = {"provider_ref": "SIM00", "amount": "80.00", "paid": True, "signature": "签名"}
    response = api().post("/api/payments/callback/", body, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "bad_signature"
