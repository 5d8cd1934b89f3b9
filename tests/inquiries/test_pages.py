"""Pages of inquiries (SPEC §8): the citizen's online question and its status with the
owner's badge, the clerk's "my inquiries" with referred progress, the department's
referred inquiries. Selectors are ids and data attributes: the pages are Chinese."""

import re

import pytest

from inquiries.models import Inquiry
from tests.inquiries.helpers import online, referred, walk_in

pytestmark = pytest.mark.django_db


def test_a_citizen_asks_online_and_sees_the_owners_badge_once_taken_on(world, client, api):
    client.force_login(world.citizen)
    response = client.post("/inquiries/ask/", {"subject": "营业执照", "question": "个体户登记要带什么？",
                                               "department": "MARKET"})
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inquiries/{inquiry.pk}/"
    page = client.get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert 'data-status="unclaimed"' in page
    api(world.window).post(f"/api/inquiries/{inquiry.pk}/claim/")
    page = client.get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert re.search(r'id="owner">.*data-badge="C0101"', page, re.S)
    assert 'href="/staff/C0101/"' in page
    assert "inquiries/" in client.get("/inquiries/").content.decode()


def test_a_clerk_records_a_walk_in_inquiry_and_owns_it(world, client):
    client.force_login(world.window)
    response = client.post("/inquiries/record/", {"channel": "walk_in", "citizen_name": "陈民", "subject": "咨询",
                                                  "question": "开饭店要办什么证？"})
    inquiry = Inquiry.objects.get()
    assert response["Location"] == f"/inquiries/{inquiry.pk}/"
    assert inquiry.owner == world.window and inquiry.status == "open"


def test_my_inquiries_shows_the_progress_of_what_was_referred(world, api, client):
    inquiry = referred(api, world)
    client.force_login(world.window)
    page = client.get("/inquiries/").content.decode()
    row = re.search(rf'<tr[^>]*data-inquiry="{inquiry["id"]}".*?</tr>', page, re.S).group(0)
    assert 'data-status="referred"' in row
    api(world.reviewer_housing).post(f"/api/inquiries/{inquiry['id']}/acknowledge/")
    row = re.search(rf'<tr[^>]*data-inquiry="{inquiry["id"]}".*?</tr>', client.get("/inquiries/").content.decode(),
                    re.S).group(0)
    assert 'data-badge="H0301"' in row


def test_the_department_acknowledges_and_answers_on_its_pages(world, api, client):
    inquiry = referred(api, world)
    client.force_login(world.reviewer_housing)
    assert f'data-inquiry="{inquiry["id"]}"' in client.get("/inquiries/referred/").content.decode()
    client.post(f"/inquiries/{inquiry['id']}/act/acknowledge/")
    client.post(f"/inquiries/{inquiry['id']}/act/answer/", {"answer": "10个工作日"})
    assert Inquiry.objects.get(pk=inquiry["id"]).status == "answered"


def test_closing_unanswered_on_the_page_shows_the_refusal(world, api, client):
    inquiry = walk_in(api, world.window)
    client.force_login(world.window)
    response = client.post(f"/inquiries/{inquiry['id']}/act/close/", follow=True)
    assert Inquiry.objects.get(pk=inquiry["id"]).status == "open"
    assert 'class="msg error"' in response.content.decode()


def test_the_clerk_converts_on_the_page_and_lands_on_the_application(world, api, client):
    inquiry = walk_in(api, world.window)
    client.force_login(world.window)
    response = client.post(f"/inquiries/{inquiry['id']}/act/convert/", {
        "convert-service": "MKT-002", "convert-name": "陈民", "convert-id_number": "11010519491231002X",
        "convert-phone": "13800138000"})
    converted = Inquiry.objects.get(pk=inquiry["id"])
    assert converted.status == "converted"
    assert response["Location"] == f"/applications/{converted.application_id}/"


def test_the_navigation_shows_each_role_its_links(world, client):
    client.force_login(world.citizen)
    page = client.get("/").content.decode()
    assert 'id="nav-inquiries"' in page and 'id="nav-referred"' not in page and 'id="nav-posts"' not in page
    client.force_login(world.window)
    page = client.get("/").content.decode()
    assert 'id="nav-inquiries"' in page and 'id="nav-my-work"' in page and 'id="nav-referred"' not in page
    client.force_login(world.head_housing)
    page = client.get("/").content.decode()
    assert 'id="nav-referred"' in page and 'id="nav-posts"' in page
    client.logout()
    page = client.get("/").content.decode()
    assert 'id="nav-ask"' in page and 'href="/staff/"' in page


def test_the_online_question_of_a_citizen_is_listed_for_clerks_to_take_on(world, api, client):
    inquiry = online(api, world.citizen)
    client.force_login(world.window_b)
    page = client.get("/inquiries/").content.decode()
    assert re.search(rf'id="unclaimed".*data-inquiry="{inquiry["id"]}"', page, re.S)
    client.post(f"/inquiries/{inquiry['id']}/act/claim/")
    assert Inquiry.objects.get(pk=inquiry["id"]).owner == world.window_b
