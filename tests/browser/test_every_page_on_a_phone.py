"""Issue 12's crawler: every demo user signs in on a phone (390 × 844) and visits every page of
his menu and the first pages they link to. On each: no horizontal scrolling (document width ≤
viewport), no error page, no snake_case code or user name in the visible text of the Chinese
page, and no serious or critical WCAG violation found by axe-core. Staff land on their
workbench after signing in; citizens on their applications.
"""

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2026"
PHONE = {"width": 390, "height": 844}
USERS = ["citizen", "window", "reviewer_housing", "head_market", "supervisor", "discipline"]
USERNAMES = ["citizen", "citizen2", "window", "window_b", "reviewer_market", "reviewer_housing", "reviewer_env",
             "reviewer_fire", "head_market", "head_housing", "head_env", "head_fire", "supervisor", "discipline"]
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
NAME = re.compile(r"(?<![\w@.-])(" + "|".join(sorted(USERNAMES, key=len, reverse=True)) + r")(?![\w@.-])")
SKIP = re.compile(r"\.(pdf|csv)$|/files/|/logout/|/admin/|/api/|export")
FOLLOW_PER_PAGE = 4
AXE = Axe()
# WCAG 2.x A/AA rules (axe's tags); best-practice rules are not the law.
AXE_OPTIONS = {"resultTypes": ["violations"],
               "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def _problems(page, url: str) -> list[str]:
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        found.append(f"{url}: {width}px wide")
    text = page.locator("body").inner_text()
    for pattern, what in ((SNAKE, "code"), (NAME, "user name")):
        hits = sorted(set(pattern.findall(text)))
        if hits:
            found.append(f"{url}: {what} {hits[:5]}")
    for violation in AXE.run(page, options=AXE_OPTIONS).response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"][:3]]
            found.append(f"{url}: axe {violation['impact']} {violation['id']} at {targets}")
    return found


def _crawl(page, start: list[str]) -> tuple[list[str], int]:
    problems, seen, queue = [], set(), list(start)
    while queue:
        url = queue.pop(0).split("#")[0]
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        response = page.goto(url)
        if response is None or response.status >= 400:
            problems.append(f"{url}: HTTP {response.status if response else '?'}")
            continue
        problems += _problems(page, url)
        if url in start:
            links = page.eval_on_selector_all("main a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
            queue += [u for u in dict.fromkeys(links) if u not in seen][:FOLLOW_PER_PAGE]
    return problems, len(seen)


def _generated_history():
    from approvals.demo import demo_applications_generate
    from approvals.models import Application

    if Application.objects.count() < 20:
        demo_applications_generate(count=40, progress=io.StringIO())


@pytest.mark.parametrize("username", USERS)
def test_every_menu_page_fits_a_phone_and_reads_in_words(chromium, live_server, demo_world, username):
    _generated_history()
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_load_state()
    landing = page.url.removeprefix(live_server.url)
    assert landing == ("/my/applications/" if username.startswith("citizen") else "/workbench/"), landing
    page.click("label[for=menu-toggle]")  # the menu is folded on a phone
    assert page.locator("#site-nav").is_visible()
    menu = page.eval_on_selector_all("#site-nav a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
    problems, visited = _crawl(page, [landing] + list(dict.fromkeys(u.split("#")[0] for u in menu)))
    context.close()
    assert visited >= 8
    assert not problems, "\n".join(problems)


def test_the_menu_fits_one_line_on_a_desktop(chromium, live_server, demo_world):
    for username in USERS:
        context = chromium.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 800},
                                       locale="zh-CN")
        page = context.new_page()
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("#sign-in")
        page.wait_for_load_state()
        bar = page.locator("header .bar").bounding_box()
        assert bar["height"] < 70, f"{username}: the header wraps ({bar['height']}px)"
        current = page.locator("#site-nav [aria-current=page]")
        assert current.count() == 1, username
        context.close()
