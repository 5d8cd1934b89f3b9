"""Issue 9: the web keeps answering while Redis is away, and the worker is back soon after it.

A real redis-server of the test's own on a free port: stopped (SIGSTOP: calls time out, data kept)
or killed (connections refused). The cache answers a miss instead of an error and writes again
what it dropped once Redis answers (portal.cache); pages and the API work from the database;
sign-in is refused with 503 while the lockout counts cannot be kept (portal.lockout); a task
nudged after commit is left to the schedule (portal.broker.nudge); a worker's consumer tries the
broker again every half second (portal.celery.QuickReconnectConsumer) and meanwhile sweeps the
deadlines itself, so 超期默许 does not wait for Redis."""

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis
from celery import Celery
from django.conf import settings

import portal.broker
import portal.cache
from portal.cache import KeptRedisCache
from portal.broker import nudge
from django.utils import timezone

from approvals.demo import DEMO_PASSWORD
from tests.conftest import APPLICANT

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None and os.environ.get("CI") != "true",
                                reason="needs redis-server on PATH; CI always has it")


ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_server():
    port = _free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port, socket_timeout=5)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield SimpleNamespace(port=port, process=process, client=client, url=f"redis://127.0.0.1:{port}/0")
    if process.poll() is None:
        process.send_signal(signal.SIGCONT)
        process.kill()
        process.wait(10)


def _cache(url: str) -> KeptRedisCache:
    return KeptRedisCache(url, {"KEY_PREFIX": "outage", "OPTIONS": {"socket_connect_timeout": 0.3,
                                                                   "socket_timeout": 0.3}})


def test_a_stopped_redis_is_a_miss_and_what_was_written_meanwhile_reaches_it_after(redis_server, monkeypatch):
    cache = _cache(redis_server.url)
    cache.set("calendar-token", "v1", None)
    cache.set("catalogue-version", "c1", None)
    assert cache.get("calendar-token") == "v1" and cache.reachable()

    redis_server.process.send_signal(signal.SIGSTOP)
    # Reads miss, writes are taken without an error: nobody's request fails on the cache.
    assert cache.get("calendar-token", "default") == "default"
    assert not cache.reachable()
    cache.set("calendar-token", "v2", None)  # a calendar change committed during the outage
    cache.delete("catalogue-version")  # a catalogue change
    assert cache.add("new", 1) is False and cache.get_many(["calendar-token"]) == {}
    assert cache.has_key("calendar-token") is False
    with pytest.raises(ValueError):
        cache.incr("counter")
    # The data is still in the stopped server: nothing was written to it.
    redis_server.process.send_signal(signal.SIGCONT)
    assert redis_server.client.get(cache.make_key("catalogue-version")) is not None

    monkeypatch.setattr(portal.cache, "RETRY_SECONDS", 0.0)
    cache._cache._down_until = 0.0  # the next call tries Redis (not after a second's wait)
    # The first call after it answers writes again what was dropped, then answers.
    assert cache.get("calendar-token") == "v2"
    assert cache.get("catalogue-version") is None
    assert cache.reachable()
    assert redis_server.client.get(cache.make_key("catalogue-version")) is None


def test_a_dead_redis_is_not_tried_on_every_call(redis_server):
    cache = _cache(redis_server.url)
    redis_server.process.kill()
    redis_server.process.wait(10)
    assert cache.get("x", 7) == 7
    assert not cache.reachable()
    calls = []
    original = cache._cache.get_client
    cache._cache.get_client = lambda *a, **k: calls.append(1) or original(*a, **k)
    for _ in range(50):
        assert cache.get("x", 7) == 7
        cache.set("x", 1)
    assert calls == []  # within RETRY_SECONDS of the failure nothing went to the dead server


@pytest.fixture
def cache_down(redis_server, settings):
    """The default cache on a Redis that is not there (killed), the production lockout handler."""
    redis_server.process.kill()
    redis_server.process.wait(10)
    settings.CACHES = {"default": {"BACKEND": "portal.cache.KeptRedisCache", "LOCATION": redis_server.url,
                                   "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}}}
    settings.AXES_HANDLER = "portal.lockout.KeptCacheHandler"
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.implementation = None
    yield
    AxesProxyHandler.implementation = None


@pytest.mark.django_db
def test_the_web_answers_from_the_database_while_the_cache_is_down(world, api, cache_down):
    from django.test import Client

    page = Client()
    for path in ["/", "/services/", "/services/MKT-002/", "/track/"]:
        assert page.get(path).status_code == 200, path
    citizen = api(world.citizen)
    assert citizen.get("/api/services/").status_code == 200
    created = citizen.post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT}, format="json",
                           HTTP_IDEMPOTENCY_KEY="outage-1")
    assert created.status_code == 201, created.content
    assert citizen.get("/api/applications/").status_code == 200
    assert api(world.window).get("/api/applications/?status=submitted").status_code == 200


@pytest.mark.django_db
def test_sign_in_is_refused_while_the_lockout_counts_cannot_be_kept(world, cache_down):
    from django.test import Client

    response = Client().post("/api/auth/token/", {"username": "citizen", "password": DEMO_PASSWORD},
                             content_type="application/json")
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    page = Client().post("/login/", {"username": "citizen", "password": DEMO_PASSWORD})
    assert page.status_code == 503
    assert "请稍后再试" in page.content.decode()


def test_a_nudge_with_the_broker_down_is_left_to_the_schedule(caplog, monkeypatch):
    monkeypatch.setattr(portal.broker, "_broker_down_until", 0.0)
    monkeypatch.setattr(portal.broker, "_nudges", {})
    port = _free_port()  # nothing listens there
    # Not the current app: the portal's tasks in later tests must keep the real broker.
    app = Celery("outage", broker=f"redis://127.0.0.1:{port}/0", set_as_current=False)
    app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS  # as the portal's app

    @app.task(name="outage.work")
    def work():
        pass

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="portal.broker"):
        nudge(work)  # no exception reaches the request that committed the change
    # One try, not kombu's tries within broker_connection_timeout (2 + 4 s): a sweep run by a
    # worker whose Redis is away nudges the outbox too.
    assert time.monotonic() - started < 1.0
    assert "left to the schedule" in caplog.text
    caplog.clear()
    nudge(work)  # within the second after a failure the broker is not tried again
    assert caplog.text == ""


def _wait_for(log: Path, predicate, what: str, process: subprocess.Popen, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if predicate(text):
            return text
        if process.poll() is not None:
            pytest.fail(f"the worker exited while waiting for {what}:\n{text[-3000:]}")
        time.sleep(0.1)
    pytest.fail(f"no {what} within {seconds} s:\n{log.read_text(errors='replace')[-3000:]}")


def _start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process


def test_a_worker_that_lost_redis_tries_again_every_half_second_and_carries_on(redis_server, tmp_path):
    """A real `celery worker` on the test's own redis-server: Redis is killed, the worker's
    consumer tries again every 0.5 s (not after 2, 4, 6 … s), and once a new Redis answers on the same
    port the worker is connected again and runs what is sent to it."""
    log = tmp_path / "worker.log"
    env = {**os.environ, "REDIS_URL": redis_server.url, "CELERY_QUEUE": f"outage-{redis_server.port}"}
    env.pop("PORTAL_ENV", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--loglevel=info",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    revived = None
    try:
        _wait_for(log, lambda text: "ready." in text, "worker ready", worker)
        redis_server.process.kill()
        redis_server.process.wait(10)
        text = _wait_for(log, lambda text: text.count("consumer: Cannot connect") >= 4, "four connection tries",
                         worker)
        tries = [datetime.strptime(line[1:24], "%Y-%m-%d %H:%M:%S,%f")
                 for line in text.splitlines() if "consumer: Cannot connect" in line][:4]
        # kombu's default would wait 2 + 4 + 6 = 12 s over the first three gaps.
        assert (tries[3] - tries[0]).total_seconds() < 4, text[-3000:]
        revived = _start_redis(redis_server.port)
        before = log.read_text(errors="replace").count("Connected to redis")
        _wait_for(log, lambda text: text.count("Connected to redis") > before, "a reconnection", worker, 30)
    finally:
        worker.terminate()
        worker.wait(20)
        if revived is not None:
            revived.kill()
            revived.wait(10)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_that_lost_redis_enforces_the_deadlines_itself(redis_server, tmp_path, world, api):
    """超期默许 does not wait for Redis: while a real `celery worker` cannot reach its broker (no
    beat tick can reach it either), it runs the deadline sweep itself between its connection
    tries (portal.celery.BrokerAwayDuties), on PostgreSQL alone. A stage overdue during the
    outage is deemed approved before Redis is back."""
    from django.db import connection

    from approvals.models import Application, Stage
    from portal.notifications.models import Notification
    from portal.operations.models import SweepRecord
    from tests.approvals.helpers import accepted

    app = accepted(world, api, "MKT-002")
    database = connection.settings_dict
    log = tmp_path / "worker.log"
    env = {**os.environ, "REDIS_URL": redis_server.url, "CELERY_QUEUE": f"away-{redis_server.port}",
           "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
                           f"{database['PORT'] or 5432}/{database['NAME']}",
           "DEADLINE_SWEEP_SECONDS": "1"}
    env.pop("PORTAL_ENV", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--loglevel=info",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        _wait_for(log, lambda text: "ready." in text, "worker ready", worker)
        sweeps_before = SweepRecord.objects.filter(pk=1).values_list("sweeps", flat=True).first() or 0
        started = timezone.now()
        redis_server.process.kill()
        redis_server.process.wait(10)
        _wait_for(log, lambda text: "consumer: Cannot connect" in text, "the lost broker", worker)
        # Falls due now, while the broker is away.
        Stage.objects.filter(application_id=app["id"]).update(due_at=timezone.now())
        text = _wait_for(log, lambda text: "broker away: ran approvals.tasks.enforce_deadlines" in text
                         and Application.objects.get(pk=app["id"]).outcome == "deemed_approved",
                         "a sweep by the worker itself", worker, 30)
        assert "consumer: Connected to redis" not in text.split("consumer: Cannot connect", 1)[1]
        application = Application.objects.get(pk=app["id"])
        assert application.outcome == "deemed_approved" and application.certificate_number
        assert SweepRecord.objects.get(pk=1).sweeps > sweeps_before
        # The mail the sweep committed is sent too (no nudge can reach a worker, no beat polls):
        # no backlog is left to hold up the first sweeps when Redis is back.
        # Neither waiting nor in flight: a message the worker has claimed is SENDING until it is sent.
        _wait_for(log, lambda text: not Notification.objects.filter(
            status__in=[Notification.State.PENDING, Notification.State.SENDING]).exists(),
                  "the outbox sent by the worker itself", worker, 30)
        assert Notification.objects.filter(status=Notification.State.SENT, created_at__gte=started).exists()
    finally:
        worker.terminate()
        worker.wait(20)
