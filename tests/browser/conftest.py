"""Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright cannot download its own browsers here, so the test uses /usr/bin/chromium.
Without it the browser test is skipped on a workstation but fails in CI (CI=true):
`.ci/run` installs Chromium, so a missing browser there is a broken machine, not a reason
to go green.
"""

import os
from pathlib import Path

import pytest

from tests.browser.crawling import sign_in  # noqa: F401 - the tests sign in through it
from tests.conftest import ensure_demo_world

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per test file.

    Not one per session: while it lives, Playwright's sync API keeps an asyncio loop running in
    this thread and the fixture keeps DJANGO_ALLOW_ASYNC_UNSAFE set, and a pytest-xdist worker
    runs files in an order it chooses (`make test` hands out the heavy files first, browser crawls
    among them; plain `--dist loadfile` the largest), so
    a non-browser file could run after a browser file in the same worker: Django's test client
    then refused to run ("AsyncToSync in the same thread as an async event loop") and
    `check --deploy` inherited the variable (async.E001). Closed at the end of its file, the
    loop stops and the variable is restored before any other file runs."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must run the browser test (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk); CI always runs it")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread for as long as it
    # lives; Django would refuse the ORM calls made meanwhile (seeding the demo world, the
    # flush after the test) as "async unsafe". Nothing here is really concurrent.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def demo_world(transactional_db):
    """The live server needs a transactional database, whose flush empties the demo world
    the session seeded; load it again for this test."""
    ensure_demo_world()


@pytest.fixture(scope="session")
def _media_url_for_live_server():
    """Django's live server wraps the site in a media-file handler that cannot parse
    MEDIA_URL = None (the portal serves uploads only through a permission-checking view).
    Give that handler a prefix no page links to, so every request still reaches the views."""
    from django.test import override_settings

    with override_settings(MEDIA_URL="/_live-server-media-not-served/"):
        yield


@pytest.fixture(scope="session")
def live_server(_media_url_for_live_server, live_server):
    return live_server


