"""行政不作为: a red alert left without a decision for N working days opens one case."""

from datetime import timedelta

import pytest

from approvals.inaction import inaction_cases_open
from accountability.models import AccountabilityCase, InactionRecord
from approvals import review
from portal.sweep import sweep
from approvals.models import AlertRecord, Application
from portal.audit.models import AuditEvent
from portal.workcalendar.calendar import get_work_calendar
from tests.approvals.helpers import accepted, stage_of
from tests.approvals.test_races_pg import run_together


def _overdue_fire_application(world, api, travel):
    """A FIRE-002 application whose stage went past its limit: the sweep raised a red alert."""
    travel(2026, 9, 28, 10)
    app = accepted(world, api, service="FIRE-002")
    stage = stage_of(app, "FIRE")
    due = Application.objects.get(pk=app["id"]).stages.get().due_at
    _go(travel, due + timedelta(minutes=1))
    sweep()
    alert = AlertRecord.objects.get(stage_id=stage, level="red")
    return app, stage, alert


def _grace_end(alert, settings):
    """The last instant of the grace period (the day the alert was raised not counted)."""
    from django.utils import timezone

    calendar = get_work_calendar()
    return calendar.due_at(timezone.localdate(alert.raised_at), settings.INACTION_GRACE_WORKING_DAYS).due_at


def _go(travel, moment):
    from django.utils import timezone

    travel(*timezone.localtime(moment).timetuple()[:6])


@pytest.mark.django_db
def test_unclaimed_overdue_fire_stage_opens_one_case_against_the_head_after_the_grace_period(
        world, api, travel, settings):
    app, stage, alert = _overdue_fire_application(world, api, travel)
    assert settings.INACTION_GRACE_WORKING_DAYS == 2
    end = _grace_end(alert, settings)
    _go(travel, end - timedelta(minutes=5))
    sweep()
    assert not AccountabilityCase.objects.filter(source="red_alert").exists()
    _go(travel, end + timedelta(minutes=1))
    report = sweep()
    assert report["inaction_cases"] == 1
    sweep()
    cases = api(world.discipline).get("/api/accountability/cases/?source=red_alert").json()["results"]
    assert len(cases) == 1
    case = cases[0]
    assert (case["subject"], case["subject_role"], case["source_ref"], case["department"]) == (
        "head_fire", "direct", app["number"], "FIRE")
    assert case["number"].startswith("ZR2026-")
    assert AuditEvent.objects.filter(object_type="accountabilitycase", object_id=case["id"], action="open").count() == 1
    assert InactionRecord.objects.get(alert=alert).case_id == case["id"]


@pytest.mark.django_db
def test_a_claimed_stage_is_answered_for_by_its_assignee(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, service="FIRE-002")
    stage = stage_of(app, "FIRE")
    review.stage_claim(actor=world.reviewer_fire, stage_id=stage)
    travel(2026, 10, 17, 10)
    sweep()
    travel(2026, 11, 30, 10)
    sweep()
    case = AccountabilityCase.objects.get(source="red_alert", source_ref=app["number"])
    assert case.subject == world.reviewer_fire


@pytest.mark.django_db
def test_a_decision_within_the_grace_period_means_no_case(world, api, travel, settings):
    app, stage, alert = _overdue_fire_application(world, api, travel)
    review.stage_claim(actor=world.reviewer_fire, stage_id=stage)
    review.stage_approve(actor=world.reviewer_fire, stage_id=stage, opinion="检查合格")
    _go(travel, _grace_end(alert, settings) + timedelta(days=3))
    sweep()
    assert not AccountabilityCase.objects.filter(source="red_alert").exists()


@pytest.mark.django_db
def test_the_grace_period_is_a_setting(world, api, travel, settings):
    app, stage, alert = _overdue_fire_application(world, api, travel)
    settings.INACTION_GRACE_WORKING_DAYS = 5
    _go(travel, _grace_end(alert, settings) - timedelta(minutes=1))
    sweep()
    assert not AccountabilityCase.objects.filter(source="red_alert").exists()
    _go(travel, _grace_end(alert, settings) + timedelta(minutes=1))
    sweep()
    assert AccountabilityCase.objects.filter(source="red_alert").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_open_exactly_one_case_per_overdue_stage(world, api, travel, settings):
    from django.utils import timezone

    apps = []
    for _ in range(4):
        app, stage, alert = _overdue_fire_application(world, api, travel)
        apps.append(app)
    now = _grace_end(alert, settings) + timedelta(hours=1)
    _go(travel, now)
    results = run_together(*[lambda: inaction_cases_open(timezone.now(), 1000) for _ in range(3)])
    assert all(kind == "ok" for kind, _ in results), results
    assert sum(value for _, value in results) == 4
    for app in apps:
        assert AccountabilityCase.objects.filter(source="red_alert", source_ref=app["number"]).count() == 1
    assert InactionRecord.objects.count() == 4
    results = run_together(lambda: sweep(), lambda: sweep())
    assert all(kind == "ok" for kind, _ in results), results
    assert AccountabilityCase.objects.filter(source="red_alert").count() == 4


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_claim_locks_the_alert_and_its_application_only(world, api, travel, settings):
    """A reviewer deciding the stage holds the application, so the claim locks it with the alert
    (and skips it); the stage, department and people read along are never locked."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from approvals.inaction import _claim

    _app, _stage, alert = _overdue_fire_application(world, api, travel)
    _go(travel, _grace_end(alert, settings) + timedelta(hours=1))
    with CaptureQueriesContext(connection) as queries:
        claimed = _claim(timezone.now(), 10)
    assert [a.pk for a in claimed] == [alert.pk]
    [sql] = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert sql.endswith('FOR UPDATE OF "approvals_alertrecord", "approvals_application" SKIP LOCKED'), sql
