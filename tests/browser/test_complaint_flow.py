"""A complaint from first word to reopening, in a real browser (SPEC §2 效能投诉, §4).

Someone who does not sign in complains anonymously about the window clerk (badge
C0101). The discipline office accepts it, investigates it and finds it substantiated,
which opens an accountability case against the clerk; the office answers the
complainant and decides the case as an efficiency warning (效能告诫). The complainant,
following the complaint by number and code, says he is not satisfied, and the
complaint is reopened for a different investigator. Selectors are ids, names and data
attributes, never visible text (the pages are Chinese by default).
"""

import re

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2026"
TIMEOUT_MS = 15_000


def _context(browser, base_url: str):
    context = browser.new_context(base_url=base_url, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _sign_in(browser, base_url: str, username: str):
    from playwright.sync_api import expect

    page = _context(browser, base_url)
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in")
    expect(page.locator("form[action='/logout/']")).to_be_attached()
    return page


def _expect_status(page, status: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#status")).to_have_attribute("data-status", status)


def test_anonymous_complaint_about_the_clerk_is_substantiated_and_reopened_once(chromium, live_server, demo_world):
    from playwright.sync_api import expect

    from complaints.models import Complaint

    # An anonymous citizen complains about badge C0101 and keeps the number and code.
    citizen = _context(chromium, live_server.url)
    citizen.goto("/")
    citizen.click("#nav-complain")
    citizen.select_option("#id_category", "attitude")
    citizen.fill("#id_description", "C0101号窗口工作人员态度恶劣，不解释就把材料退回。")
    citizen.fill("#id_staff_badge", "C0101")
    citizen.check("#id_anonymous")
    citizen.fill("#id_contact", "13912345678")
    citizen.click("#file-complaint")
    citizen.wait_for_url(re.compile(r"/complaints/track/\?"))
    _expect_status(citizen, "filed")
    number = citizen.locator("#complaint-number").inner_text().strip()
    code = citizen.locator("#complaint-code").inner_text().strip()
    assert number.startswith("TS") and len(code) == 8

    # The discipline office finds it in its queue, accepts it and investigates it itself.
    office = _sign_in(chromium, live_server.url, "discipline")
    office.click("#nav-complaint-queue")
    office.locator("tr[data-complaint]", has_text=number).locator("a").click()
    _expect_status(office, "filed")
    expect(office.locator("#complainant")).to_contain_text("13912345678")
    office.click("#accept")
    _expect_status(office, "accepted")
    office.select_option("#assign-form select[name=investigator]", "discipline")
    office.click("#assign")
    _expect_status(office, "investigating")
    office.select_option("#conclude-form select[name=finding]", "substantiated")
    office.fill("#conclude-form textarea[name=summary]", "经调阅窗口录像，投诉属实。")
    office.click("#conclude")
    _expect_status(office, "concluded")
    expect(office.locator("#finding")).to_have_attribute("data-finding", "substantiated")
    office.fill("#reply-form textarea[name=text]", "经核实，投诉属实，已对该工作人员立案问责。感谢您的监督。")
    office.click("#send-reply")
    _expect_status(office, "replied")
    complaint_page = office.url

    # The substantiated finding opened a case against the clerk; it is decided as an efficiency warning.
    office.click("#case-number")
    _expect_status(office, "opened")
    office.click("#start-investigation")
    _expect_status(office, "investigating")
    office.select_option("#sanction-choice", "efficiency_warning")
    office.fill("#reasoning", "服务态度生硬，经查属实，给予效能告诫。")
    office.click("#decide")
    expect(office.locator("#sanction")).to_have_attribute("data-sanction", "efficiency_warning")

    # The complainant reads the answer and is not satisfied: the complaint is reopened.
    citizen.goto(f"/complaints/track/?number={number}&code={code}")
    _expect_status(citizen, "replied")
    expect(citizen.locator("#reply")).to_contain_text("立案问责")
    citizen.check("#feedback-form input[name=satisfied][value=no]")
    citizen.fill("#feedback-form textarea[name=comment]", "处理结果太轻。")
    citizen.click("#send-feedback")
    _expect_status(citizen, "reopened")
    expect(citizen.locator("#feedback-form")).to_have_count(0)

    # The office must now choose someone else: the first investigator is not offered.
    office.goto(complaint_page)
    _expect_status(office, "reopened")
    options = office.locator("#assign-form select[name=investigator] option").evaluate_all(
        "options => options.map(o => o.value)")
    assert "discipline" not in options and "supervisor" in options

    complaint = Complaint.objects.get(number=number)
    assert complaint.anonymous and complaint.complainant is None and complaint.staff.username == "window"
    assert complaint.case_number

    citizen.context.close()
    office.context.close()
