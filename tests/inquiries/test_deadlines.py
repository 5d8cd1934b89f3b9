"""Answer limits of inquiries (SPEC §2 首问负责制, §5): yellow and red alerts fire at
their instant, never early, exactly once, from the one deadline sweep."""

from datetime import datetime

import pytest

from portal.sweep import sweep
from inquiries.models import Inquiry, InquiryAlertRecord
from portal.notifications.models import Notification
from tests.conftest import SHANGHAI
from tests.inquiries.helpers import walk_in

pytestmark = pytest.mark.django_db


def swept(step: str) -> int:
    return sweep()[step]


def test_a_walk_in_turns_yellow_at_the_end_of_its_first_day_not_earlier(world, api, travel):
    travel(2026, 11, 10, 10)
    inquiry = walk_in(api, world.window)
    travel(2026, 11, 10, 23, 59, 59, 999999)
    assert swept("inquiry_yellow_alerts") == 0
    travel(2026, 11, 11, 0, 0, 0)
    assert swept("inquiry_yellow_alerts") == 1
    assert swept("inquiry_yellow_alerts") == 0
    record = InquiryAlertRecord.objects.get(inquiry_id=inquiry["id"])
    assert (record.level, record.owner, record.clock) == ("yellow", world.window, 1)
    assert Inquiry.objects.get(pk=inquiry["id"]).alert == "yellow"


def test_an_unanswered_walk_in_turns_red_after_24_00_of_its_last_working_day_once(world, api, travel):
    travel(2026, 11, 10, 10)
    inquiry = walk_in(api, world.window)
    travel(2026, 11, 11, 23, 59, 59, 999999)
    report = sweep()
    assert (report["inquiry_yellow_alerts"], report["inquiry_red_alerts"]) == (1, 0)
    travel(2026, 11, 12, 0, 0, 0)
    assert swept("inquiry_red_alerts") == 1
    assert swept("inquiry_red_alerts") == 0
    body = api(world.window).get(f"/api/inquiries/{inquiry['id']}/").json()
    assert body["alert"] == "red"
    assert [a["level"] for a in body["alerts"]] == ["yellow", "red"]
    assert all(a["owner"] == "window" for a in body["alerts"])
    assert "alert_red" in [e["action"] for e in body["events"]]
    red = Notification.objects.filter(event="inquiry_alert_red").values_list("email", flat=True)
    assert {world.window.email, world.supervisor.email} <= set(red)


def test_a_referral_starts_a_new_clock_with_its_own_alerts(world, api, travel):
    travel(2026, 11, 10, 10)
    inquiry = walk_in(api, world.window)
    travel(2026, 11, 11, 15)
    sweep()
    api(world.window).post(f"/api/inquiries/{inquiry['id']}/refer/", {"department": "HOUSING"}, format="json")
    assert Inquiry.objects.get(pk=inquiry["id"]).alert == "none"
    # Three working days from Wednesday: yellow after Friday, red after Monday.
    travel(2026, 11, 12, 0, 0, 1)
    assert swept("inquiry_red_alerts") == 0
    travel(2026, 11, 13, 23, 59, 59)
    assert swept("inquiry_yellow_alerts") == 0
    travel(2026, 11, 14, 0, 0, 0)
    assert swept("inquiry_yellow_alerts") == 1
    travel(2026, 11, 16, 23, 59, 59)
    assert swept("inquiry_red_alerts") == 0
    travel(2026, 11, 17, 0, 0, 0)
    assert swept("inquiry_red_alerts") == 1
    levels = list(InquiryAlertRecord.objects.filter(inquiry_id=inquiry["id"]).order_by("id")
                  .values_list("clock", "level"))
    assert levels == [(1, "yellow"), (2, "yellow"), (2, "red")]
    red = InquiryAlertRecord.objects.get(inquiry_id=inquiry["id"], clock=2, level="red")
    assert (red.owner, red.department.code) == (world.window, "HOUSING")
    assert Notification.objects.filter(event="inquiry_alert_red", email=world.head_housing.email).exists()


def test_an_answer_stops_the_clock(world, api, travel):
    travel(2026, 11, 10, 10)
    inquiry = walk_in(api, world.window)
    api(world.window).post(f"/api/inquiries/{inquiry['id']}/answer/", {"answer": "好的"}, format="json")
    travel(2026, 11, 20, 10)
    report = sweep()
    assert (report["inquiry_yellow_alerts"], report["inquiry_red_alerts"]) == (0, 0)


def test_an_unclaimed_online_question_runs_from_when_it_was_asked(world, api, travel):
    travel(2026, 11, 10, 10)
    inquiry = api(world.citizen).post("/api/inquiries/", {"question": "请问？"}, format="json").json()
    travel(2026, 11, 12, 0, 0, 0)
    assert swept("inquiry_red_alerts") == 1
    assert InquiryAlertRecord.objects.get(inquiry_id=inquiry["id"], level="red").owner is None


def test_the_limits_are_settings(world, api, travel, settings):
    settings.INQUIRY_ANSWER_DAYS = 2
    travel(2026, 11, 10, 10)
    inquiry = walk_in(api, world.window)
    assert inquiry["due_at"] == "2026-11-12T23:59:59+08:00"
    assert Inquiry.objects.get(pk=inquiry["id"]).due_at < datetime(2026, 11, 13, tzinfo=SHANGHAI)


def test_the_sweep_command_runs_the_inquiry_steps(world, api, travel):
    from io import StringIO

    from django.core.management import call_command

    travel(2026, 11, 10, 10)
    walk_in(api, world.window)
    travel(2026, 11, 12, 1)
    out = StringIO()
    call_command("enforce_deadlines", stdout=out)
    assert "inquiry_red_alerts: 1" in out.getvalue()
