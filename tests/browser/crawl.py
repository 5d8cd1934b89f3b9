"""Issue 12's crawler against a running portal, outside the CI suite:

    python manage.py seed_demo --history && python manage.py runportal 127.0.0.1:8000 &
    python -m tests.browser.crawl --base-url http://127.0.0.1:8000

Every demo user signs in on a desktop (1366 px) and on a phone (390 × 844) and visits every page of
his menu and up to ``--follow`` pages each of them links to; each page is checked as the CI test
checks it (tests/browser/crawling.py). ``--after-actions`` first walks a day in the hall on each
screen (a citizen applies and complains, the clerk accepts, a reviewer claims and approves, the
discipline office accepts and assigns the complaint) and checks every page reached on the way;
the menus crawled afterwards then show the state those actions left. ``--language en`` crawls the
English pages (the cookie the site's language switch sets, and a browser asking for English):
there also the page's own words must be English. Prints one line per problem and exits 1 if
there is any.
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
LOCALES = {"zh-hans": "zh-CN", "en": "en-US"}


def _crawl_one(browser, base_url, username, viewport_name, args, names):
    from tests.browser import crawling

    viewport = crawling.PHONE if viewport_name == "phone" else crawling.DESKTOP
    context = browser.new_context(base_url=base_url, viewport=viewport, locale=LOCALES[args.language])
    crawling.use_language(context, base_url, args.language)
    context.set_default_timeout(20_000)
    page = context.new_page()
    landing = crawling.sign_in(page, username)
    problems = []
    if landing == "/login/":
        problems.append(f"/login/: {username} could not sign in")
        context.close()
        return problems, 0
    menu = crawling.menu_links(page)
    crawl = crawling.Crawl(page, viewport["width"], names, follow=args.follow, per_shape=args.per_shape,
                           language=args.language)
    crawl.run([landing] + menu)
    if args.screenshots:
        for url in args.shoot:
            if url in crawl.seen:
                page.goto(url)
                name = re.sub(r"\W+", "_", url.strip("/")) or "home"
                shot = f"{username}-{args.language}-{viewport_name}-{name}.png"
                page.screenshot(path=str(Path(args.screenshots) / shot),
                                full_page=True)
    context.close()
    return crawl.problems + problems, len(crawl.seen)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLICANT = {"name": "陈民", "id_number": "11010519491231002X", "phone": "13800138000"}


class Journey:
    """One screen's walk through the hall, each user in his own browser context; every page a
    step lands on is checked, and a document answered with an error status is a problem."""

    def __init__(self, browser, base_url, viewport_name, names, upload_dir, language="zh-hans"):
        from tests.browser import crawling

        self.browser, self.base_url, self.names, self.upload = browser, base_url, names, upload_dir / "scan.pdf"
        self.language = language
        self.upload.write_bytes(PDF)
        self.viewport = crawling.PHONE if viewport_name == "phone" else crawling.DESKTOP
        self.pages, self.problems, self.steps = {}, [], 0

    def page(self, username):
        if username not in self.pages:
            from tests.browser import crawling

            context = self.browser.new_context(base_url=self.base_url, viewport=self.viewport,
                                               locale=LOCALES[self.language])
            crawling.use_language(context, self.base_url, self.language)
            context.set_default_timeout(20_000)
            page = context.new_page()
            page.on("response", lambda r, who=username: self._status(who, r))
            crawling.sign_in(page, username)
            self.pages[username] = page
        return self.pages[username]

    def _status(self, username, response):
        if response.request.resource_type == "document" and response.status >= 400:
            self.problems.append(f"{urlsplit(response.url).path}: HTTP {response.status} ({username})")

    def check(self, username, what):
        from tests.browser import crawling

        page = self.pages[username]
        page.wait_for_load_state()
        self.steps += 1
        path = urlsplit(page.url).path + (f"?{urlsplit(page.url).query}" if urlsplit(page.url).query else "")
        self.problems += [f"{line} ({username}, {what})"
                          for line in crawling.page_problems(page, path, self.viewport["width"], self.names,
                                                             language=self.language)]

    def close(self):
        for page in self.pages.values():
            page.context.close()

    def walk(self) -> list[str]:
        """The steps; returns what was done (a step that finds nothing to act on is skipped)."""
        done = []
        citizen = self.page("citizen")
        citizen.goto("/services/MKT-002/")
        citizen.click("#apply")
        self.check("citizen", "apply")
        citizen.fill("#id_name", APPLICANT["name"])
        citizen.fill("#id_id_number", APPLICANT["id_number"])
        citizen.fill("#id_phone", APPLICANT["phone"])
        citizen.click("#save-draft")
        citizen.wait_for_url(re.compile(r"/applications/\d+/$"))
        application = re.search(r"/applications/\d+/$", citizen.url).group(0)
        self.check("citizen", "draft saved")
        for material in citizen.locator("tr[data-material]").evaluate_all("rows => rows.map(r => r.dataset.material)"):
            row = citizen.locator(f"tr[data-material='{material}']")
            row.locator("input[type=file]").set_input_files(str(self.upload))
            row.locator("button").click()
            citizen.locator(f"tr[data-material='{material}'] a[data-file]").wait_for()
        self.check("citizen", "materials uploaded")
        citizen.click("#submit")
        self.check("citizen", "submitted")
        done.append(f"citizen submitted {application}")

        clerk = self.page("window")
        clerk.goto("/window/queue/")
        self.check("window", "queue with a new submission")
        clerk.goto(application)
        self.check("window", "a submitted application")
        clerk.click("#accept")
        self.check("window", "confirm acceptance")
        clerk.click("#confirm")
        self.check("window", "accepted")
        done.append(f"window accepted {application}")

        reviewer = self.page("reviewer_market")
        reviewer.goto("/review/queue/")
        self.check("reviewer_market", "queue with a new stage")
        stage = reviewer.locator(f"main tr[data-stage]:has(a:text-is('{self._number(clerk)}')) a[href^='/stages/']")
        if stage.count():
            stage.first.click()
            self.check("reviewer_market", "a pending stage")
            reviewer.click("#claim")
            self.check("reviewer_market", "claimed")
            reviewer.fill("#opinion", "材料齐全，符合法定条件，同意许可。")
            reviewer.click("#approve")
            self.check("reviewer_market", "approved")
            done.append(f"reviewer_market claimed and approved {urlsplit(reviewer.url).path}")
            citizen.goto(application)
            self.check("citizen", "approved application")

        citizen.goto("/")
        citizen.goto(citizen.locator("#nav-complain").get_attribute("href"))  # folded on a phone
        citizen.select_option("#id_category", "delay")
        citizen.fill("#id_description", "申请材料提交后三天无人处理，电话也无人接听。")
        citizen.fill("#id_staff_badge", "C0101")
        citizen.click("#file-complaint")
        self.check("citizen", "complaint filed")
        office = self.page("discipline")
        office.goto("/discipline/complaints/?status=filed")
        self.check("discipline", "queue with a new complaint")
        row = office.locator("main tr[data-complaint] a").first
        if row.count():
            row.click()
            self.check("discipline", "a filed complaint")
            office.click("#accept")
            self.check("discipline", "complaint accepted")
            if office.locator("#assign-form select[name=investigator]").count():
                office.select_option("#assign-form select[name=investigator]", index=1)
                office.click("#assign")
                self.check("discipline", "complaint assigned")
            done.append(f"discipline accepted and assigned {urlsplit(office.url).path}")
        return done

    @staticmethod
    def _number(page) -> str:
        return page.locator("main h1").inner_text().split()[-1] if page.locator("main h1").count() else ""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", help="comma-separated usernames (default: every demo user)")
    parser.add_argument("--viewports", default="desktop,phone")
    parser.add_argument("--follow", type=int, default=8, help="links followed from each menu page")
    parser.add_argument("--per-shape", type=int, default=2, help="pages of one URL shape visited per user")
    parser.add_argument("--after-actions", action="store_true", help="walk a day in the hall first")
    parser.add_argument("--language", choices=sorted(LOCALES), default="zh-hans",
                        help="the pages' language, as the site's switch sets it (its cookie) and the browser asks")
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
    if args.language != "zh-hans":
        crawling.with_english()
    total, kinds, started = [], Counter(), time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        if args.after_actions:
            import tempfile

            for viewport_name in args.viewports.split(","):
                with tempfile.TemporaryDirectory() as tmp:
                    journey = Journey(browser, args.base_url, viewport_name, names, Path(tmp), args.language)
                    try:
                        done = journey.walk()
                    finally:
                        journey.close()
                print(f"## day in the hall, {viewport_name}: {journey.steps} pages, {len(journey.problems)} problems"
                      f" ({'; '.join(done)})", flush=True)
                for line in journey.problems:
                    print(f"   {line}", flush=True)
                    kinds[re.sub(r"^\S+: ", "", line).split(" [")[0].split(" at ")[0].split(" (")[0]] += 1
                total += journey.problems
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
