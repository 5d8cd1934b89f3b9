"""Issue 12, lists that scale, in Chromium: the attendance page holds two paged lists, one's own
leave and the leave to decide; "Next" under one pages that list in place (htmx asks for the list
it targets), the other list and the page around them stay, and filtering the leave to decide
leaves one's own alone; on a phone nothing is wider than the screen."""

from datetime import date, timedelta

import pytest

from tests.browser.everyone import new_page

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _leave():
    from django.contrib.auth.models import User
    from django.utils import timezone

    from attendance.models import LeaveRequest

    head, reviewer = (User.objects.get(username=u) for u in ("head_market", "reviewer_market"))
    for i in range(5):
        for user, reason in ((head, f"本人事由{i}"), (reviewer, f"待批事由{i}")):
            LeaveRequest.objects.create(user=user, reason=reason, first_day=date(2027, 3, 1) + timedelta(days=i),
                                        last_day=date(2027, 3, 1) + timedelta(days=i), requested_at=timezone.now())


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, PHONE], ids=["desktop", "phone"])
def test_each_leave_list_pages_and_filters_in_place(chromium, live_server, demo_world, viewport):
    from playwright.sync_api import expect

    _leave()
    context, page = new_page(chromium, live_server, viewport, "head_market")
    page.goto("/attendance/?limit=3")
    mine, to_decide = page.locator("#my-leave tbody tr[data-leave]"), page.locator("#leave-to-decide tbody tr[data-leave]")
    expect(mine).to_have_count(3)
    expect(page.locator("#my-leave")).to_contain_text("本人事由4")
    decided_first = page.locator("#leave-to-decide").inner_text()
    page.evaluate("window.__samePage = true")

    page.click("#my-leave-results a[rel=next]")
    expect(page.locator("#my-leave")).to_contain_text("本人事由1")
    expect(mine).to_have_count(2)
    assert page.locator("#leave-to-decide").inner_text() == decided_first, "the other list stays"
    assert page.evaluate("window.__samePage === true") and "mine_cursor=" in page.url

    page.click("#leave-results a[rel=next]")
    expect(page.locator("#leave-to-decide")).to_contain_text("待批事由3")
    expect(page.locator("#my-leave")).to_contain_text("本人事由1")

    if viewport is PHONE:
        page.click("#leave-filters summary")
    page.fill("#leave-filters #id_q", "无此人")
    page.click("#leave-filters #apply-filters")
    expect(to_decide).to_have_count(0)
    expect(page.locator("#leave-to-decide")).to_contain_text("没有符合筛选条件的请假申请")
    expect(mine).to_have_count(2)
    assert page.evaluate("window.__samePage === true")
    if viewport is PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
