"""One settings module, strict about its environment.

Settings are evaluated in a fresh interpreter with exactly the variables a test gives,
as an operator's process would see them."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTROLLED = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "PORTAL_ENV", "DEBUG", "REDIS_URL", "SITE_URL",
              "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "AXES_HANDLER",
              "LOG_FORMAT", "EMAIL_BACKEND", "SMS_BACKEND"}
STRONG_KEY = secrets.token_urlsafe(50)
PRODUCTION = {"PORTAL_ENV": "production", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "portal.example",
              "DATABASE_URL": "postgres://u@127.0.0.1/db", "REDIS_URL": "redis://127.0.0.1:6379/0",
              "SITE_URL": "https://portal.example"}
SHOW = """
import json, portal.settings as s
print(json.dumps({
    "engine": s.DATABASES["default"]["ENGINE"], "debug": s.DEBUG,
    "cache": s.CACHES["default"]["BACKEND"], "axes": s.AXES_HANDLER, "session": s.SESSION_ENGINE,
    "eager": s.CELERY_TASK_ALWAYS_EAGER, "broker": s.CELERY_BROKER_URL,
    "ssl_redirect": s.SECURE_SSL_REDIRECT, "hsts": s.SECURE_HSTS_SECONDS,
    "proxy_ssl_header": s.SECURE_PROXY_SSL_HEADER, "session_cookie_secure": s.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": s.CSRF_COOKIE_SECURE,
}))
"""


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    clean.update(env)
    return subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env=clean, capture_output=True, text=True)


def loaded(**env) -> dict:
    result = load_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_needs_no_variables():
    values = loaded()
    assert "sqlite3" in values["engine"]
    assert values["eager"] is True and values["ssl_redirect"] is False and values["hsts"] == 0


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "SITE_URL"])
def test_production_refuses_to_start_without(missing):
    env = dict(PRODUCTION)
    del env[missing]
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperEnv" in result.stderr
    assert f"PORTAL_ENV=production needs {missing}" in result.stderr


def test_production_names_everything_missing_at_once():
    result = load_settings(PORTAL_ENV="production")
    assert result.returncode != 0
    assert "needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, SITE_URL" in result.stderr


@pytest.mark.parametrize("weak", [
    "x", "changeme", "secret", "x" * 50, "changeme" * 8, "django-insecure-L15us0PT2mS_dVO-Ic7JbgnXgQrPizug2Q7ci8VEmUOkueNSHMLl89WleEwCLK1ewYg",
    "embedded-development-key-not-for-production", "Oq_0QHPNc3aZ2AKIsv1LgybjEQA", "abcdefghijklmnopq" * 4,
    "0123456789" * 6,
])
def test_production_refuses_a_weak_secret_key(weak):
    result = load_settings(**{**PRODUCTION, "SECRET_KEY": weak})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "strong" in result.stderr


def test_production_refuses_a_site_url_that_is_not_a_url():
    result = load_settings(**{**PRODUCTION, "SITE_URL": "portal.example"})
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_production_with_everything_shares_state_through_redis_and_the_database():
    values = loaded(**PRODUCTION)
    assert values["engine"] == "portal.db.postgresql" and values["debug"] is False  # Django's, cheaper health check
    assert values["cache"] == "portal.cache.KeptRedisCache"  # Redis, a miss while it is away
    assert values["axes"] == "portal.lockout.KeptCacheHandler"  # lockout counts in Redis
    assert values["session"] == "django.contrib.sessions.backends.db"
    assert values["eager"] is False and values["broker"] == PRODUCTION["REDIS_URL"]


def test_production_is_https_only_and_trusts_a_proxy_header_only_when_told():
    values = loaded(**PRODUCTION)
    assert values["ssl_redirect"] is True and values["hsts"] >= 31_536_000
    assert values["session_cookie_secure"] and values["csrf_cookie_secure"]
    assert values["proxy_ssl_header"] is None
    behind_proxy = loaded(**PRODUCTION, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert behind_proxy["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.parametrize("name,value", [("DEBUG", "maybe"), ("PORTAL_ENV", "staging"),
                                        ("UPLOAD_MAX_BYTES", "20MB")])
def test_a_bad_value_stops_the_process_naming_the_variable(name, value):
    result = load_settings(**{name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_production_logs_one_json_object_a_line():
    code = ("import django, logging; django.setup(); "
            "logging.getLogger('portal.test').warning('sweep late by %s s', 42)")
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="portal.settings")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["message"] == "sweep late by 42 s"
    assert record["level"] == "WARNING" and record["logger"] == "portal.test" and "time" in record


def test_production_hashes_passwords_with_djangos_full_pbkdf2_and_only_the_tests_with_fewer_rounds():
    """tests/conftest.py swaps in a quicker hasher for the test process alone (tests/hashers.py)."""
    from django.contrib.auth.hashers import get_hasher

    code = ("import django; django.setup(); from django.contrib.auth.hashers import get_hasher; "
            "h = get_hasher(); print(type(h).__module__, h.algorithm, h.iterations)")
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="portal.settings")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    module, algorithm, iterations = result.stdout.split()
    assert module == "django.contrib.auth.hashers" and algorithm == "pbkdf2_sha256"
    assert int(iterations) >= 1_000_000
    assert get_hasher().algorithm == "pbkdf2_sha256" and get_hasher().iterations < 1_000_000


def test_the_cache_keeps_one_redis_client_per_pool_and_still_answers():
    """Django builds a redis.Redis for every cache call (~100 µs of reply-handler tables each):
    the portal's client keeps one per connection pool, and it works like a new one."""
    from django.core.cache import cache

    from portal.cache import KeptRedisCache

    # A client of its own (no connection is opened to build one): whatever cache this run has.
    backend = KeptRedisCache(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), {})._cache
    first, again = backend.get_client(write=True), backend.get_client(write=False)
    assert first is again and first.connection_pool is backend._get_connection_pool(True)
    cache.set("kept-client-probe", 41, 30)  # the configured cache (Redis in CI) answers as before
    assert cache.incr("kept-client-probe") == 42 and cache.get("kept-client-probe") == 42
    cache.delete("kept-client-probe")
