"""绩效考评得分 in Chromium: after a sanctioned case the supervisor reads the lower score on the
dashboard and on the official's page, with its weights, on a desktop and on a phone (390 px)
without horizontal scrolling."""

import pytest

pytestmark = pytest.mark.browser
PASSWORD = "demo-pass-2026"
PHONE = {"width": 390, "height": 844}


def _sanctioned_case(api):
    from django.contrib.auth.models import User

    from accountability.services import case_open
    from tests.accountability.conftest import decided
    from types import SimpleNamespace

    world = SimpleNamespace(discipline=User.objects.get(username="discipline"))
    case = case_open(subject=User.objects.get(username="reviewer_market"), subject_role="direct",
                     source="referral", source_ref="JB-B1", summary="拖延办理。")
    decided(api, world, case, sanction="admonishment")


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, PHONE], ids=["desktop", "phone"])
def test_the_supervisor_reads_the_score_on_the_dashboard_and_the_officials_page(
        chromium, live_server, demo_world, api, settings, viewport):
    from playwright.sync_api import expect

    settings.ASSESSMENT_WEIGHTS = {**settings.ASSESSMENT_WEIGHTS, "case_opened": 1, "admonishment": 4}
    _sanctioned_case(api)
    context = chromium.new_context(base_url=live_server.url, viewport=viewport, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", "supervisor")
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in")
    page.goto("/supervision/")
    expect(page.locator("tr[data-department='MARKET'] [data-figure='assessment_score']")).to_have_text("95")
    page.click("#assessment-legend summary")
    expect(page.locator("#assessment-legend")).to_contain_text("诫勉谈话")
    if viewport is PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto("/supervision/officials/reviewer_market/")
    expect(page.locator("dd[data-figure='assessment_score'] strong")).to_have_text("95")
    if viewport is PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
