"""Issue 12, words not codes: pages a head, a supervisor and a citizen read name departments and
rating levels in words (the crawler's snake_case check cannot see a bare "MARKET" or a column
headed "5"), and a head's A/B post page says what the on-duty button does."""

import re

import pytest

from tests.browser.everyone import new_page

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DEPARTMENT_CODE = re.compile(r"(?<![\w-])(MARKET|HOUSING|ENV|FIRE|CENTER|DISCIPLINE)(?![\w-])")


def _page(chromium, live_server, username):
    return new_page(chromium, live_server, PHONE, username)


def test_posts_and_attendance_name_departments_in_words(chromium, live_server, demo_world):
    from playwright.sync_api import expect

    context, page = _page(chromium, live_server, "head_market")
    page.goto("/staff/posts/")
    table = page.locator("#posts")
    expect(table).to_contain_text("市场监督管理局")
    assert not DEPARTMENT_CODE.findall(table.inner_text())
    row = page.locator("#posts tr[data-username=reviewer_market]")
    expect(row.locator("[data-action=on-duty]")).to_have_text(re.compile("^设为(不)?在岗$"))
    context.close()

    context, page = _page(chromium, live_server, "supervisor")
    page.goto("/attendance/")
    board = page.locator("#attendance-board")
    expect(board).to_contain_text("市场监督管理局")
    assert not DEPARTMENT_CODE.findall(board.inner_text())
    context.close()


def test_rating_levels_are_headed_in_words(chromium, live_server, demo_world):
    context, page = _page(chromium, live_server, None)
    page.goto("/evaluations/")
    heads = [h.strip() for h in page.locator("table").first.locator("thead th").all_text_contents()]
    assert heads[-5:] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"], heads
    context.close()
