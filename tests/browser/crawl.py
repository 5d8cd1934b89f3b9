"""Issue 12's crawler against a running portal, outside the CI suite:

    python manage.py seed_demo --history && python manage.py runportal 127.0.0.1:8000 &
    python -m tests.browser.crawl --base-url http://127.0.0.1:8000

Every demo user signs in on a desktop (1366 px) and on a phone (390 × 844) and visits every page of
his menu and up to ``--follow`` pages each of them links to; each page is checked as the CI test
checks it (tests/browser/crawling.py). Prints one line per problem and exits 1 if there is any.
"""

import argparse
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _sign_in(page, username: str, password: str) -> str:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#sign-in")
    page.wait_for_load_state()
    return urlsplit(page.url).path


def _crawl_one(browser, base_url, username, viewport_name, args, names):
    from tests.browser import crawling

    viewport = crawling.PHONE if viewport_name == "phone" else crawling.DESKTOP
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    landing = _sign_in(page, username, crawling.PASSWORD)
    problems = []
    if landing == "/login/":
        problems.append(f"/login/: {username} could not sign in")
        context.close()
        return problems, 0
    menu = crawling.menu_links(page)
    crawl = crawling.Crawl(page, viewport["width"], names, follow=args.follow, per_shape=args.per_shape)
    crawl.run([landing] + menu)
    if args.screenshots:
        for url in args.shoot:
            if url in crawl.seen:
                page.goto(url)
                name = re.sub(r"\W+", "_", url.strip("/")) or "home"
                page.screenshot(path=str(Path(args.screenshots) / f"{username}-{viewport_name}-{name}.png"),
                                full_page=True)
    context.close()
    return crawl.problems + problems, len(crawl.seen)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", help="comma-separated usernames (default: every demo user)")
    parser.add_argument("--viewports", default="desktop,phone")
    parser.add_argument("--follow", type=int, default=8, help="links followed from each menu page")
    parser.add_argument("--per-shape", type=int, default=2, help="pages of one URL shape visited per user")
    parser.add_argument("--screenshots", help="directory for screenshots of the --shoot pages")
    parser.add_argument("--shoot", default="", help="comma-separated paths to screenshot")
    args = parser.parse_args(argv)
    args.shoot = [u for u in args.shoot.split(",") if u]
    if args.screenshots:
        Path(args.screenshots).mkdir(parents=True, exist_ok=True)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    from tests.browser import crawling

    everyone = crawling.demo_usernames()
    users = args.users.split(",") if args.users else everyone
    names = crawling.name_pattern(everyone)
    total, kinds, started = [], Counter(), time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for username in users:
            for viewport_name in args.viewports.split(","):
                problems, visited = _crawl_one(browser, args.base_url, username, viewport_name, args, names)
                print(f"## {username} {viewport_name}: {visited} pages, {len(problems)} problems", flush=True)
                for line in problems:
                    print(f"   {line}", flush=True)
                    kinds[re.sub(r"^\S+: ", "", line).split(" [")[0].split(" at ")[0]] += 1
                total += problems
        browser.close()
    print(f"\n{len(total)} problems in {time.monotonic() - started:.0f}s")
    for kind, count in kinds.most_common():
        print(f"{count:4d}  {kind}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
