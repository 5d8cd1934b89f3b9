"""Issue 12's crawler in CI: every demo user signs in on a phone (390 × 844), every member of staff
also on a desktop (1366 px), and visits every page of his menu and a sample of the pages they
link to. On each: no horizontal scrolling, no table squeezed to a character a line, no error
page, no snake_case code or user name in the visible text of the Chinese page, and no serious or
critical WCAG violation found by axe-core (tests/browser/crawling.py). Staff land on their
workbench after signing in; citizens and companies on their applications.

A sample of roles is crawled in English too (the page's own words English, the longer words still
fitting). Menu pages are visited for every user; a follow-up page of a URL shape already seen (as this
user or an earlier one) is not visited again, which keeps the test to a few minutes. The full
crawl, every user on both screens and more links, is ``python -m tests.browser.crawl``. The desktop
and the English crawls are test_every_page_on_a_desktop.py and test_every_page_in_english.py
(tests/browser/everyone.py: one file each, so that two xdist workers can share them).
"""

import pytest

from tests.browser import crawling
from tests.browser.everyone import USERS, crawl_everyone, whole_demo_world

pytestmark = [pytest.mark.browser, pytest.mark.heavy(seconds=200)]


def test_every_user_every_menu_page_fits_a_phone_and_reads_in_words(chromium, live_server, demo_world):
    whole_demo_world()
    problems, visited = crawl_everyone(chromium, live_server, USERS, crawling.PHONE, follow=4)
    assert len(visited) >= 25, "every demo user: SPEC §7's and the later issues' additions"
    assert min(visited.values()) >= 8, visited
    assert not problems, "\n".join(problems)
