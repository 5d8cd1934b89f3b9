"""明查暗访 for a department head in Chromium on a phone (390 px): from his menu he reaches the
visits about his department's windows and reads the finding there, not the other department's;
no page scrolls sideways."""

import pytest

pytestmark = pytest.mark.browser
PASSWORD = "demo-pass-2026"
PHONE = {"width": 390, "height": 844}


def _visit(api):
    from django.contrib.auth.models import User

    from portal.organisation.models import Department, ServiceCenter, Window

    center = ServiceCenter.objects.get(code="CITY")
    for number, code in (("05", "MARKET"), ("06", "HOUSING")):
        Window.objects.create(center=center, number=number, name=f"{code} 窗口",
                              department=Department.objects.get(code=code))
    response = api(User.objects.get(username="supervisor")).post("/api/inspections/", {
        "kind": "unannounced", "visited_at": "2026-01-05T10:30:00+08:00", "note": "巡查大厅。",
        "findings": [{"window": "05", "outcome": "problem", "description": "窗口工作人员离岗二十分钟。"},
                     {"window": "06", "outcome": "problem", "description": "住建窗口态度生硬。"}]}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_head_reads_the_inspection_of_his_window_on_a_phone(chromium, live_server, demo_world, api):
    from playwright.sync_api import expect

    visit = _visit(api)
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", "head_market")
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in")
    href = page.get_attribute("#nav-inspections", "href")
    page.goto(href)
    row = page.locator(f"tr[data-visit='{visit['id']}']")
    expect(row).to_contain_text("05")
    expect(row).not_to_contain_text("06")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    row.locator("a").click()
    expect(page.locator("main")).to_contain_text("离岗二十分钟")
    expect(page.locator("main")).not_to_contain_text("态度生硬")
    expect(page.locator("main")).not_to_contain_text("巡查大厅")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
