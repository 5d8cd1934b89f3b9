"""挂牌上岗 (SPEC §6 staff directory): badges are public, contact details are not; the
official, his head or a supervisor marks him on duty; the head names B posts."""

import pytest

from portal.audit.models import AuditEvent
from portal.organisation.models import StaffProfile

pytestmark = pytest.mark.django_db

# and the service commitments of the official's post (服务承诺制, issue 13 item 10)
PUBLIC_FIELDS = {"username", "name", "badge", "department", "window", "on_duty", "commitments"}


def test_anyone_finds_an_official_by_username(world, api):
    response = api().get("/api/staff/", {"username": "window"})
    assert response.status_code == 200
    [entry] = response.json()
    assert {"code": entry.pop("commitments")[0]["code"]} == {"code": "W-CITY-01-A1"}
    assert entry == {"username": "window", "name": "王晓窗", "badge": "C0101", "department": "CENTER",
                     "window": "01", "on_duty": True}


def test_anyone_finds_an_official_by_badge(world, api):
    body = api().get("/api/staff/", {"badge": "H0301"}).json()
    assert [(s["username"], s["department"], s["window"]) for s in body] == [("reviewer_housing", "HOUSING", None)]


def test_the_directory_never_shows_e_mail_or_phone(world, api):
    body = api().get("/api/staff/").json()
    assert len(body) == StaffProfile.objects.count()
    assert all(set(entry) == PUBLIC_FIELDS for entry in body)
    assert "@" not in str(body)


def test_an_unknown_badge_is_an_empty_list(world, api):
    assert api().get("/api/staff/", {"badge": "X9999"}).json() == []


def test_the_directory_ignores_a_bad_token_because_it_is_public(world, api):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/staff/", {"username": "window"}).status_code == 200


def test_an_official_goes_off_duty_himself(world, api):
    response = api(world.window).post("/api/staff/window/on-duty/", {"on_duty": False}, format="json")
    assert response.status_code == 200
    assert response.json()["on_duty"] is False
    assert api().get("/api/staff/", {"username": "window"}).json()[0]["on_duty"] is False
    event = AuditEvent.objects.get(object_type="staffprofile", action="off_duty")
    assert event.actor_label == "window"


def test_the_head_marks_his_official_on_duty_and_an_outsider_may_not(world, api):
    api(world.reviewer_housing).post("/api/staff/reviewer_housing/on-duty/", {"on_duty": False}, format="json")
    assert api(world.head_fire).post("/api/staff/reviewer_housing/on-duty/", {"on_duty": True},
                                     format="json").status_code == 403
    assert api(world.window).post("/api/staff/reviewer_housing/on-duty/", {"on_duty": True},
                                  format="json").status_code == 403
    response = api(world.head_housing).post("/api/staff/reviewer_housing/on-duty/", {"on_duty": True}, format="json")
    assert response.status_code == 200
    assert response.json()["on_duty"] is True


def test_an_unknown_official_is_404(world, api):
    assert api(world.supervisor).post("/api/staff/nobody/absent/").status_code == 404


def test_the_head_names_a_b_post_of_his_department(world, api):
    response = api(world.head_housing).post("/api/staff/reviewer_housing/backup/", {"backup": "head_housing"},
                                            format="json")
    assert response.status_code == 200
    assert response.json()["backup"] == "head_housing"
    assert StaffProfile.objects.get(user=world.reviewer_housing).backup.user == world.head_housing


def test_a_b_post_comes_from_the_same_department_and_is_not_the_post_itself(world, api):
    head = api(world.head_housing)
    other = head.post("/api/staff/reviewer_housing/backup/", {"backup": "reviewer_env"}, format="json")
    assert other.status_code == 400
    assert "backup" in other.json()["fields"]
    itself = head.post("/api/staff/reviewer_housing/backup/", {"backup": "reviewer_housing"}, format="json")
    assert itself.status_code == 400


def test_only_a_head_or_supervisor_names_b_posts(world, api):
    assert api(world.reviewer_housing).post("/api/staff/reviewer_housing/backup/", {"backup": "head_housing"},
                                            format="json").status_code == 403
    assert api(world.head_market).post("/api/staff/reviewer_housing/backup/", {"backup": "head_housing"},
                                       format="json").status_code == 403
    assert api(world.supervisor).post("/api/staff/reviewer_housing/backup/", {"backup": "head_housing"},
                                      format="json").status_code == 200


def test_the_badge_page_and_directory_are_public(world, client):
    page = client.get("/staff/C0101/")
    assert page.status_code == 200
    assert "王晓窗" in page.content.decode()
    directory = client.get("/staff/", {"q": "H0301"}).content.decode()
    assert 'data-badge="H0301"' in directory
    assert 'data-badge="C0101"' not in directory
    assert client.get("/staff/X9999/").status_code == 404


def test_the_badge_page_of_an_absent_official_names_who_covers(world, api, client):
    api(world.supervisor).post("/api/staff/window/absent/", {"note": "年休假"}, format="json")
    page = client.get("/staff/C0101/").content.decode()
    assert 'id="covered-by"' in page and "C0102" in page
