"""The pages of complaints and ratings (SPEC §8): the citizen's complaint form, its
follow-up by number and code, the rating form; the discipline office's queue and
investigation page; the unit's follow-ups; the published ratings."""

import re

import pytest

from complaints.models import Complaint, Evaluation

pytestmark = pytest.mark.django_db


def file_by_page(client, **fields):
    data = {"category": "buck_passing", "description": "推诿扯皮，让我去别的部门问。", "staff_badge": "C0101",
            "anonymous": "on", "contact": "13700000000", **fields}
    return client.post("/complaints/new/", data)


def test_anyone_files_on_the_page_and_lands_on_the_follow_up_with_number_and_code(world, client):
    assert client.get("/complaints/new/").status_code == 200
    response = file_by_page(client)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/complaints/track/?number={complaint.number}&code={complaint.code}"
    page = client.get(response["Location"]).content.decode()
    assert complaint.code in page and 'data-status="filed"' in page
    assert complaint.anonymous and complaint.complainant is None


def test_a_wrong_badge_is_shown_on_its_field_and_nothing_is_filed(world, client):
    response = file_by_page(client, staff_badge="Z0000")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_wrong_code_finds_nothing(world, client, file_complaint):
    complaint = file_complaint()
    page = client.get("/complaints/track/", {"number": complaint["number"], "code": "NOPE1234"}).content.decode()
    assert 'id="status"' not in page and "msg error" in page


def test_the_office_works_the_complaint_on_its_pages(world, client, file_complaint):
    complaint = file_complaint()
    pk = complaint["id"]
    client.force_login(world.discipline)
    queue = client.get("/discipline/complaints/").content.decode()
    assert f'data-complaint="{pk}"' in queue and 'data-alert="yellow"' in queue
    work = client.get(f"/discipline/complaints/{pk}/").content.decode()
    assert 'id="accept"' in work and "13912345678" in work
    client.post(f"/discipline/complaints/{pk}/act/accept/")
    client.post(f"/discipline/complaints/{pk}/act/assign/", {"investigator": "discipline"})
    client.post(f"/discipline/complaints/{pk}/act/conclude/", {"finding": "substantiated", "summary": "属实"})
    work = client.get(f"/discipline/complaints/{pk}/").content.decode()
    assert 'data-finding="substantiated"' in work and 'id="case-number"' in work
    client.post(f"/discipline/complaints/{pk}/act/reply/", {"text": "已处理"})
    assert Complaint.objects.get(pk=pk).status == "replied"


def test_a_refused_step_shows_a_message_and_keeps_the_state(world, client, file_complaint):
    complaint = file_complaint()
    client.force_login(world.discipline)
    response = client.post(f"/discipline/complaints/{complaint['id']}/act/refuse/", {"reason": ""}, follow=True)
    assert "msg error" in response.content.decode()
    assert Complaint.objects.get(pk=complaint["id"]).status == "filed"


def test_the_complainant_reopens_on_the_follow_up_page(world, client, file_complaint, steps):
    complaint = file_complaint()
    steps.through_reply(complaint)
    page = client.get("/complaints/track/", {"number": complaint["number"], "code": complaint["code"]})
    assert 'id="feedback-form"' in page.content.decode()
    client.post("/complaints/track/feedback/", {"number": complaint["number"], "code": complaint["code"],
                                                "satisfied": "no", "comment": "处理太轻"})
    assert Complaint.objects.get(pk=complaint["id"]).status == "reopened"
    client.force_login(world.discipline)
    work = client.get(f"/discipline/complaints/{complaint['id']}/").content.decode()
    options = re.findall(r'<option value="([^"]+)"', work)
    assert "discipline" not in options and "supervisor" in options


def test_the_export_is_for_the_office(world, client, file_complaint):
    file_complaint()
    client.force_login(world.citizen)
    assert client.get("/discipline/complaints/export.csv").status_code == 403
    client.force_login(world.supervisor)
    response = client.get("/discipline/complaints/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_a_citizen_has_no_queue(world, client):
    client.force_login(world.citizen)
    assert client.get("/discipline/complaints/").status_code == 403


def test_the_header_links_by_role(world, client):
    assert 'id="nav-complain"' in client.get("/").content.decode()
    assert 'id="nav-complaint-queue"' not in client.get("/").content.decode()
    client.force_login(world.discipline)
    assert 'id="nav-complaint-queue"' in client.get("/").content.decode()


def test_my_complaints_lists_the_ones_filed_under_my_name(world, client, api, file_complaint):
    mine = file_complaint(api(world.citizen), anonymous=False)
    file_complaint(api(world.citizen), anonymous=True)
    client.force_login(world.citizen)
    page = client.get("/my/complaints/").content.decode()
    assert page.count("data-complaint=") == 1 and mine["number"] in page


def test_the_applicant_rates_on_the_evaluation_page(world, client, decided_application):
    app = decided_application()
    client.force_login(world.citizen)
    page = client.get(f"/applications/{app['id']}/evaluate/").content.decode()
    assert 'id="evaluation-form"' in page
    response = client.post(f"/applications/{app['id']}/evaluate/", {"score": "4", "comment": "满意"})
    assert response.status_code == 302
    assert Evaluation.objects.get().score == 4
    page = client.get(f"/applications/{app['id']}/evaluate/").content.decode()
    assert 'data-score="4"' in page and 'id="evaluation-form"' not in page
    client.force_login(world.window)
    assert client.get(f"/applications/{app['id']}/evaluate/").status_code == 403


def test_the_unit_completes_a_follow_up_and_the_supervisor_strikes_on_the_page(world, client, api,
                                                                              decided_application):
    app = decided_application()
    rated = api(world.citizen).post(f"/api/applications/{app['id']}/evaluation/", {"score": 1},
                                    format="json").json()
    client.force_login(world.reviewer_market)
    page = client.get("/evaluations/follow-ups/").content.decode()
    assert f'data-follow-up="{rated["follow_up"]["id"]}"' in page
    client.post(f"/evaluations/follow-ups/{rated['follow_up']['id']}/complete/",
                {"action": "call_back", "note": "已回访"})
    client.force_login(world.supervisor)
    client.post(f"/evaluations/{rated['id']}/act/strike/", {"reason": "误评"})
    evaluation = Evaluation.objects.select_related("follow_up").get()
    assert evaluation.follow_up.status == "done" and evaluation.struck
    client.force_login(world.citizen)
    assert client.get("/evaluations/follow-ups/").status_code == 403


def test_the_ratings_page_is_public(world, client, api, decided_application):
    app = decided_application()
    api(world.citizen).post(f"/api/applications/{app['id']}/evaluation/", {"score": 5}, format="json")
    page = client.get("/evaluations/").content.decode()
    assert 'data-row="MKT-001"' in page and 'data-row="01"' in page
