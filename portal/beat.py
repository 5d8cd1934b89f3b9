"""The beat's scheduler: celery-redbeat, kept scheduling when Redis loses its data.

电子监察 must not stop silently. ``bench.chaos`` found two ways it did with celery-redbeat as it
is, both after Redis was stopped for a minute and started again without its data (as a Redis
without persistence, a fail-over to an empty replica or a flush leaves it):

1. the beat holding the lock found the schedule's keys gone, so nothing was ever due again: it
   sent no sweep, logged nothing, and the deadlines waited until the beat was restarted;
2. a standby beat that was waiting for the lock when Redis went away was left with no lock at
   all (the start-up acquisition failed and is not retried), so it could never take over.

``KeptScheduler`` checks on every tick that it holds the lock (else it tries to take it,
without blocking) and that the schedule is still in Redis (else it installs it again). While
Redis does not answer, a tick waits one loop instead of failing.
"""

import logging

from redbeat import RedBeatScheduler
from redbeat.schedulers import LUA_EXTEND_TO_SCRIPT, get_redis
from redis.exceptions import LockError, RedisError

log = logging.getLogger(__name__)


class KeptScheduler(RedBeatScheduler):
    """RedBeatScheduler that takes its lock again and installs its schedule again when Redis
    lost them (see the module's docstring)."""

    def tick(self, *args, **kwargs):
        try:
            if self.lock_key and not self._holds_lock():
                return self.max_interval  # another beat schedules; look again next loop
            if not get_redis(self.app).exists(self.app.redbeat_conf.statics_key):
                log.warning("beat: the schedule is gone from Redis (restarted without its data?): installing it again")
                self.setup_schedule()
            return super().tick(*args, **kwargs)
        except (RedisError, LockError) as error:
            log.warning("beat: Redis did not answer (%s); trying again in %s s", error, self.max_interval)
            return self.max_interval

    def _holds_lock(self) -> bool:
        if self.lock is not None and self.lock.owned():
            return True
        client = get_redis(self.app)
        lock = client.lock(self.lock_key, timeout=self.lock_timeout, sleep=self.max_interval)
        # As redbeat does: extend to the timeout rather than add to it.
        lock.lua_extend = client.register_script(LUA_EXTEND_TO_SCRIPT)
        if not lock.acquire(blocking=False):
            self.lock = None
            return False
        log.info("beat: Acquired lock")
        self.lock = lock
        return True
