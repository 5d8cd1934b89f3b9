"""Shared fixtures: the demo world, personas, an API client per persona, time travel."""

import os
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from django.contrib.auth.models import User
from django.db import connection
from rest_framework.test import APIClient

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Properties are checked on a loaded 2-core CI machine: time is not what they test.
hypothesis_settings.register_profile("portal", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("portal")

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" \
      b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def pytest_collection_modifyitems(config, items):
    """In CI every test runs on PostgreSQL: a test that needs it is never skipped there."""
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
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _no_axes_lockouts_between_tests(settings):
    from django.core.cache import cache

    cache.clear()
    yield


def ensure_demo_world() -> None:
    from approvals.demo import demo_world_seed
    from portal.catalogue.models import ServiceItem
    from portal.workcalendar.loader import calendar_load
    from portal.workcalendar.models import WorkDay

    if not WorkDay.objects.exists():
        calendar_load()
    if not ServiceItem.objects.filter(published=True).exists():
        demo_world_seed()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_demo_world()


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
