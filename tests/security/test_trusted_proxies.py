"""Issue 11 item 4: throttles and the sign-in lockout count per client address, and a client
cannot pick a new address with X-Forwarded-For unless a trusted proxy wrote it."""

import pytest
from django.test import Client

from portal.api.client import client_ip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _throttle_clock_stands_still(monkeypatch):
    """Every request of a test inside one throttle window, however slow the machine: on a
    loaded CI machine 30 sign-in attempts (each hashing a password) can take longer than the
    60 s window, and a sliding window then never fills."""
    import time

    from rest_framework.throttling import SimpleRateThrottle

    now = time.time()
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: now)


def _track_with_changing_forwarded_for(client, n):
    return [client.get("/api/track/NOPE/", {"code": "WRONG"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{i % 250}").status_code
            for i in range(n)]


def test_seventy_wrong_tracking_codes_with_a_changing_forwarded_for_are_throttled(world, api):
    statuses = _track_with_changing_forwarded_for(api(), 70)
    assert statuses.count(429) >= 10, statuses
    assert set(statuses) == {404, 429}


def test_the_public_tracking_page_shares_the_api_budget_whatever_the_headers(world, api):
    """Guessing codes on /track/ costs what it costs on /api/track/: one counter per address."""
    client = Client()
    pages = [client.get("/track/", {"number": "NOPE", "code": f"WRONG{i}"},
                        HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(40)]
    assert set(pages) == {200}  # 40 of the 60 a minute, each told "no match"
    statuses = _track_with_changing_forwarded_for(api(), 30)
    assert statuses.count(429) >= 10, statuses  # the API had only 20 left
    page = client.get("/track/", {"number": "NOPE", "code": "WRONG"})
    assert page.status_code == 429 and "请一分钟后再试" in page.content.decode()
    assert client.get("/track/").status_code == 200  # the empty form is never refused


def test_token_requests_with_a_changing_forwarded_for_are_throttled(world, api):
    client = api()
    statuses = [client.post("/api/auth/token/", {"username": f"nobody{i}", "password": "x"}, format="json",
                            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(30)]
    assert 429 in statuses, statuses


def test_the_lockout_ignores_a_forged_forwarded_for(world):
    client = Client()
    for i in range(5):
        client.post("/login/", {"username": "window", "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    response = client.post("/login/", {"username": "window", "password": "demo-pass-2026"},
                           HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def _request(remote, forwarded=None):
    from django.test import RequestFactory

    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_connection_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("10.0.0.1", "1.2.3.4")) == "10.0.0.1"


def test_behind_one_trusted_proxy_the_address_it_appended_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("10.0.0.1", "6.6.6.6, 1.2.3.4")) == "1.2.3.4"
    assert client_ip(_request("10.0.0.1", "not-an-address")) == "10.0.0.1"


def test_behind_a_trusted_proxy_the_throttle_counts_per_forwarded_client(world, api, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = _track_with_changing_forwarded_for(api(), 70)
    assert 429 not in statuses  # 70 different clients behind the proxy, one request... each
