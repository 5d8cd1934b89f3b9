"""Walking a server-rendered keyset list (templates/_pager.html) page by page, as a person
following "Next" does: what each page lists, in order, and how many pages it took."""

import re
from datetime import datetime

from tests.conftest import SHANGHAI

# What htmx sends: a list then answers with its results alone.
HTMX = {"HTTP_HX_REQUEST": "true"}
NEXT = re.compile(r'rel="next" href="([^"]+)"')


def at(month: int, day: int, hour: int = 10) -> datetime:
    """A moment of 2026 in the center's time zone."""
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def _value(url: str, name: str) -> str | None:
    found = re.search(rf"[?&]{name}=([^&]*)", url)
    return found.group(1) if found else None


def walk(client, url: str, read, *, param: str = "cursor") -> tuple[list[str], int]:
    """Every row ``read`` (a regex, or a function of the page's HTML) finds on ``url`` and the
    pages after it, following the "Next" link that moves ``param`` (a page with several lists
    pages each by its own cursor); and the number of pages read."""
    find = (lambda page: re.findall(read, page)) if isinstance(read, str) else read
    path, seen, pages = url.split("?")[0], [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        seen += find(page)
        pages += 1
        assert pages < 40, "the pager never ends"
        links = [link.replace("&amp;", "&") for link in NEXT.findall(page)]
        moved = [link for link in links if _value(link, param) and _value(link, param) != _value(url, param)]
        url = path + moved[0] if moved else None
    return seen, pages
