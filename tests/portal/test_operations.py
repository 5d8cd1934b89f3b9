"""Issue 9 items 6 and 8: the sweep's heartbeat, /health/, /metrics and the supervisors'
banner when the sweep is late."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from portal.notifications.models import Notification
from portal.notifications.outbox import Message, enqueue
from portal.operations.heartbeat import last_sweep
from portal.operations.models import SweepRecord
from portal.sweep import sweep


def health(client):
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    return response.status_code, response.json()


@pytest.mark.django_db
def test_every_sweep_records_when_it_completed_and_what_it_did(world):
    assert last_sweep() is None
    first = sweep()
    record = last_sweep()
    assert record.sweeps == 1 and record.counts == first.as_dict()
    assert set(record.counts) >= {"deemed_accepted", "deemed_approved_stages", "red_alerts", "yellow_alerts"}
    sweep()
    record.refresh_from_db()
    assert record.sweeps == 2 and record.finished_at >= record.started_at
    assert record.totals == {step: 2 * rows for step, rows in first.items()} or record.totals.keys() == first.keys()


@pytest.mark.django_db
def test_health_is_red_without_a_recent_sweep_and_green_with_one(client, settings):
    settings.SWEEP_STALE_SECONDS = 60
    status, checks = health(client)
    assert status == 503
    assert checks["SweepFreshness()"] == "Unavailable: no deadline sweep has completed yet"
    assert checks["Database(alias='default')"] == "OK" and checks["Cache(alias='default')"] == "OK"

    sweep()
    status, checks = health(client)
    assert status == 200, checks
    assert set(checks.values()) == {"OK"}
    if settings.CELERY_BROKER_URL.startswith("redis://"):
        assert "Broker()" in checks

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        status, checks = health(client)
    assert status == 503 and "ago (limit 60 s)" in checks["SweepFreshness()"]


@pytest.mark.django_db
def test_health_is_red_when_audit_blocks_wait_too_long_to_be_sealed(client, settings):
    from portal.audit.models import AuditBlock
    from portal.audit.services import AuditEntry, audit_log_many, audit_seal

    settings.SWEEP_STALE_SECONDS, settings.AUDIT_SEAL_STALE_SECONDS = 3600, 120
    sweep()
    # Inside the test's transaction nothing seals after commit: the block waits, as it would
    # with no sealer running.
    audit_log_many(actor=None, entries=[AuditEntry("application", 1, "note")])
    assert AuditBlock.objects.filter(seq__isnull=True).exists()
    status, checks = health(client)
    assert status == 200, checks  # a fresh block is normal
    with time_machine.travel(timezone.now() + timedelta(seconds=121)):
        status, checks = health(client)
    assert status == 503 and "unsealed, the oldest for" in checks["AuditSealing()"], checks
    audit_seal()
    with time_machine.travel(timezone.now() + timedelta(seconds=121)):
        status, checks = health(client)
    assert status == 200, checks


@pytest.mark.django_db
def test_the_broker_check_fails_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    sweep()
    status, checks = health(client)
    assert status == 503 and checks["Broker()"].startswith("Unavailable: broker unreachable")


@pytest.mark.django_db
def test_liveness_touches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live/")
    assert response.status_code == 200 and response.content == b"ok\n"


def metric(text: str, name: str, labels: str = "") -> float:
    prefix = f"{name}{{{labels}}} " if labels else f"{name} "
    lines = [line for line in text.splitlines() if line.startswith(prefix)]
    assert lines, f"{prefix!r} not in /metrics"
    return float(lines[0].split()[-1])


@pytest.mark.django_db
def test_metrics_show_sweep_lag_rows_outbox_and_open_items(client, settings, world, api):
    from tests.approvals.helpers import accepted

    settings.METRICS_CACHE_SECONDS = 0
    text = client.get("/metrics").content.decode()
    assert metric(text, "portal_sweep_lag_seconds") == -1
    accepted(world, api)
    sweep()
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        text = client.get("/metrics").content.decode()
    assert 29 <= metric(text, "portal_sweep_lag_seconds") <= 60
    assert metric(text, "portal_sweep_rows_total", 'step="deemed_approved_stages"') == 0
    assert metric(text, "portal_open_stages", 'alert="none"') >= 1
    assert metric(text, "portal_open_stages", 'alert="red"') == 0

    enqueue([Message(event="t", subject="s", body="b", email="a@example.org", phone="13800000000")])
    Notification.objects.filter(channel="sms").update(status="failed")
    text = client.get("/metrics").content.decode()
    assert metric(text, "portal_outbox_messages", 'channel="email",state="pending"') >= 1
    assert metric(text, "portal_outbox_messages", 'channel="sms",state="failed"') == 1
    assert "django_http_requests_total_by_method_total" in text  # django-prometheus's own
    assert metric(text, "portal_audit_unsealed", 'unit="blocks"') == 0  # the sweep sealed what it found
    from portal.audit.services import AuditEntry, audit_log_many

    audit_log_many(actor=None, entries=[AuditEntry("application", 1, "note")])  # no seal inside the test
    with time_machine.travel(timezone.now() + timedelta(seconds=90)):
        text = client.get("/metrics").content.decode()
    assert metric(text, "portal_audit_unsealed", 'unit="blocks"') == 1
    assert metric(text, "portal_audit_oldest_unsealed_seconds") >= 89


@pytest.mark.django_db
def test_metrics_can_require_a_bearer_token(client, settings):
    settings.METRICS_TOKEN = "scrape-secret"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret").status_code == 200


@pytest.mark.django_db
def test_supervisors_see_a_banner_when_the_sweep_is_late_and_citizens_do_not(client, world, settings):
    settings.SWEEP_STALE_SECONDS = 60
    client.force_login(world.supervisor)
    assert 'id="stale-sweep"' in client.get("/").content.decode()  # never swept
    sweep()
    assert 'id="stale-sweep"' not in client.get("/").content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        page = client.get("/services/").content.decode()
        assert 'id="stale-sweep"' in page and "worker" in page.lower() or "Celery" in page
        client.force_login(world.citizen)
        assert 'id="stale-sweep"' not in client.get("/services/").content.decode()


def test_one_record_row():
    assert SweepRecord._meta.db_table == "operations_sweeprecord"
