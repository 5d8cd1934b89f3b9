"""Personas (healthchecks' hc/test.py) for complaints and ratings: the office, the
investigator, the complainant, an outsider citizen, an uninvolved official and the
accused. Every object endpoint answers an outsider with 404, so existence does not leak."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def investigating(world, api, file_complaint, steps):
    complaint = file_complaint(api(world.citizen), anonymous=False)
    steps.accept(complaint)
    steps.assign(complaint, "head_housing")
    return complaint


def complaint_endpoints(pk):
    return [
        ("get", f"/api/complaints/{pk}/"),
        ("post", f"/api/complaints/{pk}/accept/"),
        ("post", f"/api/complaints/{pk}/refuse/"),
        ("post", f"/api/complaints/{pk}/assign/"),
        ("post", f"/api/complaints/{pk}/conclude/"),
        ("post", f"/api/complaints/{pk}/reply/"),
        ("get", f"/discipline/complaints/{pk}/"),
        ("post", f"/discipline/complaints/{pk}/act/accept/"),
        ("post", f"/discipline/complaints/{pk}/act/assign/"),
    ]


def call(world, api, client, user, method, url, body=None):
    if url.startswith("/api/"):
        return getattr(api(user), method)(url, body or {}, format="json")
    client.force_login(user)
    return getattr(client, method)(url, body or {})


@pytest.mark.parametrize("outsider", ["citizen2", "reviewer_market", "head_market", "window"])
def test_outsiders_get_404_on_every_complaint_endpoint(world, api, client, investigating, outsider):
    user = getattr(world, outsider)
    for method, url in complaint_endpoints(investigating["id"]):
        response = call(world, api, client, user, method, url)
        assert response.status_code == 404, (outsider, url, response.status_code)


def test_the_complainant_himself_is_not_staff_and_gets_404_on_the_staff_endpoints(world, api, client, investigating):
    for method, url in complaint_endpoints(investigating["id"]):
        assert call(world, api, client, world.citizen, method, url).status_code == 404, url


def test_anonymous_gets_401_on_the_staff_api(world, api, investigating):
    for method, url in complaint_endpoints(investigating["id"])[:6]:
        response = getattr(api(), method)(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "not_authenticated"
    assert api().get("/api/complaints/").status_code == 401


def test_office_supervisor_and_investigator_see_it(world, api, investigating):
    for user in (world.discipline, world.supervisor, world.head_housing, world.admin):
        assert api(user).get(f"/api/complaints/{investigating['id']}/").status_code == 200, user.username


def test_the_investigator_may_not_reassign_his_complaint(world, api, investigating):
    head = api(world.head_housing)
    assert head.post(f"/api/complaints/{investigating['id']}/assign/", {"investigator": "head_env"},
                     format="json").status_code == 403


def test_outsiders_list_nothing(world, api, investigating):
    for user in (world.citizen2, world.reviewer_market, world.window, world.citizen):
        assert api(user).get("/api/complaints/").json()["count"] == 0, user.username


def evaluation_endpoints(application_id, evaluation_id, follow_up_id):
    return [
        ("get", f"/api/applications/{application_id}/evaluation/"),
        ("post", f"/api/applications/{application_id}/evaluation/"),
        ("get", f"/api/evaluations/{evaluation_id}/"),
        ("post", f"/api/evaluations/{evaluation_id}/appeal/"),
        ("post", f"/api/evaluations/{evaluation_id}/strike/"),
        ("post", f"/api/evaluations/{evaluation_id}/dismiss-appeal/"),
        ("post", f"/api/evaluations/follow-ups/{follow_up_id}/complete/"),
        ("get", f"/applications/{application_id}/evaluate/"),
        ("post", f"/evaluations/follow-ups/{follow_up_id}/complete/"),
        ("post", f"/evaluations/{evaluation_id}/act/strike/"),
    ]


@pytest.mark.parametrize("outsider", ["citizen2", "reviewer_housing", "head_fire"])
def test_outsiders_get_404_on_every_rating_endpoint(world, api, client, decided_application, outsider):
    app = decided_application()
    rated = api(world.citizen).post(f"/api/applications/{app['id']}/evaluation/", {"score": 1}, format="json").json()
    user = getattr(world, outsider)
    for method, url in evaluation_endpoints(app["id"], rated["id"], rated["follow_up"]["id"]):
        response = call(world, api, client, user, method, url)
        assert response.status_code == 404, (outsider, url, response.status_code)
