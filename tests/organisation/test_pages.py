"""Pages of A/B posts (SPEC §8, head: A/B posts) and of every official's work."""

import pytest

from portal.organisation.models import StaffProfile

pytestmark = pytest.mark.django_db


def test_the_supervisor_marks_the_window_absent_and_back_on_the_posts_page(world, client):
    client.force_login(world.supervisor)
    page = client.get("/staff/posts/").content.decode()
    assert 'data-username="window"' in page
    client.post("/staff/posts/window/absent/", {"note": "培训"})
    assert StaffProfile.objects.get(user=world.window).absent
    assert 'data-username="window" data-absent="true"' in client.get("/staff/posts/").content.decode()
    client.post("/staff/posts/window/return/")
    assert not StaffProfile.objects.get(user=world.window).absent


def test_a_head_sees_only_his_departments_posts_and_names_b(world, client):
    client.force_login(world.head_housing)
    page = client.get("/staff/posts/").content.decode()
    assert 'data-username="reviewer_housing"' in page and 'data-username="window"' not in page
    client.post("/staff/posts/reviewer_housing/backup/", {"backup": "head_housing"})
    assert StaffProfile.objects.get(user=world.reviewer_housing).backup.user == world.head_housing


def test_a_refused_absence_shows_why(world, client):
    client.force_login(world.head_fire)
    response = client.post("/staff/posts/reviewer_fire/absent/", follow=True)
    assert 'class="msg error"' in response.content.decode()


def test_a_reviewer_has_no_posts_page(world, client):
    client.force_login(world.reviewer_housing)
    assert client.get("/staff/posts/").status_code == 403


def test_an_official_goes_off_duty_from_his_work_page(world, client):
    client.force_login(world.window)
    assert client.get("/staff/work/").status_code == 200
    client.post("/staff/posts/window/on-duty/", {"on_duty": "", "next": "staff-work"})
    assert StaffProfile.objects.get(user=world.window).on_duty is False


def test_a_citizen_has_no_work_page(world, client):
    client.force_login(world.citizen)
    assert client.get("/staff/work/").status_code == 403
