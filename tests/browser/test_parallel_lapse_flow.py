"""HSG-001 in a real browser (SPEC §2 并联审批 and 超期默许): two departments approve on
their stage pages, the third lets its limit pass, the sweep deems it approved, and the
applicant sees "deemed approved" and downloads the certificate.

The clock is moved with time_machine inside the test process, which is also the live
server's process. Dates are after today's real date so that the browser keeps the
session cookies (their expiry is computed from the moved clock)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.browser.test_intake_flow import _expect_status, _sign_in
from tests.conftest import APPLICANT, PDF, upload

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _accepted_hsg(world_users):
    from rest_framework.test import APIClient

    citizen, clerk = APIClient(), APIClient()
    citizen.force_authenticate(world_users["citizen"])
    clerk.force_authenticate(world_users["window"])
    app = citizen.post("/api/applications/", {"service": "HSG-001", "applicant": APPLICANT}, format="json").json()
    for code in ["FORM", "LAND", "DRAWINGS", "EIA", "FIRE"]:
        assert upload(citizen, app["id"], code, content=PDF).status_code == 201
    citizen.post(f"/api/applications/{app['id']}/submit/")
    return clerk.post(f"/api/applications/{app['id']}/accept/").json()


def test_two_departments_approve_the_third_lapses_and_the_citizen_gets_the_certificate(
        chromium, live_server, demo_world):
    from django.contrib.auth.models import User
    from playwright.sync_api import expect

    from portal.sweep import sweep

    users = {u.username: u for u in User.objects.all()}
    with time_machine.travel(datetime(2027, 3, 1, 10, tzinfo=SHANGHAI), tick=False) as clock:
        app = _accepted_hsg(users)
        stages = {s["department"]: s["id"] for s in app["stages"]}
        for username, department in (("reviewer_housing", "HOUSING"), ("reviewer_env", "ENV")):
            page = _sign_in(chromium, live_server.url, username)
            page.goto("/review/queue/")
            page.click(f"tr[data-stage='{stages[department]}'] a")
            page.click("#claim")  # claim before decide: the page shows the decision only then
            page.fill("#opinion", "同意")
            page.click("#approve")
            expect(page.locator("#stage-status")).to_have_attribute("data-status", "approved")
            page.context.close()

        # FIRE never decides: its 7 working days end with 2027-03-10.
        clock.move_to(datetime(2027, 3, 11, 0, 0, 1, tzinfo=SHANGHAI))
        assert sweep()["deemed_approved_stages"] == 1

        page = _sign_in(chromium, live_server.url, "citizen")
        page.goto(f"/applications/{app['id']}/")
        _expect_status(page, "deemed_approved")
        expect(page.locator("tr[data-stage-status='deemed_approved']")).to_have_count(1)
        with page.expect_download() as download:
            page.click("a[data-kind='certificate']")
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
        page.context.close()
