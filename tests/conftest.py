"""Shared fixtures: the demo world, personas, an API client per persona, time travel."""

import io
import os
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from django.conf import settings as django_settings
from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import TransactionTestCase
from rest_framework.test import APIClient

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Properties are checked on a loaded 2-core CI machine: time is not what they test.
hypothesis_settings.register_profile("portal", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("portal")

# Passwords hashed with far fewer PBKDF2 iterations in the test process (tests/hashers.py).
django_settings.PASSWORD_HASHERS = ["tests.hashers.QuickPBKDF2PasswordHasher"] + [
    h for h in django_settings.PASSWORD_HASHERS if h != "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
get_hashers.cache_clear()
get_hashers_by_algorithm.cache_clear()

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" \
      b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """In CI every test runs on PostgreSQL: a test that needs it is never skipped there.

    The heavy files (``pytest.mark.heavy(seconds=…)``: a minute or more) come first, longest
    first: `make test` runs pytest-xdist with ``--dist loadfile --no-loadscope-reorder``, which
    hands files out in this order, so both workers start on the longest files and end on short
    ones together (handed out by number of tests instead, a crawl of three tests came near the
    end and one worker ran it alone for minutes). Then browser files run last within a worker's
    own order (after pytest-randomly's shuffle, which the stable sort keeps within each part) — a
    convenience only: which worker runs which file is pytest-xdist's choice, so the browser
    fixture (tests/browser/conftest.py) cleans up after each file rather than rely on it."""
    def key(item):
        heavy = item.get_closest_marker("heavy")
        return -(heavy.kwargs.get("seconds", 60) if heavy else 0), "tests/browser/" in item.nodeid

    items.sort(key=key)
    if os.environ.get("CI") == "true" and connection.vendor != "postgresql" and \
            "postgres" not in os.environ.get("DATABASE_URL", ""):
        raise pytest.UsageError("CI=true but DATABASE_URL is not PostgreSQL: refusing to run on SQLite")


@pytest.fixture(autouse=True)
def _postgres_marker(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("this test needs PostgreSQL and CI must run it there")
        pytest.skip("needs PostgreSQL (set DATABASE_URL); CI always runs it")


@pytest.fixture(autouse=True)
def _no_browser_left_running(request):
    """A test outside tests/browser/ never runs beside a live Playwright: its asyncio loop and
    DJANGO_ALLOW_ASYNC_UNSAFE would change how Django behaves (the browser fixture is closed
    at the end of each browser file; this names the leak if that ever stops being so)."""
    if "tests/browser/" not in request.node.nodeid:
        assert os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE") is None, \
            "a browser fixture outlived its file: DJANGO_ALLOW_ASYNC_UNSAFE is still set"


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _audit_anchor_file(tmp_path, settings):
    """Each test's database starts empty, so its audit checkpoints go to a file of its own;
    every commit is sealed at once (a test reads the chain a moment after its writes; the
    coalescing of seals in a busy process has its own test in tests/portal/test_audit.py)."""
    settings.AUDIT_ANCHOR_PATH = tmp_path / "audit-anchors.log"
    settings.AUDIT_SEAL_COALESCE_SECONDS = 0


@pytest.fixture(autouse=True)
def _no_axes_lockouts_between_tests(settings):
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]  # the backend itself: `django.core.cache.cache` is a proxy
    if isinstance(cache, RedisCache):
        # Only the cache's own keys: a FLUSHDB would also drop the beat lock and queues
        # that other tests (tests/portal/test_beat.py) keep in the same Redis database.
        client = cache._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=cache.make_key("*"), count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()
    yield


class _DemoWorldSnapshot:
    """The demo world as PostgreSQL COPY data of every table, with its row counts and sequence
    values, taken once per test database right after it is seeded.

    A transactional test commits its writes; Django would end it by flushing the database
    (TRUNCATE of every table, then the post-migrate signal's content types and permissions) and
    the world would be restored after it (TRUNCATE and COPY again): two TRUNCATEs of 77 tables,
    4-10 s a test on a loaded 2-core machine, most of it PostgreSQL creating and unlinking some
    500 relation files. Instead a transactional test ends with ``restore()``, which finds the
    tables the test changed and puts back only those, by DELETE and COPY: a row written, updated
    or deleted since the world was last clean shows as a row version newer than that moment (its
    ``xmin``) or as a row count other than the snapshot's. The sequences go back to the values the
    seeding left, so ids continue as in a freshly seeded database.
    tests/structure/test_world_snapshot.py checks that a restored database equals the snapshot,
    table by table and sequence by sequence."""

    def __init__(self):
        self.tables: dict[str, bytes] = {}
        self.rows: dict[str, int] = {}
        self.sequences: dict[str, int | None] = {}
        self.clean_as_of: str | None = None  # the transaction id after which a row version is a change

    def take(self) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for table in sorted(connection.introspection.django_table_names(only_existing=True, include_views=False)):
                data = io.BytesIO()
                cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", data)
                self.tables[table] = data.getvalue()
                self.rows[table] = self.tables[table].count(b"\n")  # COPY's text format escapes newlines in values
            self.sequences = self.sequence_values(cursor)
            self.clean_as_of = self._transaction_id(cursor)

    @staticmethod
    def sequence_values(cursor) -> dict[str, int | None]:
        cursor.execute("SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value "
                       "FROM pg_sequences WHERE schemaname = current_schema()")
        return dict(cursor.fetchall())

    @staticmethod
    def _transaction_id(cursor) -> str:
        """This transaction's id, as the 32-bit xid that row versions carry (xmin)."""
        cursor.execute("SELECT (txid_current() % 4294967296)::text")
        return cursor.fetchone()[0]

    def changed_tables(self, cursor) -> list[str]:
        """The tables whose rows may differ from the snapshot's: one with a row version newer than
        the last clean moment (an insert or an update; age() compares transaction ids across their
        wraparound) or with another number of rows (a delete). One statement over every table."""
        quote = connection.ops.quote_name
        cursor.execute(" UNION ALL ".join(
            f"SELECT %s, count(*), count(*) FILTER (WHERE age(xmin) < age(%s::xid)) FROM {quote(table)}"
            for table in self.tables), [value for table in self.tables for value in (table, self.clean_as_of)])
        return [table for table, rows, newer in cursor.fetchall() if newer or rows != self.rows[table]]

    def restore(self) -> bool:
        """Put the world back as it was seeded; False when there is no snapshot (SQLite)."""
        if not self.tables:
            return False
        from django.contrib.contenttypes.models import ContentType

        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            changed = self.changed_tables(cursor)
            # Rows go in table by table: foreign keys are checked by the snapshot, not here (and a
            # DELETE cascades nowhere while the triggers that enforce them are off).
            cursor.execute("SET LOCAL session_replication_role = replica")
            for table in changed:
                cursor.execute(f"DELETE FROM {quote(table)}")
                cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.BytesIO(self.tables[table]))
            # Every sequence a test moved (the many-to-many tables' too): an id handed out again under
            # a restored row would make a many-to-many add() (INSERT … ON CONFLICT DO NOTHING) vanish.
            for sequence, value in self.sequence_values(cursor).items():
                if sequence in self.sequences and value != self.sequences[sequence]:
                    seeded = self.sequences[sequence]
                    cursor.execute("SELECT setval(%s, %s, %s)", [sequence, seeded or 1, seeded is not None])
            # Inside a test's transaction SET LOCAL would outlive this block: foreign keys on again.
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            self.clean_as_of = self._transaction_id(cursor)
        ContentType.objects.clear_cache()
        return True


_snapshot = _DemoWorldSnapshot()


def ensure_demo_world() -> None:
    from approvals.demo import demo_world_seed
    from portal.catalogue.models import ServiceItem
    from portal.workcalendar.loader import calendar_load
    from portal.workcalendar.models import WorkDay

    if ServiceItem.objects.filter(published=True).exists():
        return
    if _snapshot.restore():
        return
    if not WorkDay.objects.exists():
        calendar_load()
    demo_world_seed()


def _restore_instead_of_flushing(flush):
    """A transactional test (``transaction=True``, ``transactional_db``, ``live_server``) ends with
    the demo world restored and committed where Django would flush the database (see
    _DemoWorldSnapshot). Committed at once, not left to the next test that needs the world: that
    test would restore it inside its own transaction and roll it back with it, and every test
    after it pay a restore of its own. Without a snapshot (SQLite) Django's flush, as before."""
    def _fixture_teardown(self):
        if _snapshot.tables and self.available_apps is None and not self.serialized_rollback and \
                list(self._databases_names(include_mirrors=False)) == ["default"]:
            _snapshot.restore()
        else:
            flush(self)

    return _fixture_teardown


TransactionTestCase._fixture_teardown = _restore_instead_of_flushing(TransactionTestCase._fixture_teardown)


def _commits_without_waiting_for_the_disk() -> None:
    """The test database commits without waiting for its WAL to reach the disk
    (``synchronous_commit = off``, for every connection to it: the live server's, the race tests'
    threads', a subprocess's). What a commit means to every other connection is unchanged — its
    rows are visible, its locks released, at once; only a crash of the PostgreSQL server could lose
    the last few commits, and no test crashes it (tests/portal/test_database_gone.py cuts a
    connection). A commit then costs 0.27 ms instead of 5-6 ms on a loaded 2-core machine, and the
    seeding and the transactional tests commit thousands of times."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} "
                       "SET synchronous_commit = off")
        cursor.execute("SET synchronous_commit = off")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _commits_without_waiting_for_the_disk()
        ensure_demo_world()
        _snapshot.take()


@pytest.fixture
def world(db):
    """The demo world of SPEC §7 with every persona by username."""
    ensure_demo_world()
    users = {u.username: u for u in User.objects.all()}
    return SimpleNamespace(**users)


@pytest.fixture
def api():
    """api(user) → an APIClient authenticated as that user by token (None: anonymous)."""
    from rest_framework.authtoken.models import Token

    def make(user=None):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def travel():
    """travel(2026, 9, 28, 10) moves the one clock (timezone.now) to that Shanghai time."""
    travellers = []

    def go(*args):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(datetime(*args, tzinfo=SHANGHAI), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield go
    for traveller in travellers:
        traveller.stop()


def upload(client, application_id, material, content=PDF, name="scan.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/api/applications/{application_id}/materials/",
                       {"material": material, "file": SimpleUploadedFile(name, content)}, format="multipart")


APPLICANT = {"name": "陈民", "id_number": "11010519491231002X", "phone": "13800138000"}
