"""One settings module, strict about its environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {
        "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "PORTAL_ENV", "DEBUG", "REDIS_URL"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)"],
        cwd=ROOT, env=clean, capture_output=True, text=True,
    )


def test_embedded_default_needs_no_variables():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {"PORTAL_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portal.example",
           "DATABASE_URL": "postgres://u@127.0.0.1/db"}
    del env[missing]
    result = load_settings(**env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_with_everything_starts_without_debug():
    result = load_settings(PORTAL_ENV="production", SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example",
                           DATABASE_URL="postgres://u@127.0.0.1/db")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]


@pytest.mark.parametrize("name,value", [("DEBUG", "maybe"), ("PORTAL_ENV", "staging"),
                                        ("UPLOAD_MAX_BYTES", "20MB")])
def test_a_bad_value_stops_the_process_naming_the_variable(name, value):
    result = load_settings(**{name: value})
    assert result.returncode != 0
    assert name in result.stderr
