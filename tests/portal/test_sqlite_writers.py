"""The embedded default (SQLite) with several writers at once: the web threads, the in-process
sweep and the audit sealer share one database file (portal.settings.SQLITE_OPTIONS).

Runs on a SQLite file of its own whatever database the suite uses, so CI checks it too."""

import json
import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

ALIAS = "sqlite_writers"
THREADS, TRANSACTIONS = 4, 100


@pytest.fixture
def sqlite_alias(tmp_path, django_db_blocker):
    configured = connections.configure_settings(  # fills in Django's defaults; needs a "default"
        {"default": {"ENGINE": "django.db.backends.dummy"}, ALIAS: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "portal.sqlite3"),
                 "OPTIONS": dict(settings.SQLITE_OPTIONS)}})
    connections.settings[ALIAS] = configured[ALIAS]
    with django_db_blocker.unblock():  # the probe's own file, not the suite's database
        yield from _with_counter_table()


def _with_counter_table():
    try:
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
            cursor.execute("INSERT INTO counter (id, value) VALUES (1, 0)")
        yield ALIAS
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]  # this thread's wrapper of the file, not kept for the next test's
        del connections.settings[ALIAS]


def _read_then_write(alias: str, barrier: threading.Barrier, errors: list) -> None:
    """What a service does: read the row, decide, write it back, in one transaction."""
    try:
        barrier.wait()
        for _ in range(TRANSACTIONS):
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT value FROM counter WHERE id = 1")
                (value,) = cursor.fetchone()
                cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
    except OperationalError as error:  # "database is locked"
        errors.append(error)
    finally:
        connections[alias].close()


def test_concurrent_read_then_write_transactions_wait_their_turn_instead_of_failing(sqlite_alias):
    barrier = threading.Barrier(THREADS)
    errors: list = []
    threads = [threading.Thread(target=_read_then_write, args=(sqlite_alias, barrier, errors))
               for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with connections[sqlite_alias].cursor() as cursor:
        cursor.execute("SELECT value FROM counter WHERE id = 1")
        # No update lost: each read-then-write ran alone.
        assert cursor.fetchone() == (THREADS * TRANSACTIONS,)
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)


def test_the_embedded_default_uses_these_options():
    """What `make run` gets: no DATABASE_URL, SQLite with the options above."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PORTAL_ENV")}
    environment["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    printed = subprocess.run(
        [sys.executable, "-c", "import json, django; django.setup(); from django.conf import settings; "
                               "print(json.dumps(settings.DATABASES['default']))"],
        env=environment, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True).stdout
    database = json.loads(printed.strip().splitlines()[-1])
    assert database["ENGINE"] == "portal.db.sqlite3"  # Django's, with a too-large integer a DataError
    assert database["OPTIONS"] == settings.SQLITE_OPTIONS


def test_an_integer_too_large_for_sqlite_is_a_data_error(sqlite_alias):
    """The embedded default's backend refuses a number beyond 64 bits as PostgreSQL does
    (``DataError``: the answer for an address that names nothing), not with the driver's bare
    OverflowError (a server error)."""
    from django.db import DataError

    from portal.db.sqlite3.base import DatabaseWrapper

    connection = DatabaseWrapper(connections.settings[ALIAS], ALIAS)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s", [2**63 - 1])
            assert cursor.fetchone() == (2**63 - 1,)
            with pytest.raises(DataError):
                cursor.execute("SELECT %s", [10**20])
            with pytest.raises(DataError):
                cursor.executemany("UPDATE counter SET value = %s WHERE id = 1", [[1], [10**20]])
    finally:
        connection.close()
