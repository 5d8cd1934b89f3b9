"""Issue 9 item 6: two beats may run and exactly one schedules (celery-redbeat's Redis lock).

Two real `celery beat` processes on the test's Redis: the first takes the lock and sends the
sweep every second; the second waits. When the first is killed (SIGKILL: no release), the
second takes over once the lock expires. Each process's log is read as it is written; every
wait is for a line in a log, bounded by a deadline."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SENT = "Sending due task enforce-deadlines"
LOCKED = "beat: Acquired lock"

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL") and os.environ.get("CI") != "true",
                                reason="needs Redis (REDIS_URL); CI always runs it")


class Beat:
    def __init__(self, tmp_path: Path, name: str, env: dict):
        self.log = tmp_path / f"{name}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "beat", "--loglevel=info",
             f"--schedule={tmp_path / name}.db"],
            cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def sent(self) -> int:
        return self.text().count(SENT)

    def wait_for(self, predicate, what: str, seconds: float) -> float:
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if predicate():
                return time.monotonic() - started
            if self.process.poll() is not None:
                pytest.fail(f"beat exited while waiting for {what}:\n{self.text()}")
            time.sleep(0.1)
        pytest.fail(f"no {what} within {seconds} s:\n{self.text()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def test_two_beats_exactly_one_schedules_and_the_other_takes_over(tmp_path):
    lock_seconds = 10  # a loaded CI machine may stall a beat for seconds
    env = {**os.environ, "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
           "DEADLINE_SWEEP_SECONDS": "1", "BEAT_LOCK_SECONDS": str(lock_seconds),
           "BEAT_KEY_PREFIX": f"redbeat-test-{uuid.uuid4().hex}:",
           # The sent tasks go to a queue of their own that nobody consumes; they expire in 1 s.
           "CELERY_QUEUE": f"beat-test-{uuid.uuid4().hex}"}
    first = Beat(tmp_path, "first", env)
    second = None
    try:
        first.wait_for(lambda: LOCKED in first.text(), "lock for the first beat", 60)
        second = Beat(tmp_path, "second", env)
        second.wait_for(lambda: "beat: Starting" in second.text(), "start of the second beat", 60)
        before = first.sent()
        first.wait_for(lambda: first.sent() >= before + 4, "four sweeps sent by the first beat", 30)
        assert second.sent() == 0 and LOCKED not in second.text()

        first.process.send_signal(signal.SIGKILL)
        first.process.wait(10)
        took_over = second.wait_for(lambda: LOCKED in second.text(), "takeover by the second beat", 30)
        assert took_over <= lock_seconds + 5
        second.wait_for(lambda: second.sent() >= 2, "sweeps sent by the second beat", 15)
    finally:
        first.stop()
        if second:
            second.stop()


def test_a_beat_keeps_sending_when_redis_loses_its_schedule_and_lock(tmp_path):
    """Redis started again without its data (or flushed): the schedule's keys and the lock are
    gone. The beat takes its lock again, installs the schedule again and keeps sending the sweep
    (celery-redbeat alone sent nothing more until it was restarted: bench.chaos)."""
    import redis

    prefix = f"redbeat-test-{uuid.uuid4().hex}:"
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    env = {**os.environ, "REDIS_URL": url, "DEADLINE_SWEEP_SECONDS": "1", "BEAT_LOCK_SECONDS": "10",
           "BEAT_KEY_PREFIX": prefix, "CELERY_QUEUE": f"beat-test-{uuid.uuid4().hex}"}
    beat = Beat(tmp_path, "only", env)
    client = redis.Redis.from_url(url)
    try:
        beat.wait_for(lambda: LOCKED in beat.text(), "lock for the beat", 60)
        beat.wait_for(lambda: beat.sent() >= 2, "sweeps sent", 30)
        keys = client.keys(prefix + "*")
        assert keys
        client.delete(*keys)  # what a Redis restarted without its data holds of them: nothing
        before = beat.sent()
        beat.wait_for(lambda: beat.sent() >= before + 3, "sweeps sent after the schedule vanished", 30)
        assert client.exists(prefix + ":lock")
    finally:
        beat.stop()
        leftover = client.keys(prefix + "*")
        if leftover:
            client.delete(*leftover)
