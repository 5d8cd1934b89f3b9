"""The throttle's window on Redis (portal.api.client.ScopedRateThrottle): DRF's sliding log kept
as a sorted set by one script, so that a request costs the same whether the address made three
requests in the window or thousands — with DRF's answers, request for request."""

import socket

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory
from rest_framework import throttling
from rest_framework.throttling import SimpleRateThrottle

from portal.api.client import ScopedRateThrottle
from portal.cache import KeptRedisCache

pytestmark = pytest.mark.skipif(not isinstance(caches["default"], KeptRedisCache),
                                reason="the sorted-set window is Redis's; CI runs with REDIS_URL")


class _View:
    throttle_scope = "trial"


class _DrfThrottle(throttling.ScopedRateThrottle):
    """DRF's own list, on a cache of its own: the reference."""

    cache = LocMemCache("drf-reference", {})

    def get_ident(self, request):
        return request.META["REMOTE_ADDR"]


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"trial": "3/min", "track": "60/min", "auth": "20/min"})
    now = {"t": 1_790_000_000.123456}
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: now["t"])
    _DrfThrottle.cache.clear()
    return now


def _ask(throttle_class, address="192.0.2.7"):
    throttle = throttle_class()
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    allowed = throttle.allow_request(request, _View())
    return allowed, (None if allowed else throttle.wait())


def test_the_window_answers_as_drf_list_at_every_edge(clock):
    start = clock["t"]
    # Three in the window, refusals (not counted), the oldest leaving exactly `duration` later.
    offsets = [0, 1, 2, 3, 30, 59.999, 60, 60, 61, 61.5, 62, 119, 121.9, 122.000001, 300, 300, 300, 300]
    ours, reference = [], []
    for offset in offsets:
        clock["t"] = start + offset
        ours.append(_ask(ScopedRateThrottle))
        reference.append(_ask(_DrfThrottle))
    assert ours == reference
    assert [allowed for allowed, _ in ours] == [True, True, True, False, False, False, True, False, True, False,
                                                True, False, True, True, True, True, True, False]
    assert ours[3][1] == pytest.approx(57 / 1) and ours[11][1] == pytest.approx(1)


def test_each_address_and_scope_has_its_own_window(clock):
    for _ in range(3):
        assert _ask(ScopedRateThrottle, "192.0.2.1")[0]
    assert not _ask(ScopedRateThrottle, "192.0.2.1")[0]
    assert _ask(ScopedRateThrottle, "192.0.2.2")[0]


def test_the_window_holds_only_the_requests_inside_it(clock):
    """No list growing with the address's history: what left the window is dropped by the
    next request, and the key expires with the window."""
    SimpleRateThrottle.THROTTLE_RATES["trial"] = "100000/min"
    start = clock["t"]
    for i in range(2000):
        clock["t"] = start + i * 0.01
        assert _ask(ScopedRateThrottle)[0]
    client = cache._cache.get_client(None, write=True)
    key = cache.make_key("throttle_trial_192.0.2.7:log")
    assert client.type(key) == b"zset" and client.zcard(key) == 2000
    assert 0 < client.pttl(key) <= 60_000
    clock["t"] = start + 74.995  # the first 1,500 (up to start + 14.99) have left the window
    assert _ask(ScopedRateThrottle)[0]
    assert client.zcard(key) == 2000 - 1500 + 1


def test_a_request_is_one_round_trip_to_redis(clock, monkeypatch):
    calls = []
    original = type(cache._cache).run_script
    monkeypatch.setattr(type(cache._cache), "run_script", lambda self, *a: calls.append(a) or original(self, *a))
    for name in ("get", "set", "get_many", "set_many", "add", "incr"):
        monkeypatch.setattr(type(cache._cache), name, lambda *a, **k: pytest.fail("a cache call besides the script"))
    assert _ask(ScopedRateThrottle)[0]
    assert len(calls) == 1


def test_while_redis_is_unreachable_requests_are_not_refused(clock, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nobody listens there once closed
    dead = KeptRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 0.3}})
    monkeypatch.setattr(ScopedRateThrottle, "cache", dead)
    assert [_ask(ScopedRateThrottle)[0] for _ in range(5)] == [True] * 5
    assert not dead.reachable()


@pytest.mark.django_db
def test_the_api_answers_429_with_drf_retry_after_once_the_budget_is_spent(world, api, clock):
    client = api()
    statuses = [client.get("/api/track/NOPE/", {"code": "WRONG"}).status_code for _ in range(60)]
    assert set(statuses) == {404}
    clock["t"] += 15.5
    refused = client.get("/api/track/NOPE/", {"code": "WRONG"})
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert refused["Retry-After"] == "45"  # the oldest leaves the window in 44.5 s, as DRF says
