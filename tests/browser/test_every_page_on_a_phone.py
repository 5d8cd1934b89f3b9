"""Issue 12's crawler in CI: every demo user signs in on a phone (390 × 844), every member of staff
also on a desktop (1366 px), and visits every page of his menu and a sample of the pages they
link to. On each: no horizontal scrolling, no table squeezed to a character a line, no error
page, no snake_case code or user name in the visible text of the Chinese page, and no serious or
critical WCAG violation found by axe-core (tests/browser/crawling.py). Staff land on their
workbench after signing in; citizens and companies on their applications.

A sample of roles is crawled in English too (the page's own words English, the longer words still
fitting). Menu pages are visited for every user; a follow-up page of a URL shape already seen (as this
user or an earlier one) is not visited again, which keeps the test to a few minutes. The full
crawl, every user on both screens and more links, is ``python -m tests.browser.crawl``.
"""

import io
from collections import Counter
from urllib.parse import urlsplit

import pytest

from tests.browser import crawling

pytestmark = pytest.mark.browser

USERS = crawling.demo_usernames()
STAFF = [u for u in USERS if not crawling.is_citizen(u)]
NAMES = crawling.name_pattern(USERS)
# The other long English menus: a department head's, the discipline office's, a clerk's.
ENGLISH_MENUS = ["head_market", "discipline", "window"]


def _whole_demo_world():
    """What ``seed_demo --history`` adds to the SPEC §7 world the session restores: the leaders,
    the targets, last month's decisions, ratings, a complaint and a case; and some history."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    from approvals.demo import demo_applications_generate
    from approvals.models import Application

    for dotted in settings.DEMO_SEED_ADDITIONS:
        import_string(dotted)()
    import_string(settings.DEMO_HISTORY)()
    if Application.objects.count() < 60:
        demo_applications_generate(count=30, progress=io.StringIO())


def _signed_in(context, page, live_server, username) -> str:
    """Signs ``username`` in without the form (its password hash costs a second a user on a
    loaded machine; the form is the other browser tests' work) and returns where the sign-in
    page then sends him: where he lands after signing in."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=username))
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page.goto("/login/")
    return urlsplit(page.url).path


def _crawl_everyone(chromium, live_server, users, viewport, follow, header_only=(), language="zh-hans",
                    axe=True) -> tuple[list[str], dict]:
    """Signs each user in and crawls from his menu (``header_only``: checks only where he lands
    and his menu); the problems found, one line each, and the pages visited per user."""
    problems, visited, shapes, contents, axe_shapes, by_url, drawn = [], {}, Counter(), set(), set(), {}, 0
    for username in [*users, *header_only]:
        context = chromium.new_context(base_url=live_server.url, viewport=viewport,
                                       locale="zh-CN" if language == "zh-hans" else "en-US")
        crawling.use_language(context, live_server.url, language)
        context.set_default_timeout(15_000)
        page = context.new_page()
        landing = _signed_in(context, page, live_server, username)
        expected = "/my/applications/" if crawling.is_citizen(username) else "/workbench/"
        if landing != expected:
            problems.append(f"{username}: lands on {landing}, not {expected}")
        if viewport == crawling.PHONE:
            page.click("label[for=menu-toggle]")  # the menu is folded on a phone
            if not page.locator("#site-nav").is_visible():
                problems.append(f"{username}: the menu does not unfold")
        else:
            bar = page.locator("header .bar").bounding_box()
            if bar["height"] >= 70:
                problems.append(f"{username}: the header menu wraps ({bar['height']}px)")
            if page.locator("#site-nav [aria-current=page]").count() != 1:
                problems.append(f"{username}: the menu does not mark the page he is on")
        if username in header_only:
            context.close()
            continue
        crawl = crawling.Crawl(page, viewport["width"], NAMES, follow=follow, per_shape=1, shapes=shapes,
                               contents=contents, axe_shapes=axe_shapes, by_url=by_url, language=language,
                               axe=axe)
        crawl.run([landing] + crawling.menu_links(page))
        problems += [f"{username}: {line}" for line in crawl.problems]
        visited[username] = len(crawl.seen)
        drawn += crawl.drawn
        context.close()
    print(f"{viewport['width']}px, {language}: {sum(visited.values())} pages visited, {drawn} drawn and checked, "
          f"axe on {len(axe_shapes)} URL shapes")
    return problems, visited


def test_every_user_every_menu_page_fits_a_phone_and_reads_in_words(chromium, live_server, demo_world):
    _whole_demo_world()
    problems, visited = _crawl_everyone(chromium, live_server, USERS, crawling.PHONE, follow=4)
    assert len(visited) >= 25, "every demo user: SPEC §7's and the later issues' additions"
    assert min(visited.values()) >= 8, visited
    assert not problems, "\n".join(problems)


def test_every_staff_menu_page_fits_a_desktop_on_one_menu_line(chromium, live_server, demo_world):
    _whole_demo_world()
    citizens = [u for u in USERS if u not in STAFF]
    problems, visited = _crawl_everyone(chromium, live_server, STAFF, crawling.DESKTOP, follow=2, header_only=citizens)
    assert min(visited.values()) >= 8, visited
    assert not problems, "\n".join(problems)



def test_english_pages_fit_and_read_in_english(chromium, live_server, demo_world):
    """The English pages (the site's language switch): the longer words still fit, the staff
    menus on one line at 1366 px, and the page's own words are English. A sample within a
    CI budget: the supervisor's menu pages (the longest menu) on a desktop and a citizen's on
    a phone, without axe-core (its rules find the same on the Chinese pages above); the whole
    crawl in English is ``python -m tests.browser.crawl --language en``."""
    _whole_demo_world()
    crawling.with_english()  # read from the database before Playwright's loop runs
    problems, visited = _crawl_everyone(chromium, live_server, ["supervisor"], crawling.DESKTOP, follow=0,
                                        header_only=ENGLISH_MENUS, language="en", axe=False)
    phone_problems, phone_visited = _crawl_everyone(chromium, live_server, ["citizen"], crawling.PHONE, follow=0,
                                                    language="en", axe=False)
    assert min([*visited.values(), *phone_visited.values()]) >= 8, (visited, phone_visited)
    assert not problems + phone_problems, "\n".join(problems + phone_problems)
