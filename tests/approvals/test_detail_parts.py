"""The application's detail reads only the related lists that have rows (one query says which,
approvals.selectors.detail_parts): its answer is the one a read of every list gives."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals import selectors
from approvals.api import application_detail
from approvals.demo import demo_applications_generate
from approvals.models import Application
from tests.approvals.helpers import accepted
from tests.conftest import APPLICANT

pytestmark = pytest.mark.django_db


def _full_read(application, user, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(selectors, "detail_parts", lambda application_id: frozenset(selectors.DETAIL_PARTS))
        return application_detail(application, user)


def test_every_application_answers_as_a_read_of_every_list(world, api, monkeypatch):
    demo_applications_generate(count=40, progress=io.StringIO())
    accepted(world, api)  # a receipt, stages, files and a trail
    notice = api(world.citizen).post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT},
                                     format="json").json()
    assert notice["materials"] == [] and notice["events"][0]["action"] == "create"
    for application in Application.objects.select_related("service", "service__department"):
        for user in (world.supervisor, world.window):
            assert application_detail(application, user) == _full_read(application, user, monkeypatch)


def test_a_parts_probe_names_exactly_the_lists_with_rows(world, api):
    app = accepted(world, api)
    parts = selectors.detail_parts(app["id"])
    assert {"stages", "files", "documents"} <= parts
    assert not parts & {"referral", "pre_reviews", "intermediary_stages", "inquiry", "correction_notices"}


def test_a_draft_s_detail_is_two_queries(world, api):
    draft = api(world.citizen).post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT},
                                    format="json").json()
    application = Application.objects.select_related("service", "service__department").get(pk=draft["id"])
    with CaptureQueriesContext(connection) as queries:
        application_detail(application, world.citizen)
    assert len(queries) == 2  # which lists have rows; the trail
