"""Issue 12, lists that scale, in Chromium: the discipline office filters the complaint queue and
the case list in place (htmx: the table changes, the page stays), on a desktop and on a phone
(390 px) without horizontal scrolling."""

from datetime import timedelta

import pytest

pytestmark = pytest.mark.browser
PASSWORD = "demo-pass-2026"
PHONE = {"width": 390, "height": 844}


def _rows():
    from django.contrib.auth.models import User
    from django.utils import timezone

    from accountability.models import AccountabilityCase
    from complaints.models import Complaint
    from portal.organisation.models import Department

    now = timezone.now()
    departments = {d.code: d for d in Department.objects.filter(code__in=["MARKET", "HOUSING"])}
    for i, code in enumerate(["MARKET", "HOUSING", "MARKET"]):
        Complaint.objects.create(number=f"TS2026-90000{i}", category="delay", description="拖延。", status="accepted",
                                 department=departments[code], filed_at=now - timedelta(days=i + 1),
                                 accept_due_at=now, due_at=now + timedelta(days=5))
        AccountabilityCase.objects.create(
            number=f"ZR2026-90000{i}", subject=User.objects.get(username=f"reviewer_{code.lower()}"),
            subject_role="direct", source="referral", source_ref=f"B{i}", department=departments[code],
            opened_at=now - timedelta(days=i + 1))


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, PHONE], ids=["desktop", "phone"])
def test_the_office_filters_complaints_and_cases_in_place(chromium, live_server, demo_world, viewport):
    from playwright.sync_api import expect

    _rows()
    context = chromium.new_context(base_url=live_server.url, viewport=viewport, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", "discipline")
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in")

    page.goto("/discipline/complaints/")
    expect(page.locator("#complaint-list tbody tr[data-complaint]")).to_have_count(3)
    page.evaluate("window.__samePage = true")
    if viewport is PHONE:  # the filters are folded under "筛选" on a phone
        page.click("#complaint-filters summary")
    page.select_option("#id_department", "HOUSING")
    expect(page.locator("#complaint-list tbody tr[data-complaint]")).to_have_count(1)
    expect(page.locator("#complaint-list")).to_contain_text("TS2026-900001")
    assert "department=HOUSING" in page.url and page.evaluate("window.__samePage === true")
    if viewport is PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto("/accountability/cases/")
    expect(page.locator("#case-list tbody tr[data-case]")).to_have_count(3)
    page.evaluate("window.__samePage = true")
    if viewport is PHONE:
        page.click("#case-filters summary")
    page.fill("#id_q", "zr2026-900002")
    page.click("#apply-filters")
    expect(page.locator("#case-list tbody tr[data-case]")).to_have_count(1)
    expect(page.locator("#case-list")).to_contain_text("ZR2026-900002")
    assert page.evaluate("window.__samePage === true")
    if viewport is PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


@pytest.mark.parametrize(("username", "url", "link"), [
    ("discipline", "/discipline/complaints/", "#complaint-list a[href^='/discipline/complaints/']"),
    ("discipline", "/accountability/cases/", "#case-list a[href^='/accountability/cases/']"),
    ("citizen", "/my/applications/", "#my-applications a[href^='/applications/']"),
], ids=["complaints", "cases", "my-applications"])
def test_a_rows_link_opens_its_own_page_not_a_page_inside_the_list(chromium, live_server, demo_world,
                                                                   username, url, link):
    """Only a list's pager is boosted by htmx: a row's link is a plain link to the record's page
    (a boosted one put the whole record page, header and menu included, inside the list)."""
    from tests.browser.everyone import new_page

    _rows()
    if username == "citizen":
        from approvals.models import Application
        from portal.catalogue.models import ServiceItem
        from django.contrib.auth.models import User
        from django.utils import timezone

        citizen = User.objects.get(username="citizen")
        Application.objects.create(service=ServiceItem.objects.get(code="MKT-001"), status="in_review",
                                   number="SQ2026990001", applicant=citizen, applicant_name="陈民",
                                   applicant_id_number="11010519491231002X", created_by=citizen,
                                   created_at=timezone.now())
    context, page = new_page(chromium, live_server, {"width": 1366, "height": 900}, username)
    page.goto(url)
    target = page.locator(link).first
    href = target.get_attribute("href")
    target.click()
    page.wait_for_url(f"**{href}")
    page.wait_for_load_state()
    assert page.locator("header").count() == 1, "the record's page was put inside the list"
    context.close()
