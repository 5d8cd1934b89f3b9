"""The crawl of every demo user's menu pages that the CI tests run (tests/browser/test_every_page_*.py):
on a phone, on a desktop, in English. One file each, so that pytest-xdist can hand the three
(each a few minutes on a loaded 2-core machine) to different workers; the checks on each page
are tests/browser/crawling.py's."""

import functools
import io
from collections import Counter
from urllib.parse import urlsplit

from tests.browser import crawling

USERS = crawling.demo_usernames()
STAFF = [u for u in USERS if not crawling.is_citizen(u)]
NAMES = crawling.name_pattern(USERS)
# The other long English menus: a department head's, the discipline office's, a clerk's.
ENGLISH_MENUS = ["head_market", "discipline", "window"]


def whole_demo_world():
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


def session_cookie(context, live_server, username) -> None:
    """Signs ``username`` in without the form: a session of his, made on the server side, in the
    context's cookies (the form costs a password hash, three requests and his landing page each
    time; it is the flow tests' work: tests/browser/test_intake_flow.py and its neighbours)."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=username))
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


def signed_in(context, page, live_server, username):
    """Signs ``username`` in without the form (session_cookie) and opens the sign-in page, which
    sends him where he lands after signing in: that path, and the response the page now shows."""
    session_cookie(context, live_server, username)
    response = page.goto("/login/")
    return urlsplit(page.url).path, response


def new_page(chromium, live_server, viewport, username=None):
    """A context of its own on ``viewport`` (Chinese, 15 s timeout) and its page, ``username``
    signed in (session_cookie) without a request yet; ``(context, page)``."""
    context = chromium.new_context(base_url=live_server.url, viewport=viewport, locale="zh-CN")
    context.set_default_timeout(15_000)
    if username:
        session_cookie(context, live_server, username)
    return context, context.new_page()


def header_problems(page, viewport) -> list[str]:
    """His menu on the page he landed on: on a phone it unfolds (which changes the page: checked
    after the page's own checks), on a desktop it stays on one line and marks that page."""
    if viewport == crawling.PHONE:
        page.click("label[for=menu-toggle]")  # the menu is folded on a phone
        return [] if page.locator("#site-nav").is_visible() else ["the menu does not unfold"]
    found = []
    bar = page.locator("header .bar").bounding_box()
    if bar["height"] >= 70:
        found.append(f"the header menu wraps ({bar['height']}px)")
    if page.locator("#site-nav [aria-current=page]").count() != 1:
        found.append("the menu does not mark the page he is on")
    return found


def crawl_everyone(chromium, live_server, users, viewport, follow, header_only=(), language="zh-hans",
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
        landing, response = signed_in(context, page, live_server, username)
        expected = "/my/applications/" if crawling.is_citizen(username) else "/workbench/"
        if landing != expected:
            problems.append(f"{username}: lands on {landing}, not {expected}")
        if username in header_only:
            problems += [f"{username}: {line}" for line in header_problems(page, viewport)]
            context.close()
            continue
        crawl = crawling.Crawl(page, viewport["width"], NAMES, follow=follow, per_shape=1, shapes=shapes,
                               contents=contents, axe_shapes=axe_shapes, by_url=by_url, language=language,
                               axe=axe)
        # The landing page is checked as the sign-in left it, not loaded a second time.
        crawl.run([landing] + crawling.menu_links(page), loaded=response,
                  after_first=functools.partial(header_problems, page, viewport))
        problems += [f"{username}: {line}" for line in crawl.problems]
        visited[username] = len(crawl.seen)
        drawn += crawl.drawn
        context.close()
    print(f"{viewport['width']}px, {language}: {sum(visited.values())} pages visited, {drawn} drawn and checked, "
          f"axe on {len(axe_shapes)} URL shapes")
    return problems, visited
