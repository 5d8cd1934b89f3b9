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


def test_the_progress_query_reads_no_personal_column_and_nothing_later_in_any_state(world, api):
    """Only the columns shown are read (the applicant's name, ID number and phone are not even
    selected), and no column left out is fetched afterwards, whatever the state: pending,
    in review, overdue, suspended, decided."""
    import io

    from approvals.demo import demo_applications_generate
    from approvals.models import Application

    demo_applications_generate(count=40, progress=io.StringIO(), services=["FIRE-002", "HSG-001", "MKT-001", "MKT-002"])
    tracked = Application.objects.exclude(number=None).exclude(tracking_code="")
    in_review = list(tracked.filter(status="in_review").order_by("id")[:2])
    Application.objects.filter(pk=in_review[0].pk).update(due_at="2020-01-02T00:00:00+08:00")
    Application.objects.filter(pk=in_review[1].pk).update(status="suspended", remaining_days_frozen=4)
    by_status = {a.status: a for a in tracked.order_by("id")}
    assert {"in_review", "suspended", "approved", "denied"} <= set(by_status), set(by_status)
    overdue = in_review[0]
    by_status["in_review"] = overdue
    for app in by_status.values():
        with CaptureQueriesContext(connection) as queries:
            answer = api().get(f"/api/track/{app.number}/", {"code": app.tracking_code})
            page = Client().get("/track/", {"number": app.number, "code": app.tracking_code})
        assert answer.status_code == 200 and answer.json()["status"] == app.status
        assert page.status_code == 200 and f'data-status="{app.status}"' in page.content.decode()
        reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and "approvals_" in q["sql"]]
        assert len(reads) == 4, (app.status, reads)
        assert not [sql for sql in reads if "applicant_name" in sql or "id_number" in sql or "applicant_phone" in sql]
        if app == overdue:
            assert 'id="overdue-note"' in page.content.decode()
        if app.status == "suspended":
            assert answer.json()["clock"] == {"running": False, "remaining_working_days": 4}
