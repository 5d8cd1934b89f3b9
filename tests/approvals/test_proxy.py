"""代办 (seed 001 line 409; issue 13 item 6): proxy officers of village proxy points apply on a
citizen's behalf with the citizen's consent on record, free of charge; the application shows who
acted for whom; the service center accepts it; the result is handed out at the proxy point; proxy
work is counted in the network's figures."""

import pytest
from django.contrib.auth.models import User

from tests.approvals.helpers import MATERIALS, stage_of
from tests.conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db

CONSENT = "2026-09-28 村民陈民当面签字委托代办（委托书已扫描存档）"


def proxy_apply(api, officer, service="MKT-001", consent=CONSENT):
    return api(officer).post("/api/proxy-applications/", {"service": service, "applicant": APPLICANT,
                                                          "proxy_consent": consent}, format="json")


def test_a_proxy_officer_applies_for_a_citizen_with_recorded_consent(world, api):
    officer = User.objects.get(username="proxy_village")
    response = proxy_apply(api, officer)
    assert response.status_code == 201, response.json()
    app = response.json()
    assert app["channel"] == "proxy" and app["intake_center"] == "VIL"
    assert app["proxy"] == {"officer": "proxy_village", "for": APPLICANT["name"], "point": "VIL",
                            "consent": CONSENT, "free_of_charge": True}
    for code in MATERIALS["MKT-001"]:
        assert upload(api(officer), app["id"], code).status_code == 201
    assert api(officer).post(f"/api/applications/{app['id']}/submit/").status_code == 200
    # The proxy point does not accept: the center's window does.
    refused = api(officer).post(f"/api/applications/{app['id']}/accept/")
    assert refused.status_code == 403 and refused.json()["code"] == "proxy_point_cannot_accept"
    accepted = api(world.window).post(f"/api/applications/{app['id']}/accept/").json()
    assert api(world.reviewer_market).post(f"/api/stages/{stage_of(accepted, 'MARKET')}/approve/",
                                           {"opinion": "同意"}, format="json").status_code == 200
    # Handed out where it was taken in: at the proxy point, by its officer.
    assert api(world.window).post(f"/api/applications/{app['id']}/hand-over/").status_code == 403
    assert api(officer).post(f"/api/applications/{app['id']}/hand-over/").json()["status"] == "issued"


def test_no_proxy_application_without_the_citizens_consent(world, api):
    response = proxy_apply(api, User.objects.get(username="proxy_village"), consent="  ")
    assert response.status_code == 400 and "proxy_consent" in response.json()["fields"]


def test_only_a_proxy_points_officer_applies_by_proxy(world, api):
    assert proxy_apply(api, world.window).status_code == 404
    assert proxy_apply(api, world.citizen).status_code == 404


def test_proxy_work_is_counted_up_the_tree(world, api):
    officer = User.objects.get(username="proxy_village")
    proxy_apply(api, officer)
    proxy_apply(api, officer, "MKT-002")
    city = api(world.supervisor).get("/api/centers/CITY/figures/").json()
    town = city["children"][0]
    village = town["children"][0]
    assert (village["center"], village["level"], village["figures"]["proxied"]) == ("VIL", "village", 2)
    assert town["figures"]["proxied"] == 2 and city["figures"]["proxied"] == 2


def test_the_proxy_officer_records_the_consent_on_the_intake_page(world, api, client):
    officer = User.objects.get(username="proxy_village")
    client.force_login(officer)
    assert 'name="proxy_consent"' in client.get("/window/intake/").content.decode()
    response = client.post("/window/intake/", {"service": "MKT-001", **APPLICANT, "proxy_consent": CONSENT})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'id="proxy"' in page and CONSENT in page


def test_the_township_page_shows_the_referral(world, api, client):
    from tests.approvals.test_referred_up import walk_in

    town_clerk = User.objects.get(username="window_town")
    app = walk_in(api, town_clerk)
    client.force_login(town_clerk)
    assert 'id="referral" data-overdue="0"' in client.get(f"/applications/{app['id']}/").content.decode()
