"""Issue 12: in Chromium, a reviewer filters the queue and claims a stage from its row without
leaving the page (htmx, served by the portal itself under its Content-Security-Policy)."""

import pytest

from tests.approvals.helpers import accepted, stage_of

pytestmark = pytest.mark.browser
PASSWORD = "demo-pass-2026"


def test_reviewer_claims_from_the_queue_without_leaving_it(chromium, live_server, demo_world, api):
    from types import SimpleNamespace

    from django.contrib.auth.models import User
    from playwright.sync_api import expect

    world = SimpleNamespace(citizen=User.objects.get(username="citizen"), window=User.objects.get(username="window"))
    stage_id = stage_of(accepted(world, api), "MARKET")
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto("/login/")
    page.fill("#id_username", "reviewer_market")
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in")
    page.goto("/review/queue/")
    page.evaluate("window.__samePage = true")  # gone if the browser loads a new page

    page.select_option("#status-filter", "pending")  # a filter applies at once, in place
    expect(page).to_have_url(live_server.url + "/review/queue/?q=&status=pending&alert=")
    page.click(f"[data-claim='{stage_id}']")
    row = page.locator(f"tr[data-stage='{stage_id}']")
    expect(row.locator("[data-claim]")).to_have_count(0)
    expect(row.locator("td").nth(3)).not_to_have_text("—")  # the row is back, naming who claimed it
    assert page.evaluate("window.__samePage === true")
    assert not [p for p in problems if "Content Security Policy" in p or "htmx" in p.lower()], problems
    context.close()

    from approvals.models import Stage

    assert Stage.objects.get(pk=stage_id).assignee.username == "reviewer_market"
