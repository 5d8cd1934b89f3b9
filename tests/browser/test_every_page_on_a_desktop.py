"""Every member of staff's menu pages on a desktop (1366 px), his menu on one line; the citizens' headers
(tests/browser/test_every_page_on_a_phone.py says what is checked on each page)."""

import pytest

from tests.browser import crawling
from tests.browser.everyone import STAFF, USERS, crawl_everyone, whole_demo_world

pytestmark = [pytest.mark.browser, pytest.mark.heavy(seconds=200)]


def test_every_staff_menu_page_fits_a_desktop_on_one_menu_line(chromium, live_server, demo_world):
    whole_demo_world()
    citizens = [u for u in USERS if u not in STAFF]
    problems, visited = crawl_everyone(chromium, live_server, STAFF, crawling.DESKTOP, follow=2, header_only=citizens)
    assert min(visited.values()) >= 8, visited
    assert not problems, "\n".join(problems)
