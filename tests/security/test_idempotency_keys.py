"""Issue 11 item 2: an Idempotency-Key makes a create happen once, whatever the number of
simultaneous retries, for a signed-in caller and an anonymous one alike, and a key is never
answered with the result of a different request."""

import threading

import pytest
from django.db import close_old_connections

from approvals.models import Application
from complaints.models import Complaint
from tests.conftest import APPLICANT

pytestmark = pytest.mark.django_db

BODY = {"service": "MKT-002", "applicant": APPLICANT}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_creates_with_one_key_create_one_application(world, api):
    before = Application.objects.count()
    barrier = threading.Barrier(20)
    answers = []

    def create():
        try:
            client = api(world.citizen)
            barrier.wait()
            response = client.post("/api/applications/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
            answers.append((response.status_code, response.json().get("id")))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=create) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Application.objects.count() == before + 1
    assert len(answers) == 20
    assert {status for status, _ in answers} == {201}
    assert len({pk for _, pk in answers}) == 1


def test_a_retry_gets_the_first_answer(world, api):
    client = api(world.citizen)
    first = client.post("/api/applications/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    again = client.post("/api/applications/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_is_refused(world, api):
    client = api(world.citizen)
    assert client.post("/api/applications/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 201
    other = client.post("/api/applications/", {**BODY, "service": "HSG-001"}, format="json",
                        HTTP_IDEMPOTENCY_KEY="k-3")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Application.objects.filter(service__code="HSG-001", applicant=world.citizen).count() == 0


def test_two_callers_may_use_the_same_key(world, api):
    first = api(world.citizen).post("/api/applications/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    second = api(world.citizen2).post("/api/applications/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


def test_a_failed_create_does_not_use_up_the_key(world, api):
    client = api(world.citizen)
    bad = {**BODY, "service": "NOPE"}
    assert client.post("/api/applications/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k-4").status_code == 400
    assert client.post("/api/applications/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-4").status_code == 201


def test_an_anonymous_complaint_honours_the_key(world, api):
    body = {"category": "attitude", "description": "窗口人员态度恶劣。", "anonymous": True}
    client = api()
    first = client.post("/api/complaints/", body, format="json", HTTP_IDEMPOTENCY_KEY="anon-1")
    assert first.status_code == 201, first.content
    again = client.post("/api/complaints/", body, format="json", HTTP_IDEMPOTENCY_KEY="anon-1")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert Complaint.objects.filter(pk=first.json()["id"]).count() == 1
    other = client.post("/api/complaints/", {**body, "description": "另一件事。"}, format="json",
                        HTTP_IDEMPOTENCY_KEY="anon-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_an_overlong_key_is_a_field_error(world, api):
    response = api(world.citizen).post("/api/applications/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k" * 300)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]
