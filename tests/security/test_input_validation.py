"""Issue 11 item 5: what people type is checked the same way by the API and the pages
(portal.validation): ASCII digits, plausible birth dates, no control characters, visible
content, a length limit on every free text."""

import pytest
from django.test import Client

from complaints.models import Complaint
from portal.validation import id_check_digit, id_number_problem, mobile_problem
from tests.conftest import APPLICANT

pytestmark = pytest.mark.django_db


def with_check_digit(first17: str) -> str:
    return first17 + id_check_digit(first17)


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("id_number", [
    APPLICANT["id_number"].translate(FULL_WIDTH),
    APPLICANT["id_number"][:17].translate(ARABIC_INDIC) + APPLICANT["id_number"][17],
    with_check_digit("11010529990101002"),  # born in 2999
    with_check_digit("11010500010101002"),  # born in year 1
    with_check_digit("11010518991231002"),  # born before 1900
])
def test_implausible_or_non_ascii_id_numbers_are_refused_by_the_api(world, api, id_number):
    assert id_number_problem(id_number)
    response = api(world.citizen).post("/api/applications/", {
        "service": "MKT-002", "applicant": {**APPLICANT, "id_number": id_number}}, format="json")
    assert response.status_code == 400, response.content
    assert "id_number" in str(response.json()["fields"])


def test_a_valid_id_number_still_passes():
    assert id_number_problem(APPLICANT["id_number"]) is None
    assert id_number_problem(with_check_digit("11010519000101002")) is None


@pytest.mark.parametrize("phone", ["13800138000".translate(FULL_WIDTH), "١٣٨٠٠١٣٨٠٠٠", "1380013800０"])
def test_non_ascii_digits_in_a_mobile_number_are_refused(world, api, phone):
    assert mobile_problem(phone)
    response = api(world.citizen).post("/api/applications/", {
        "service": "MKT-002", "applicant": {**APPLICANT, "phone": phone}}, format="json")
    assert response.status_code == 400
    assert "phone" in str(response.json()["fields"])


def test_the_walk_in_page_refuses_a_full_width_id_number(world):
    client = Client()
    client.force_login(world.window)
    response = client.post("/window/intake/", {"service": "MKT-002", "name": "陈民", "phone": "13800138000",
                                               "id_number": APPLICANT["id_number"].translate(FULL_WIDTH)})
    assert response.status_code == 200
    assert "id_number" in response.context["form"].errors


@pytest.mark.parametrize("name", ["陈\x07民", "陈\x1b民", "陈\n民", "\u202e民陈"])
def test_control_characters_in_a_name_are_refused(world, api, name):
    response = api(world.citizen).post("/api/applications/", {
        "service": "MKT-002", "applicant": {**APPLICANT, "name": name}}, format="json")
    assert response.status_code == 400, response.content
    assert "name" in str(response.json()["fields"])


def test_a_nul_character_in_a_json_body_is_refused(world, api):
    response = api(world.citizen).post("/api/applications/", {
        "service": "MKT-002", "applicant": {**APPLICANT, "name": "陈\x00民"}}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


@pytest.mark.parametrize("description", ["   ", "\u200b", " \u200b \ufeff ", "\t\n"])
def test_a_complaint_without_visible_content_is_refused(world, api, description):
    response = api().post("/api/complaints/", {"category": "delay", "description": description, "anonymous": True},
                          format="json")
    assert response.status_code == 400, response.content
    assert "description" in response.json()["fields"]
    assert Complaint.objects.count() == 0


def test_the_complaint_page_refuses_a_zero_width_description(world):
    response = Client().post("/complaints/new/", {"category": "delay", "description": "\u200b ", "anonymous": "on"})
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert Complaint.objects.count() == 0


def test_text_is_stored_trimmed(world, api):
    response = api().post("/api/complaints/", {"category": "delay", "description": "\u200b 拖了三天 \u200b",
                                               "anonymous": True}, format="json")
    assert response.status_code == 201
    assert Complaint.objects.get(pk=response.json()["id"]).description == "拖了三天"


def test_a_hundred_thousand_character_inquiry_is_refused(world, api):
    response = api(world.citizen).post("/api/inquiries/", {"subject": "营业执照", "question": "问" * 100_000},
                                       format="json")
    assert response.status_code == 400, response.status_code
    assert "question" in response.json()["fields"]


def test_the_inquiry_page_refuses_a_hundred_thousand_characters(world):
    client = Client()
    client.force_login(world.citizen)
    response = client.post("/inquiries/ask/", {"subject": "营业执照", "question": "问" * 100_000})
    assert response.status_code == 200
    assert "question" in response.context["form"].errors
