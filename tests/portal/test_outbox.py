"""Issue 9 item 7: the outbox is re-polled, retried with backoff, ends "failed" where an
administrator sees it and resends it, and never talks to a mail server inside a row lock.
The mail server and the SMS gateway are the only fakes (an e-mail backend that fails and
then succeeds; a local HTTP server)."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from smtplib import SMTPServerDisconnected

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, connections, transaction
from django.utils import timezone

from portal.notifications.delivery import claim, drain, retry_delay
from portal.notifications.models import Notification
from portal.notifications.outbox import Message, enqueue

State = Notification.State


class FlakySmtp(LocmemBackend):
    """Fails the first ``failures`` sends (like a mail server that is down), then delivers.
    It records whether the sending connection was inside a transaction at that moment."""

    failures = 0
    calls: list[dict] = []
    probe = None

    def send_messages(self, messages):
        FlakySmtp.calls.append({"in_transaction": connection.in_atomic_block,
                                "probe": FlakySmtp.probe() if FlakySmtp.probe else None})
        if FlakySmtp.failures > 0:
            FlakySmtp.failures -= 1
            raise SMTPServerDisconnected("connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.portal.test_outbox.FlakySmtp"
    settings.OUTBOX_RETRY_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    settings.OUTBOX_MAX_ATTEMPTS = 3
    FlakySmtp.failures, FlakySmtp.calls, FlakySmtp.probe = 0, [], None
    mail.outbox = []
    return FlakySmtp


def store(*messages: Message) -> list[Notification]:
    with transaction.atomic():
        enqueue(list(messages))
    return list(Notification.objects.order_by("id"))


def message(n: int = 1, **extra) -> Message:
    return Message(event="test", subject=f"subject {n}", body=f"body {n}", email=f"person{n}@example.org", **extra)


@pytest.mark.django_db
def test_a_failed_send_is_retried_with_doubling_backoff_then_delivered(flaky):
    flaky.failures = 2
    [row] = store(message())
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert drain() == (0, 1, 0)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (State.PENDING, 1)
    assert row.next_attempt_at == start + timedelta(seconds=60)
    assert "SMTPServerDisconnected" in row.last_error

    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert drain() == (0, 0, 0)  # not due yet: nothing is sent early
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert drain() == (0, 1, 0)
    row.refresh_from_db()
    assert row.attempts == 2 and row.next_attempt_at == start + timedelta(seconds=61 + 120)

    with time_machine.travel(start + timedelta(seconds=61 + 121), tick=False):
        assert drain() == (1, 0, 0)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (State.SENT, 3, "")
    assert [m.to for m in mail.outbox] == [["person1@example.org"]]


def test_backoff_doubles_and_is_capped(settings):
    settings.OUTBOX_RETRY_SECONDS, settings.OUTBOX_RETRY_MAX_SECONDS = 60, 600
    assert [retry_delay(n).total_seconds() for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]


@pytest.mark.django_db
def test_after_the_last_attempt_the_message_fails_and_the_admin_resends_it(flaky, admin_client):
    flaky.failures = 3
    [row] = store(message())
    start = timezone.now()
    for minutes in (0, 2, 6):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            drain()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (State.FAILED, 3)
    with time_machine.travel(start + timedelta(days=1), tick=False):
        assert drain() == (0, 0, 0)  # failed for good: no more attempts on its own

    listing = admin_client.get("/admin/notifications/notification/?status__exact=failed")
    assert listing.status_code == 200 and "person1@example.org" in listing.content.decode()
    assert "SMTPServerDisconnected" in listing.content.decode()

    response = admin_client.post("/admin/notifications/notification/",
                                 {"action": "resend_selected", "_selected_action": [row.pk]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == (State.PENDING, 0)
    assert drain() == (1, 0, 0)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_row_left_in_flight_by_a_dead_worker_is_claimed_again_after_its_lease(flaky, settings):
    settings.OUTBOX_LEASE_SECONDS = 600
    store(message())
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        [claimed] = claim(timezone.now(), 10)  # the worker claims, commits, and dies
    with time_machine.travel(start + timedelta(seconds=599), tick=False):
        assert drain() == (0, 0, 0)
    with time_machine.travel(start + timedelta(seconds=601), tick=False):
        assert drain() == (1, 0, 0)
    claimed.refresh_from_db()
    assert claimed.status == State.SENT and claimed.attempts == 2


@pytest.mark.django_db
def test_beat_polls_the_outbox():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["drain-outbox"]
    assert entry["task"] == "portal.notifications.tasks.drain_outbox"
    assert entry["schedule"] == settings.OUTBOX_POLL_SECONDS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_inside_a_transaction_or_a_row_lock(flaky):
    """While the mail server is talking, the row is committed as in flight and another
    connection can lock it at once (NOWAIT): the drain holds no lock during the send."""
    rows = store(message(1), message(2))

    def probe():
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute("SELECT status FROM notifications_notification WHERE id = ANY(%s) "
                               "ORDER BY id FOR UPDATE NOWAIT", [[r.pk for r in rows]])
                states = [s for (s,) in cursor.fetchall()]
                cursor.execute("ROLLBACK")
            return states
        finally:
            other.close()

    flaky.probe = probe
    flaky.failures = 1
    assert drain() == (1, 1, 0)
    assert [call["in_transaction"] for call in flaky.calls] == [False, False]
    # The first send failed and was recorded (pending again, for later) before the second.
    assert [call["probe"] for call in flaky.calls] == [["sending", "sending"], ["pending", "sending"]]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_drains_send_each_message_once(flaky):
    store(*[message(n) for n in range(60)])
    barrier = threading.Barrier(4)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(drain(batch=7))
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(r.sent for r in results) == 60
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"person{n}@example.org" for n in range(60))
    assert Notification.objects.filter(status=State.SENT).count() == 60


class FakeGateway(BaseHTTPRequestHandler):
    """The SMS gateway (outside the machine): answers 503 ``failures`` times, then 200."""

    failures = 0
    received: list[dict] = []

    def do_POST(self):
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if FakeGateway.failures > 0:
            FakeGateway.failures -= 1
            self.send_response(503)
        else:
            FakeGateway.received.append({**payload, "auth": self.headers.get("Authorization")})
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeGateway.failures, FakeGateway.received = 0, []
    settings.SMS_BACKEND = "portal.notifications.channels.HttpSmsBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_TOKEN = "gateway-token"
    yield FakeGateway
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_sms_goes_through_the_same_outbox_with_the_same_retries(gateway, flaky):
    gateway.failures = 1
    store(message(1, phone="13800000000"))
    email, sms = Notification.objects.order_by("channel")
    assert (email.channel, sms.channel, sms.phone) == ("email", "sms", "13800000000")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert drain() == (1, 1, 0)  # the e-mail went; the gateway answered 503
    sms.refresh_from_db()
    assert sms.status == State.PENDING and "503" in sms.last_error
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert drain() == (1, 0, 0)
    assert gateway.received == [{"phone": "13800000000", "text": "【政务服务中心】subject 1",
                                 "auth": "Bearer gateway-token"}]


@pytest.mark.django_db
def test_the_file_sms_backend_writes_one_json_line_per_message(settings, tmp_path, flaky):
    settings.SMS_BACKEND = "portal.notifications.channels.FileSmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    store(Message(event="test", subject="材料补正", body="", phone="13900000000"))
    assert drain() == (1, 0, 0)
    [line] = (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["phone"] == "13900000000" and "材料补正" in json.loads(line)["text"]


@pytest.mark.django_db
def test_an_applicant_gets_an_sms_for_the_events_that_need_one(world, api):
    from approvals.emails import applicant_message
    from approvals.models import Application
    from tests.approvals.helpers import accepted

    application = Application.objects.get(pk=accepted(world, api)["id"])
    assert application.applicant_phone
    application.refusal_reason = "materials incomplete"
    assert applicant_message(application, "not_accepted").phone == application.applicant_phone
    assert applicant_message(application, "accepted").phone == ""
