"""The visibility check of the action endpoints (``permissions.application_visible_check``) says
what ``applications_visible_to`` says, for the window and the overseers, whose check is a
statement prepared per shape of their rule (portal.prepared)."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals import permissions
from approvals.models import Application
from portal.errors import NotFound
from projects.models import PreReview
from tests.approvals.test_intake_api import draft
from tests.conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db

OVERSEERS = ["window", "window_town", "proxy_village", "supervisor", "supervisor_town", "discipline", "admin"]


def _applications(world, api) -> list[int]:
    """Drafts online and at the window (a township's too), one with a pre-review, submitted ones."""
    citizen = api(world.citizen)
    online, reviewed, submitted = draft(citizen), draft(citizen), draft(citizen)
    for code in ("FORM", "LICENCE", "LAYOUT", "SAFETY"):
        upload(citizen, submitted["id"], code)
    assert citizen.post(f"/api/applications/{submitted['id']}/submit/").status_code == 200
    PreReview.objects.create(application_id=reviewed["id"], requested_by=world.citizen, question="?",
                             requested_at=timezone.now())
    walk_in = draft(api(world.window))
    town = api(world.window_town).post("/api/applications/", {"service": "MKT-001", "applicant": APPLICANT},
                                       format="json").json()
    return [online["id"], reviewed["id"], submitted["id"], walk_in["id"], town["id"],
            *Application.objects.order_by("id").values_list("id", flat=True)[:20]]


def _sees(user, pk) -> bool:
    try:
        permissions.application_visible_check(user, pk)
    except NotFound:
        return False
    return True


@pytest.mark.parametrize("username", OVERSEERS)
def test_the_check_of_the_window_and_the_overseers_agrees_with_their_list(world, api, username):
    ids = _applications(world, api)
    seen = set()
    for pk in ids + [max(ids) + 1000]:
        user = User.objects.get(username=username)  # fresh: nothing read of him yet
        expected = permissions.applications_visible_to(user).filter(pk=pk).exists()
        user = User.objects.get(username=username)
        assert _sees(user, pk) == expected, (username, pk)
        seen.add(expected)
    if username in ("window", "window_town", "supervisor", "discipline"):
        assert seen == {True, False}


def test_the_windows_check_is_one_prepared_statement(world, api):
    app = draft(api(world.citizen))
    user = User.objects.get(username="window")
    permissions.centers_in_reach(user), permissions.sees_everything(user)  # as the request's start has them
    with CaptureQueriesContext(connection) as queries:
        assert not _sees(user, app["id"])  # an online draft is the applicant's alone
    [check] = queries.captured_queries
    assert '"approvals_application"' in check["sql"]
    if connection.vendor == "postgresql":
        assert check["sql"].startswith("EXECUTE ")


def test_an_id_beyond_the_column_is_not_found_without_asking_the_database(world, api):
    from django.db import transaction

    user = User.objects.get(username="window")
    with transaction.atomic():
        for pk in (10**20, -(10**20), 2**63):
            assert not _sees(user, pk)
        assert User.objects.filter(username="window").exists()  # the transaction is still usable
    assert api(world.window).post(f"/api/applications/{10**20}/accept/").status_code == 404
