"""Who is asking: the client's address, the one answer the throttles, the sign-in lockout
(django-axes) and anonymous idempotency keys all use.

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only as far
as TRUSTED_PROXY_COUNT says: with 0 (the default, no proxy in front) it is ignored and the
address is the connection's; with n proxies in front, each appends the address it saw, and
the client is the entry the outermost trusted proxy appended (n-th from the end). Entries
before it are the client's own claims."""

import ipaddress
import itertools
import os

from django.conf import settings
from rest_framework import throttling


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    candidate = hops[-min(count, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


# DRF's sliding log as a sorted set in Redis, in one atomic round trip: drop the times that
# left the window (<= now - duration, as DRF drops them), refuse when the window is full (a
# refused request is not counted, as in DRF), else add this request's time. Answers
# {allowed, requests in the window, the oldest one's time} (the last two are what DRF's wait()
# reads). Times and the cut-off come as strings: Lua numbers would lose digits on the way back.
_SLIDING_LOG = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local count = redis.call('ZCARD', KEYS[1])
if count >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, count, oldest[2] or ''}
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {1, count + 1, ''}
"""
_MEMBERS = itertools.count()


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's scoped throttle, counting per ``client_ip`` (DRF's own reading of
    X-Forwarded-For would count every forged header as a new client).

    On Redis the window is a sorted set changed by one script (``_SLIDING_LOG``), with DRF's
    limits, answers and Retry-After: DRF keeps a list of every request's time in the window,
    read, unpickled, pickled and written whole by each request, so that at a busy address (a
    hall's NAT, a proxy, the load test) each request paid for thousands of entries. On a local
    cache (development) DRF's own list is kept."""

    def get_ident(self, request):
        return client_ip(request)

    def allow_request(self, request, view):
        run_script = getattr(self.cache, "run_script", None)
        if run_script is None:
            return super().allow_request(request, view)
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        member = f"{self.now!r}/{os.getpid()}/{next(_MEMBERS)}"  # unique though two times are equal
        answer = run_script(_SLIDING_LOG, [self.key + ":log"],
                            [repr(self.now), repr(self.now - self.duration), self.num_requests,
                             self.duration * 1000, member],
                            default=None)
        if answer is None:  # Redis unreachable: not refused, as DRF with a missing history
            return True
        allowed, count, oldest = answer
        self.window = (count, float(oldest) if oldest else None)
        return bool(allowed)

    def wait(self):
        """DRF's wait() from the window's count and oldest time instead of its list."""
        window = getattr(self, "window", None)
        if window is None:
            return super().wait()
        count, oldest = window
        remaining_duration = self.duration - (self.now - oldest) if oldest is not None else self.duration
        available_requests = self.num_requests - count + 1
        if available_requests <= 0:
            return None
        return remaining_duration / float(available_requests)
