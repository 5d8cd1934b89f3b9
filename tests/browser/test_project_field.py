"""绿色通道 in Chromium: on the walk-in page the clerk types the start of a key project's name,
the field's suggestions (its <datalist>) are refreshed in place by htmx under the portal's
Content-Security-Policy, and the walk-in is filed under the project chosen — the 120th by
code, which the old list of the first 100 did not offer."""

import pytest

pytestmark = pytest.mark.browser
PASSWORD = "demo-pass-2026"


def test_the_clerk_finds_a_project_by_name_and_files_the_walk_in_under_it(chromium, live_server, demo_world):
    from django.contrib.auth.models import User
    from django.utils import timezone
    from playwright.sync_api import expect

    from approvals.models import Application
    from projects.models import KeyProject
    from tests.conftest import APPLICANT

    demo = KeyProject.objects.get(code="KP-2026-001")
    KeyProject.objects.bulk_create(KeyProject(
        code=f"KP-X-{n:03d}", name=f"港区物流园{n}号" if n >= 100 else f"示例项目{n}号", enterprise="示例企业",
        center=demo.center, manager=demo.manager, stage_days=5, designated_at=timezone.now()) for n in range(130))
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto("/login/")
    page.fill("#id_username", "window")
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in")
    page.goto("/window/intake/")
    options = page.locator("#project-suggestions option")
    expect(options.first).to_have_attribute("value", "KP-2026-001")  # the first by code, with the page
    page.locator("#id_project").press_sequentially("港区物流园12")
    expect(options).to_have_count(10)
    expect(options.first).to_have_attribute("value", "KP-X-120")

    page.select_option("#id_service", "HSG-001")
    page.fill("#id_name", APPLICANT["name"])
    page.fill("#id_id_number", APPLICANT["id_number"])
    page.fill("#id_phone", APPLICANT["phone"])
    page.fill("#id_project", "KP-X-120")
    page.get_by_role("button", name="创建办件").click()
    page.wait_for_url("**/applications/*/")
    assert not [p for p in problems if "Content Security Policy" in p or "htmx" in p.lower()], problems
    context.close()
    window = User.objects.get(username="window")
    assert Application.objects.get(created_by=window).key_project.code == "KP-X-120"
