"""portal.broker.nudge: a busy process nudges a worker at most once a second at once and once
deferred to the end of that second (the drain takes everything committed until it runs), on the
test's real Redis broker; the clock of the module is driven by the test."""

import json
import os
import uuid
from types import SimpleNamespace

import pytest
import redis
from celery import Celery

import portal.broker
from portal.broker import nudge

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL") and os.environ.get("CI") != "true",
                                reason="needs Redis (REDIS_URL); CI always runs it")


def test_a_busy_process_nudges_once_at_once_and_once_deferred_a_second(monkeypatch):
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    queue = f"nudge-test-{uuid.uuid4().hex}"
    # Not the current app: the portal's tasks in later tests must keep their own queue.
    app = Celery("nudges", broker=url, set_as_current=False)
    app.conf.task_default_queue = queue

    @app.task(name="nudges.drain")
    def drain():
        pass

    clock = [1000.0]
    monkeypatch.setattr(portal.broker, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    monkeypatch.setattr(portal.broker, "_nudges", {})
    monkeypatch.setattr(portal.broker, "_broker_down_until", 0.0)
    client = redis.Redis.from_url(url)
    try:
        for step in range(10):  # ten commits within 0.9 s
            clock[0] = 1000.0 + step * 0.1
            nudge(drain)
        sent = [json.loads(m) for m in client.lrange(queue, 0, -1)]
        assert len(sent) == 2
        etas = sorted((m["headers"].get("eta") is not None) for m in sent)
        assert etas == [False, True]  # one at once, one deferred to the end of the second
        clock[0] = 1001.05  # the deferred one has run: the next commit nudges at once again
        nudge(drain)
        assert client.llen(queue) == 3
    finally:
        client.delete(queue)
        app.close()
