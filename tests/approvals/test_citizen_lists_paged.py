"""A citizen's own lists page like the staff queues (issue 12, "lists that scale"): his
applications, complaints and questions, newest first, each once across the pages; before, the
first 100 were shown and the rest could not be reached."""

import re

import pytest

from tests.conftest import APPLICANT

pytestmark = pytest.mark.django_db


def _walk(client, url) -> list[str]:
    """The row links of every page from ``url`` by the pager's rel=next link."""
    seen, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        seen += re.findall(r'href="/applications/(\d+)/"', body)
        following = re.search(r'rel="next" href="([^"]+)"', body)
        url = "/my/applications/" + following.group(1).replace("&amp;", "&") if following else None
        pages += 1
        assert pages < 20
    return seen


def test_citizen_pages_through_every_application_of_his_newest_first(world, api, client):
    citizen = api(world.citizen)
    ids = [citizen.post("/api/applications/", {"service": "MKT-001", "applicant": APPLICANT},
                        format="json").json()["id"] for _ in range(7)]
    client.force_login(world.citizen)
    assert _walk(client, "/my/applications/?limit=3") == [str(i) for i in reversed(ids)]


def test_the_first_page_of_a_short_list_has_no_pager(world, client):
    client.force_login(world.citizen2)
    for url in ("/my/applications/", "/my/complaints/", "/inquiries/"):
        body = client.get(url).content.decode()
        assert 'class="pager' not in body, url
