"""Personas (healthchecks' hc/test.py): the owner, the referred department, the citizen,
an outsider. Every inquiry endpoint answers an outsider with 404 (existence does not
leak) and the anonymous caller with 401."""

import pytest

from tests.conftest import APPLICANT
from tests.inquiries.helpers import online, referred

pytestmark = pytest.mark.django_db

BODIES = {
    "refer": {"department": "ENV", "note": "x"},
    "answer": {"answer": "x"},
    "convert": {"service": "MKT-002", "applicant": APPLICANT},
}


def endpoints(pk: int) -> list[tuple[str, str, dict]]:
    base = f"/api/inquiries/{pk}/"
    return [("get", base, {})] + [
        ("post", f"{base}{action}/", BODIES.get(action, {}))
        for action in ("claim", "refer", "acknowledge", "answer", "close", "convert")
    ]


@pytest.fixture
def inquiry(world, api):
    """A walk-in of the window clerk, referred to HOUSING."""
    return referred(api, world)


@pytest.mark.parametrize("outsider", ["citizen2", "window_b", "reviewer_fire", "head_env", "discipline"])
def test_an_outsider_gets_404_on_every_inquiry_endpoint(world, api, inquiry, outsider):
    client = api(getattr(world, outsider))
    for method, url, body in endpoints(inquiry["id"]):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 404, (outsider, url, response.status_code)
        assert response.json()["code"] == "not_found"


def test_an_outsider_gets_404_on_the_pages_too(world, client, inquiry):
    client.force_login(world.citizen2)
    assert client.get(f"/inquiries/{inquiry['id']}/").status_code == 404
    assert client.post(f"/inquiries/{inquiry['id']}/act/close/").status_code == 404


def test_another_citizen_gets_404_on_an_online_inquiry(world, api):
    inquiry = online(api, world.citizen)
    client = api(world.citizen2)
    for method, url, body in endpoints(inquiry["id"]):
        assert getattr(client, method)(url, body, format="json").status_code == 404, url


def test_anonymous_gets_401_with_the_envelope(world, api, inquiry):
    for method, url, body in endpoints(inquiry["id"]):
        response = getattr(api(), method)(url, body, format="json")
        assert response.status_code == 401, url
        assert response.json()["code"] == "not_authenticated"


def test_owner_department_head_of_the_referee_and_supervisor_see_it(world, api, inquiry):
    for user in (world.window, world.reviewer_housing, world.head_housing, world.supervisor):
        assert api(user).get(f"/api/inquiries/{inquiry['id']}/").status_code == 200, user.username


def test_an_outsider_lists_nothing(world, api, inquiry):
    for user in (world.citizen2, world.window_b, world.reviewer_fire):
        assert api(user).get("/api/inquiries/").json()["count"] == 0, user.username


def test_a_referral_moved_on_is_no_longer_visible_to_the_first_department(world, api, inquiry):
    api(world.window).post(f"/api/inquiries/{inquiry['id']}/refer/", {"department": "ENV"}, format="json")
    assert api(world.reviewer_housing).get(f"/api/inquiries/{inquiry['id']}/").status_code == 404
    assert api(world.reviewer_env).get(f"/api/inquiries/{inquiry['id']}/").status_code == 200
