"""Issue 12's page checks and crawl, shared by the CI test (tests/browser/test_every_page_on_a_phone.py)
and the full crawler (``python -m tests.browser.crawl``).

On each page: no error page, no horizontal scrolling (document width ≤ viewport), no table cell
squeezed to one or two characters a line, no snake_case code or demo user name in the visible
text, and no serious or critical WCAG violation found by axe-core. On an English page also no
Chinese words in its own wording (headings, table and list heads, labels, buttons, chart labels):
the records it shows (names, departments, items) stay as they were written.
"""

import functools
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

PASSWORD = "demo-pass-2026"


def sign_in(page, username: str, password: str = PASSWORD) -> str:
    """Signs a user in through the login form; returns the path he lands on."""
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#sign-in")
    page.wait_for_load_state()
    return urlsplit(page.url).path


def use_language(context, base_url: str, language: str) -> None:
    """What the site's language switch leaves behind (its cookie), and a browser asking for it."""
    from django.conf import settings

    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}])
    context.set_extra_http_headers({"Accept-Language": "zh-CN,zh" if language == "zh-hans" else "en-US,en"})


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
# Downloads, the sign-out, Django's admin and the machine API are not pages a person reads here.
SKIP = re.compile(r"\.(pdf|csv|png|zip)$|/files/|/logout/|/admin/|/api/|export|/download|/media/|/pdf/")
# WCAG 2.x A/AA rules (axe's tags); best-practice rules are not the law.
AXE_OPTIONS = {"resultTypes": ["violations"],
               "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
_AXE = Axe()

# Table cells whose text wraps to one or two characters a line (a name set in a column too
# narrow for it): the page fits its viewport but cannot be read.
_SQUEEZED_CELLS = """() => {
  const found = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    const text = cell.innerText.replace(/\\s+/g, '');
    if (text.length < 4 || !cell.getClientRects().length) continue;
    const range = document.createRange();
    range.selectNodeContents(cell);
    const tops = new Set();
    for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    if (tops.size >= 3 && text.length / tops.size <= 2) found.push(text.slice(0, 12));
  }
  return found;
}"""


# Chinese on an English page, in two kinds. Words that have English: a Chinese translation from
# the portal's catalogue (a word translated once, at import, or stored translated), or the name
# of a department, an item or a material that has an English name. And Chinese in the page's own
# wording where no record is shown: a heading, a table's or a list's head, a label, a button, a
# chart's label. A gloss after English ("satisfied (满意)") is meant; so is lang="zh…"; a name in
# a cell, a list or a link is a record (the first kind still finds one that has English); a
# message in the inbox was written in the language of the day it was sent.
_CHINESE_TEXT = """() => {
  const own = 'h2, h3, h4, th, dt, label, summary, caption, figcaption, button, .btn, svg text, title, nav a';
  const texts = [], wording = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (!/[\\u3400-\\u9fff]/.test(text) || !element || element.closest('[lang^=zh], script, style, ul.inbox')) continue;
    if (!['TITLE', 'OPTION'].includes(element.tagName) && !element.getClientRects().length) continue;
    texts.push(text);
    if (/[A-Za-z]/.test(text) || element.closest('td, dd, li, option, .who')) continue;
    if (element.closest(own)) wording.push(text.slice(0, 20));
  }
  return [texts, wording];
}"""
_GLOSS = re.compile(r"(?<=[A-Za-z]) ?[(（][^()（）]*[)）]")
# The pieces a page strings together: "name · badge", "label: value", "CODE name"; not the words
# of a sentence.
_PIECES = re.compile(r"\s+·\s+|:\s+|\s+/\s+|(?<=[A-Za-z0-9])\s+(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])\s+(?=[A-Za-z0-9])")


@functools.cache
def with_english() -> frozenset[str]:
    """The Chinese that has English: the portal's catalogue (locale/, not Django's own "是" and
    "否") and the names of centers, departments, items and materials that have an English name. Read
    from the database: call it once before Playwright's loop runs in this thread."""
    import gettext

    from django.conf import settings

    from portal.catalogue.models import IntermediaryService, MaterialRequirement, ServiceItem
    from portal.organisation.models import Department, ServiceCenter

    with open(settings.LOCALE_PATHS[0] / "zh_Hans" / "LC_MESSAGES" / "django.mo", "rb") as mo:
        chinese = {text for key, text in gettext.GNUTranslations(mo)._catalog.items() if key and text}
    for model in (ServiceCenter, Department, ServiceItem, IntermediaryService, MaterialRequirement):
        chinese |= set(model.objects.exclude(name_en="").values_list("name", flat=True))
    return frozenset(chinese)


def untranslated(page) -> list[str]:
    """The Chinese of an English page that should have been English (see _CHINESE_TEXT)."""
    texts, wording = page.evaluate(_CHINESE_TEXT)
    found = set(wording)
    for text in texts:
        text = _GLOSS.sub("", text).strip()
        found |= {piece for piece in [text, *_PIECES.split(text)] if piece.strip() in with_english()}
    return sorted(found)


def demo_usernames() -> list[str]:
    """Every account the demo world seeds (SPEC §7 and the additions of later issues), read from
    the seeding modules so that a new demo user is crawled without touching this file."""
    from approvals import demo
    from supervision.demo import LEADERS

    names = [row[0] for row in demo.STAFF] + [row[0] for row in demo.CITIZENS]
    names += [demo.TOWN_CLERK[0], demo.PROXY_OFFICER[0], demo.TOWN_SUPERVISOR[0], demo.PROJECT_MANAGER[0],
              demo.ENTERPRISE[0]]
    names += [person[0] for people in LEADERS.values() for person in people]
    return list(dict.fromkeys(names))


def is_citizen(username: str) -> bool:
    return username.startswith("citizen") or username == "enterprise"


def name_pattern(usernames: list[str]) -> re.Pattern:
    return re.compile(r"(?<![\w@.-])(" + "|".join(sorted(usernames, key=len, reverse=True)) + r")(?![\w@.-])")


def page_problems(page, url: str, width: int, names: re.Pattern, axe: bool = True,
                  language: str = "zh-hans") -> list[str]:
    """What is wrong with the page now shown, one line each (``axe=False``: all but axe-core's
    rules, the slowest check; ``language``: the one the page was asked for)."""
    found = []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        found.append(f"{url}: {scroll_width}px wide")
    squeezed = page.evaluate(_SQUEEZED_CELLS)
    if squeezed:
        found.append(f"{url}: table cells one character a line {sorted(set(squeezed))[:4]}")
    # An address written out (a notice's link) names paths such as /discipline/, not people.
    text = re.sub(r"https?://\S+", "", page.locator("body").inner_text())
    for pattern, what in ((SNAKE, "code"), (names, "user name")):
        hits = sorted(set(pattern.findall(text)))
        if language != "zh-hans" and what == "user name":
            # "window", "supervisor", "discipline" are English words on an English page.
            hits = [hit for hit in hits if not hit.isalpha()]
        if hits:
            found.append(f"{url}: {what} {hits[:5]}")
    shown = page.evaluate("document.documentElement.lang")
    if shown != language:
        found.append(f"{url}: in {shown!r}, not {language!r}")
    elif language != "zh-hans":
        chinese = untranslated(page)
        if chinese:
            found.append(f"{url}: untranslated {chinese[:5]}")
    for violation in _AXE.run(page, options=AXE_OPTIONS).response["violations"] if axe else ():
        if violation["impact"] in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"][:3]]
            found.append(f"{url}: axe {violation['impact']} {violation['id']} at {targets}")
    return found


def shape(url: str) -> str:
    """A URL with its numbers and query values blanked: /applications/12/?page=2 and
    /applications/40/?page=3 are the same template, worth a look or two, not forty."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "N", parts.path)
    query = "&".join(sorted(p.split("=")[0] for p in parts.query.split("&") if p))
    return f"{path}?{query}"


def menu_links(page) -> list[str]:
    """The menu's pages, the folded "more" list included."""
    links = page.eval_on_selector_all("#site-nav a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
    return list(dict.fromkeys(u.split("#")[0] for u in links))


_MAIN = re.compile(r"<main\b.*</main>", re.S)
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _main_digest(html: str) -> str:
    found = _MAIN.search(html)
    return hashlib.sha1(_TOKEN.sub("", found.group(0) if found else html).encode()).hexdigest()


@dataclass
class Crawl:
    """Visits the start pages (a user's menu: always, each once) and, one level down, up to
    ``follow`` links of each from its main content, at most ``per_shape`` pages of one URL
    shape. ``shapes`` may be shared between the crawls of several users, so that a follow-up
    page seen as one user is sampled, not visited again as every other."""

    page: object
    width: int
    names: re.Pattern
    follow: int = 4
    per_shape: int = 2
    shapes: Counter = field(default_factory=Counter)
    # Shared between users to sample (the CI test): the main content of each page already
    # checked (a page whose main content is the same as one checked is fetched, not drawn again:
    # the header each user gets is checked on his landing page) and the URL shapes axe has run on.
    contents: set | None = None
    axe_shapes: set | None = None
    # URL → the main contents it was fetched with: a URL fetched twice (as two users) with the
    # same content is a page the same for everybody (the catalogue, the register), not fetched
    # for every further user.
    by_url: dict | None = None
    language: str = "zh-hans"
    axe: bool = True  # False: every check but axe-core's (the slowest; the same on a page in either language)
    seen: set = field(default_factory=set)
    problems: list = field(default_factory=list)
    drawn: int = 0

    def visit(self, url: str, linked_from: str = "", dedupe: bool = True, loaded=None) -> bool:
        """Checks one page; False when it was skipped, is an error page, or (``dedupe``) its main
        content is one already checked. ``loaded``: the browser shows this page already (the
        response that brought it), so it is checked where it is, not loaded again."""
        url = url.split("#")[0]
        if url in self.seen or SKIP.search(url) or (linked_from and self.shapes[shape(url)] >= self.per_shape):
            return False
        self.seen.add(url)
        self.shapes[shape(url)] += 1
        where = f" (linked from {linked_from})" if linked_from else ""
        if self.by_url is not None and dedupe:
            known = self.by_url.get(url, [])
            if len(known) >= 2 and len(set(known)) == 1:
                return False
        # Loaded once, by the browser: the main content of the document it was answered with
        # decides whether the page is one already checked (fetched apart first, every new page
        # was answered twice by the server).
        response = loaded
        if response is None:
            try:
                response = self.page.goto(url)
            except PlaywrightTimeout:  # a page that does not load is a problem to report, not the crawl's end
                self.problems.append(f"{url}: not loaded within the context's timeout{where}")
                return False
        if response is None or response.status >= 400:
            self.problems.append(f"{url}: HTTP {response.status if response else '?'}{where}")
            return False
        if self.contents is not None and dedupe:
            digest = _main_digest(response.text())
            if self.by_url is not None:
                self.by_url.setdefault(url, []).append(digest)
            if digest in self.contents:
                return False
            self.contents.add(digest)
        self.drawn += 1
        axe = self.axe and (self.axe_shapes is None or shape(url) not in self.axe_shapes)
        if self.axe_shapes is not None and axe:
            self.axe_shapes.add(shape(url))
        self.problems += page_problems(self.page, url, self.width, self.names, axe=axe, language=self.language)
        return True

    def links(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all("main a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
        return [u for u in dict.fromkeys(h.split("#")[0] for h in hrefs)
                if u not in self.seen and not SKIP.search(u) and self.shapes[shape(u)] < self.per_shape]

    def run(self, start: list[str], loaded=None, after_first=None) -> "Crawl":
        """The first start page (where the user lands) is always checked in full; ``loaded``: the
        browser shows it already (the response that brought it there); ``after_first``: called once
        it is checked and its links are read, returning problems (checks of the page's header that
        change its state)."""
        follow_up = {}
        for i, url in enumerate(start):
            if self.visit(url, dedupe=i > 0, loaded=loaded if i == 0 else None):
                for link in self.links()[:self.follow]:
                    follow_up.setdefault(link, url)
            if i == 0 and after_first is not None:
                self.problems += after_first()
        for url, linked_from in follow_up.items():
            self.visit(url, linked_from)
        return self
