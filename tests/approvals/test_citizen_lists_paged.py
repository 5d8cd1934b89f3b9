"""A citizen's own lists page like the staff queues (issue 12, "lists that scale"): his
applications, complaints and questions, newest first, each once across the pages; before, the
first 100 were shown and the rest could not be reached."""


import pytest

from tests.conftest import APPLICANT
from tests.list_pages import walk

pytestmark = pytest.mark.django_db


def test_citizen_pages_through_every_application_of_his_newest_first(world, api, client):
    citizen = api(world.citizen)
    ids = [citizen.post("/api/applications/", {"service": "MKT-001", "applicant": APPLICANT},
                        format="json").json()["id"] for _ in range(7)]
    client.force_login(world.citizen)
    assert walk(client, "/my/applications/?limit=3", r'href="/applications/(\d+)/"')[0] == [
        str(i) for i in reversed(ids)]


def test_the_first_page_of_a_short_list_has_no_pager(world, client):
    client.force_login(world.citizen2)
    for url in ("/my/applications/", "/my/complaints/", "/inquiries/"):
        body = client.get(url).content.decode()
        assert 'class="pager' not in body, url
