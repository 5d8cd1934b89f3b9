"""First-inquiry ownership and A/B posts in a real browser (SPEC §2 首问负责制, AB岗工作制).

The window clerk records a walk-in question and refers it to HOUSING; HOUSING
acknowledges and answers; the clerk, still owner, closes it. Then the supervisor marks
the clerk absent and his B post finds the clerk's queue on his own work page. The
pages are Chinese by default, so every selector is an id, a name or a data attribute.
"""

import re

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2026"
TIMEOUT_MS = 15_000


def _sign_in(browser, base_url: str, username: str):
    from playwright.sync_api import expect

    context = browser.new_context(base_url=base_url, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in")
    expect(page.locator("form[action='/logout/']")).to_be_attached()
    return page


def _expect_status(page, status: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#status")).to_have_attribute("data-status", status)


def _record_walk_in(clerk, subject: str) -> str:
    clerk.goto("/inquiries/")
    clerk.click("#record-inquiry")
    clerk.select_option("#id_channel", "walk_in")
    clerk.fill("#id_citizen_name", "陈民")
    clerk.fill("#id_citizen_contact", "13800138000")
    clerk.fill("#id_subject", subject)
    clerk.fill("#id_question", "建筑工程施工许可需要多少个工作日？")
    clerk.click("#save-inquiry")
    clerk.wait_for_url(re.compile(r"/inquiries/\d+/$"))
    _expect_status(clerk, "open")
    return re.search(r"/inquiries/(\d+)/$", clerk.url).group(1)


def test_a_walk_in_inquiry_is_referred_answered_and_closed_by_its_owner(chromium, live_server, demo_world):
    from playwright.sync_api import expect

    clerk = _sign_in(chromium, live_server.url, "window")
    housing = _sign_in(chromium, live_server.url, "reviewer_housing")

    inquiry_id = _record_walk_in(clerk, "施工许可时限")
    expect(clerk.locator("#owner [data-badge]")).to_have_attribute("data-badge", "C0101")

    # The clerk refers it to HOUSING and stays owner.
    clerk.select_option("#refer-form select[name=department]", "HOUSING")
    clerk.fill("#refer-form textarea[name=note]", "请住建局答复")
    clerk.click("#refer")
    _expect_status(clerk, "referred")
    expect(clerk.locator("#referral")).to_have_attribute("data-department", "HOUSING")
    expect(clerk.locator("#owner [data-badge]")).to_have_attribute("data-badge", "C0101")
    expect(clerk.locator("#close")).to_have_count(0)

    # HOUSING finds it among its referred inquiries, acknowledges and answers.
    housing.goto("/inquiries/referred/")
    row = housing.locator(f"tr[data-inquiry='{inquiry_id}']")
    row.locator("button[data-action='acknowledge']").click()
    expect(housing.locator(f"tr[data-inquiry='{inquiry_id}'] [data-badge='H0301']")).to_be_visible()
    housing.goto(f"/inquiries/{inquiry_id}/")
    housing.fill("#answer-form textarea[name=answer]", "承诺时限为10个工作日。")
    housing.click("#send-answer")
    _expect_status(housing, "answered")

    # The owner sees the progress and the answer, and closes.
    clerk.goto("/inquiries/")
    expect(clerk.locator(f"tr[data-inquiry='{inquiry_id}']")).to_have_attribute("data-status", "answered")
    clerk.goto(f"/inquiries/{inquiry_id}/")
    expect(clerk.locator("#answer")).to_contain_text("10个工作日")
    clerk.click("#close")
    _expect_status(clerk, "closed")

    clerk.context.close()
    housing.context.close()


def test_the_clerk_marked_absent_leaves_his_queue_to_his_b_post(chromium, live_server, demo_world):
    from playwright.sync_api import expect

    clerk = _sign_in(chromium, live_server.url, "window")
    supervisor = _sign_in(chromium, live_server.url, "supervisor")
    backup = _sign_in(chromium, live_server.url, "window_b")

    inquiry_id = _record_walk_in(clerk, "食品经营许可")

    supervisor.goto("/staff/posts/")
    row = supervisor.locator("tr[data-username='window']")
    row.locator("input[name=note]").fill("年休假")
    row.locator("button[data-action='absent']").click()
    expect(supervisor.locator("tr[data-username='window']")).to_have_attribute("data-absent", "true")

    backup.goto("/staff/work/")
    expect(backup.locator("#covering [data-covering='window']")).to_be_visible()
    expect(backup.locator(f"#work-inquiries tr[data-inquiry='{inquiry_id}']")).to_have_attribute("data-routed", "")
    backup.locator(f"#work-inquiries tr[data-inquiry='{inquiry_id}'] a").click()
    expect(backup.locator("#owner [data-badge]")).to_have_attribute("data-badge", "C0102")
    expect(backup.locator("#first-officer [data-badge]")).to_have_attribute("data-badge", "C0101")

    # The public badge page tells citizens who covers.
    backup.goto("/staff/C0101/")
    expect(backup.locator("#covered-by")).to_contain_text("C0102")

    supervisor.goto("/staff/posts/")
    supervisor.locator("tr[data-username='window'] button[data-action='return']").click()
    expect(supervisor.locator("tr[data-username='window']")).to_have_attribute("data-absent", "false")
    clerk.goto(f"/inquiries/{inquiry_id}/")
    expect(clerk.locator("#owner [data-badge]")).to_have_attribute("data-badge", "C0101")

    for page in (clerk, supervisor, backup):
        page.context.close()
