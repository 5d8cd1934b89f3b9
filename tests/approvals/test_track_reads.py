"""公开查询 reads what it shows and no more: the application, its item and its stages'
departments, never an official."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.approvals.helpers import accepted

pytestmark = pytest.mark.django_db


def test_the_progress_query_reads_two_statements_and_no_official(world, api):
    app = accepted(world, api)
    anonymous = api()
    with CaptureQueriesContext(connection) as queries:
        answer = anonymous.get(f"/api/track/{app['number']}/", {"code": app["tracking_code"]}).json()
        page = Client().get("/track/", {"number": app["number"], "code": app["tracking_code"]})
    assert [s["department"] for s in answer["stages"]] == [s["department"] for s in app["stages"]]
    assert page.status_code == 200 and 'data-stage-status="pending"' in page.content.decode()
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and "approvals_" in q["sql"]]
    assert len(reads) == 4 and not [sql for sql in reads if "auth_user" in sql]
