"""The English pages, a sample (tests/browser/test_every_page_on_a_phone.py says what is checked on each
page)."""

import pytest

from tests.browser import crawling
from tests.browser.everyone import ENGLISH_MENUS, crawl_everyone, whole_demo_world

pytestmark = [pytest.mark.browser, pytest.mark.heavy(seconds=40)]


def test_english_pages_fit_and_read_in_english(chromium, live_server, demo_world):
    """The English pages (the site's language switch): the longer words still fit, the staff
    menus on one line at 1366 px, and the page's own words are English. A sample within a
    CI budget: the supervisor's menu pages (the longest menu) on a desktop and a citizen's on
    a phone, without axe-core (its rules find the same on the Chinese pages of the phone and desktop crawls); the whole
    crawl in English is ``python -m tests.browser.crawl --language en``."""
    whole_demo_world()
    crawling.with_english()  # read from the database before Playwright's loop runs
    problems, visited = crawl_everyone(chromium, live_server, ["supervisor"], crawling.DESKTOP, follow=0,
                                        header_only=ENGLISH_MENUS, language="en", axe=False)
    phone_problems, phone_visited = crawl_everyone(chromium, live_server, ["citizen"], crawling.PHONE, follow=0,
                                                    language="en", axe=False)
    assert min([*visited.values(), *phone_visited.values()]) >= 8, (visited, phone_visited)
    assert not problems + phone_problems, "\n".join(problems + phone_problems)
