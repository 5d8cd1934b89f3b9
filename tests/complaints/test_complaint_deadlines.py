"""Complaint limits with time travel (SPEC §2 效能投诉, §3, §5), on the 2026 official calendar.

Accept or refuse within 1 working day, reply within 15 (per category configurable). A
reminder goes out at the start of the first working day after the due date, and the
escalation to the supervisors at the start of the 5th working day after that: each
exactly once, at the instant, never early.
"""

import pytest
from django.utils.timezone import localtime

from portal.sweep import sweep
from complaints.models import Complaint, ComplaintLimit
from portal.notifications.models import Notification

pytestmark = pytest.mark.django_db


def events(complaint_id, event):
    return list(Notification.objects.filter(event=event, ref=Complaint.objects.get(pk=complaint_id).number)
                .values_list("user__username", flat=True).order_by("user__username"))


def test_accept_limit_ends_on_the_make_up_saturday_and_the_reminder_skips_sunday(world, file_complaint, travel):
    travel(2026, 10, 9, 10)  # Friday; Saturday 2026-10-10 is a make-up working day
    complaint = file_complaint()
    assert complaint["accept_due_at"] == "2026-10-10T23:59:59+08:00"

    travel(2026, 10, 10, 23, 59, 59)
    assert sweep().complaint_reminders == 0
    # Missed, but Sunday is not a working day: nobody is reminded on it.
    travel(2026, 10, 11, 12)
    assert sweep().complaint_reminders == 0
    travel(2026, 10, 11, 23, 59, 59)
    assert sweep().complaint_reminders == 0
    travel(2026, 10, 12, 0, 0, 1)
    assert sweep().complaint_reminders == 1
    assert sweep().complaint_reminders == 0
    assert events(complaint["id"], "complaint_reminder") == ["discipline"]

    # 5 working days after Monday the 12th: the 19th.
    travel(2026, 10, 18, 23, 59, 59)
    assert sweep().complaint_escalations == 0
    travel(2026, 10, 19, 0, 0, 1)
    report = sweep()
    assert report.complaint_escalations == 1 and report.complaint_reminders == 0
    assert sweep().complaint_escalations == 0
    assert events(complaint["id"], "complaint_escalated") == ["supervisor"]
    row = Complaint.objects.get(pk=complaint["id"])
    assert localtime(row.reminded_at).isoformat() == "2026-10-12T00:00:01+08:00"
    assert localtime(row.escalated_at).isoformat() == "2026-10-19T00:00:01+08:00"


def test_the_reminder_comes_the_moment_the_limit_is_missed_when_the_next_day_is_a_working_day(
        world, file_complaint, travel):
    travel(2026, 10, 12, 9)  # Monday
    complaint = file_complaint()
    assert complaint["accept_due_at"] == "2026-10-13T23:59:59+08:00"
    travel(2026, 10, 13, 23, 59, 59)
    assert sweep().complaint_reminders == 0
    travel(2026, 10, 14, 0, 0, 1)
    assert sweep().complaint_reminders == 1
    # 14th + 5 working days = Wednesday the 21st.
    travel(2026, 10, 20, 23, 59, 59)
    assert sweep().complaint_escalations == 0
    travel(2026, 10, 21, 0, 0, 1)
    assert sweep().complaint_escalations == 1


def test_the_reply_limit_is_15_working_days_from_acceptance(world, file_complaint, steps, travel):
    travel(2026, 9, 28, 10)
    complaint = file_complaint()
    accepted = steps.accept(complaint)
    # National Day week off; Saturday 10-10 works.
    assert accepted["reply_due_at"] == "2026-10-23T23:59:59+08:00"
    steps.assign(complaint)
    travel(2026, 10, 25, 23, 59, 59)
    assert sweep().complaint_reminders == 0
    travel(2026, 10, 26, 0, 0, 1)
    assert sweep().complaint_reminders == 1
    assert events(complaint["id"], "complaint_reminder") == ["discipline"]
    # 26th + 5 working days: 27, 28, 29, 30 October and Monday 2 November.
    travel(2026, 11, 1, 23, 59, 59)
    assert sweep().complaint_escalations == 0
    travel(2026, 11, 2, 0, 0, 1)
    assert sweep().complaint_escalations == 1


def test_an_investigator_who_is_not_in_the_office_is_reminded_too(world, file_complaint, steps, travel):
    travel(2026, 9, 28, 10)
    complaint = file_complaint()
    steps.accept(complaint)
    steps.assign(complaint, "head_housing")
    travel(2026, 10, 26, 0, 0, 1)
    sweep()
    assert events(complaint["id"], "complaint_reminder") == ["discipline", "head_housing"]


def test_an_answer_in_time_stops_the_clock(world, file_complaint, steps, travel):
    travel(2026, 9, 28, 10)
    complaint = file_complaint()
    steps.through_reply(complaint, "unsubstantiated")
    travel(2026, 12, 31, 12)
    report = sweep()
    assert report.complaint_reminders == 0 and report.complaint_escalations == 0


def test_a_refusal_stops_the_clock(world, api, file_complaint, travel):
    travel(2026, 9, 28, 10)
    complaint = file_complaint()
    api(world.discipline).post(f"/api/complaints/{complaint['id']}/refuse/", {"reason": "重复投诉"}, format="json")
    travel(2026, 12, 31, 12)
    assert sweep().complaint_reminders == 0


def test_a_late_acceptance_starts_the_reply_clock_with_its_own_reminder(world, file_complaint, steps, travel):
    travel(2026, 10, 12, 9)
    complaint = file_complaint()
    travel(2026, 10, 14, 0, 0, 1)
    assert sweep().complaint_reminders == 1
    travel(2026, 10, 15, 10)
    accepted = steps.accept(complaint)  # late, and before the escalation
    assert accepted["reply_due_at"] == "2026-11-05T23:59:59+08:00"
    travel(2026, 10, 21, 0, 0, 1)
    assert sweep().complaint_escalations == 0  # the accept limit's escalation is void
    travel(2026, 11, 5, 23, 59, 59)
    assert sweep().complaint_reminders == 0
    travel(2026, 11, 6, 0, 0, 1)
    assert sweep().complaint_reminders == 1
    assert len(events(complaint["id"], "complaint_reminder")) == 2


def test_limits_are_configurable_per_category(world, file_complaint, steps, travel):
    ComplaintLimit.objects.create(category="bribery", accept_days=3, reply_days=30)
    travel(2026, 10, 12, 9)
    bribery = file_complaint(category="bribery")
    attitude = file_complaint(category="attitude")
    assert bribery["accept_due_at"] == "2026-10-15T23:59:59+08:00"
    assert attitude["accept_due_at"] == "2026-10-13T23:59:59+08:00"
    assert steps.accept(bribery)["reply_due_at"] == "2026-11-23T23:59:59+08:00"


def test_a_reopened_complaint_gets_a_new_reply_limit(world, file_complaint, steps, travel):
    travel(2026, 9, 28, 10)
    complaint = file_complaint()
    steps.through_reply(complaint)
    travel(2026, 10, 12, 15)
    reopened = steps.feedback(complaint, False)
    assert reopened["reply_due_at"] == "2026-11-02T23:59:59+08:00"
    travel(2026, 11, 3, 0, 0, 1)
    assert sweep().complaint_reminders == 1


def test_the_queue_colours_follow_the_running_limit(world, api, file_complaint, travel):
    travel(2026, 10, 12, 9)
    complaint = file_complaint()
    office = api(world.discipline)
    # 1 working day limit: yellow from the start.
    assert office.get(f"/api/complaints/{complaint['id']}/").json()["alert"] == "yellow"
    travel(2026, 10, 14, 0, 0, 1)
    assert office.get(f"/api/complaints/{complaint['id']}/").json()["alert"] == "red"
