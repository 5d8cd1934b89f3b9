"""The accused official never sees who complained (SPEC §2 效能投诉): not through the API,
the pages, the CSV export, the notifications or the audit trail — and, since he
cannot read his complaint at all, not its words either.

The complainant here is as identifiable as possible: signed in, not anonymous, with a
phone number and an e-mail address left as contacts.
"""

import pytest

from accountability.models import AccountabilityCase
from portal.sweep import sweep
from portal.audit.models import AuditEvent
from portal.notifications.models import Notification

pytestmark = pytest.mark.django_db

NAME, USERNAME, EMAIL = "陈民", "citizen", "citizen@example.invalid"
CONTACT = "chen.min@example.invalid"
WORDS = "他收了我两百元好处费"


def identity_in(text: str) -> list[str]:
    return [marker for marker in (NAME, EMAIL, CONTACT, WORDS) if marker in text]


@pytest.fixture
def substantiated(world, api, file_complaint, steps, travel):
    """A complaint about the clerk (C0101) by a signed-in citizen, missed limits, reminded,
    escalated, then investigated, substantiated (a case against the clerk), answered,
    found unsatisfactory and reopened."""
    travel(2026, 10, 12, 9)
    complaint = file_complaint(api(world.citizen), anonymous=False, contact=CONTACT, category="bribery",
                               description=WORDS)
    travel(2026, 10, 21, 0, 0, 1)
    report = sweep()
    assert report.complaint_reminders == 1 and report.complaint_escalations == 1
    travel(2026, 10, 21, 9)
    steps.through_reply(complaint)
    reopened = api(world.citizen).post(f"/api/complaints/{complaint['id']}/feedback/", {"satisfied": False},
                                       format="json")
    assert reopened.json()["status"] == "reopened"
    return complaint


def test_the_accused_cannot_list_read_or_act_on_the_complaint_by_api(world, api, substantiated):
    accused = api(world.window)
    assert accused.get("/api/complaints/").json()["count"] == 0
    pk = substantiated["id"]
    assert accused.get(f"/api/complaints/{pk}/").status_code == 404
    for action in ("accept", "refuse", "assign", "conclude", "reply"):
        assert accused.post(f"/api/complaints/{pk}/{action}/", {}, format="json").status_code == 404, action
    assert accused.post(f"/api/complaints/{pk}/feedback/", {"satisfied": True}, format="json").status_code == 404


def test_the_accused_cannot_open_its_page_and_his_queue_does_not_show_it(world, client, substantiated):
    client.force_login(world.window)
    assert client.get(f"/discipline/complaints/{substantiated['id']}/").status_code == 404
    for show in ("open", "answered", "all"):
        page = client.get("/discipline/complaints/", {"show": show})
        assert page.status_code in (200, 403)
        text = page.content.decode()
        assert substantiated["number"] not in text and not identity_in(text)


def test_the_accused_cannot_export_and_the_export_carries_no_identity(world, client, substantiated):
    client.force_login(world.window)
    assert client.get("/discipline/complaints/export.csv").status_code == 403
    client.force_login(world.discipline)
    response = client.get("/discipline/complaints/export.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert substantiated["number"] in text
    assert not identity_in(text) and "13912345678" not in text


def test_no_notification_tells_the_accused_of_the_complaint_and_staff_messages_name_nobody(world, substantiated):
    to_accused = Notification.objects.filter(user=world.window) | Notification.objects.filter(email=world.window.email)
    # He may hear of the accountability case opened against him, never of the complaint itself.
    assert not to_accused.filter(event__startswith="complaint_").exists()
    for message in to_accused:
        assert not identity_in(message.subject + message.body), message.event
    staff_messages = Notification.objects.exclude(user=world.citizen).exclude(email=CONTACT)
    assert staff_messages.filter(event="complaint_reminder").exists()
    assert staff_messages.filter(event="complaint_escalated").exists()
    for message in staff_messages:
        assert not identity_in(message.subject + message.body), message.event
    # The complainant is told at his contact address.
    assert Notification.objects.filter(email=CONTACT, event="complaint_replied").exists()


def test_the_audit_trail_never_names_the_complainant(world, substantiated):
    rows = list(AuditEvent.objects.all())
    assert any(r.object_type == "complaint" for r in rows)
    for row in rows:
        assert row.actor_label != USERNAME, row.action
        assert not identity_in(f"{row.note} {row.data}"), (row.object_type, row.action)


def test_the_case_against_the_accused_names_the_complaint_not_the_complainant(world, api, substantiated):
    case = AccountabilityCase.objects.get(source="complaint", source_ref=substantiated["number"])
    assert case.subject == world.window
    assert not identity_in(case.summary)
    seen_by_accused = api(world.window).get(f"/api/accountability/cases/{case.pk}/")
    if seen_by_accused.status_code == 200:
        assert not identity_in(seen_by_accused.content.decode())


def test_an_accused_supervisor_neither_sees_nor_is_told_of_his_own_complaint(world, api, file_complaint, travel):
    travel(2026, 10, 12, 9)
    complaint = file_complaint(api(world.citizen), anonymous=False, staff_badge="C0900")
    travel(2026, 10, 21, 0, 0, 1)
    assert sweep().complaint_escalations == 1
    supervisor = api(world.supervisor)
    assert supervisor.get(f"/api/complaints/{complaint['id']}/").status_code == 404
    assert supervisor.get("/api/complaints/").json()["count"] == 0
    assert not Notification.objects.filter(user=world.supervisor, ref=complaint["number"]).exists()
    # The office still sees and handles it.
    assert api(world.discipline).get(f"/api/complaints/{complaint['id']}/").status_code == 200


def test_the_accused_cannot_be_named_investigator_of_his_own_complaint(world, api, file_complaint, steps):
    complaint = file_complaint(staff_badge="H0300")
    steps.accept(complaint)
    response = api(world.discipline).post(f"/api/complaints/{complaint['id']}/assign/",
                                          {"investigator": "head_housing"}, format="json")
    assert response.status_code == 400
