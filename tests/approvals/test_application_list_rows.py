"""The applications list (GET /api/applications/) reads only the columns its rows show (issue 9
item 9): every row is what ``application_summary`` makes of the application read whole, the same
fields in the same order (SPEC §6), and no left-out column is fetched afterwards row by row."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.api import application_summary
from approvals.demo import demo_applications_generate
from approvals.models import Application

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("params", [{"limit": 7}, {"limit": 50, "status": "submitted,in_review"},
                                    {"limit": 9, "department": "HOUSING"}, {"limit": 5, "alert": "none"}])
def test_every_row_of_the_list_is_the_application_as_application_summary_shows_it(world, api, params):
    demo_applications_generate(count=40, progress=io.StringIO(), services=["FIRE-002", "HSG-001", "MKT-001", "MKT-002"])
    clerk = api(world.window)
    rows, response = [], clerk.get("/api/applications/", params)
    statements = []
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            break
        with CaptureQueriesContext(connection) as queries:
            response = clerk.get(body["next"])
        statements.append(len(queries))
    assert len(rows) >= 5 and len(set(statements)) <= 1  # as many statements on every page: none per row
    assert len(statements) == 0 or statements[0] <= 6
    for row in rows:
        whole = application_summary(Application.objects.select_related("service").get(pk=row["id"]))
        assert list(row.items()) == list(whole.items())  # the same fields, values and order


def test_a_citizens_rows_are_his_applications_as_application_summary_shows_them(world, api):
    demo_applications_generate(count=10, progress=io.StringIO(), services=["MKT-002"])
    mine = Application.objects.filter(applicant=world.citizen).order_by("-id")
    assert mine.exists()
    rows = api(world.citizen).get("/api/applications/", {"limit": 50}).json()["results"]
    assert [r["id"] for r in rows] == list(mine.values_list("id", flat=True))[:50]
    assert rows == [application_summary(a) for a in mine[:50]]
