"""公开查询 reads what it shows and no more: the application, its item and its stages'
departments, never an official."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.approvals.helpers import accepted
from tests.conftest import APPLICANT

pytestmark = pytest.mark.django_db


@pytest.mark.postgres  # one statement is PostgreSQL's (arrays); SQLite reads the same columns in two
def test_the_progress_query_reads_one_statement_and_no_official(world, api):
    app = accepted(world, api)
    anonymous = api()
    with CaptureQueriesContext(connection) as queries:
        answer = anonymous.get(f"/api/track/{app['number']}/", {"code": app["tracking_code"]}).json()
        page = Client().get("/track/", {"number": app["number"], "code": app["tracking_code"]})
    assert [s["department"] for s in answer["stages"]] == [s["department"] for s in app["stages"]]
    assert page.status_code == 200 and 'data-stage-status="pending"' in page.content.decode()
    reads = [q["sql"] for q in queries if q["sql"].startswith(("SELECT", "EXECUTE")) and "approvals_" in q["sql"]]
    assert len(reads) == 2 and not [sql for sql in reads if "auth_user" in sql]  # one each
    if connection.vendor == "postgresql" and settings.DB_SERVER_PREPARE:  # prepared once a session
        assert all(sql.startswith("EXECUTE portal_pq_") for sql in reads), reads


@pytest.mark.postgres  # one statement is PostgreSQL's (arrays); SQLite reads the same columns in two
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
        reads = [q["sql"] for q in queries if q["sql"].startswith(("SELECT", "EXECUTE")) and "approvals_" in q["sql"]]
        assert len(reads) == 2, (app.status, reads)
        assert not [sql for sql in reads if "applicant_name" in sql or "id_number" in sql or "applicant_phone" in sql]
        if app == overdue:
            assert 'id="overdue-note"' in page.content.decode()
        if app.status == "suspended":
            assert answer.json()["clock"] == {"running": False, "remaining_working_days": 4}


@pytest.mark.parametrize("vendor", ["as it is", "sqlite"])
def test_the_progress_query_reads_what_the_models_hold(world, api, vendor, monkeypatch):
    """The one statement's application, item and stages are the rows' values: every tracked
    field equal to a fresh read, the stages in id order with their departments, nothing
    personal loaded, and what was not tracked left deferred (read only if asked for). The same
    for the two statements of other databases (SQLite, the embedded default: no arrays, no
    LATERAL), run here on whatever database the suite has."""
    import io

    from django.db import connection

    from approvals.demo import demo_applications_generate
    from approvals.models import Application
    from approvals.selectors import TRACKED_FIELDS, tracked_application
    from portal.catalogue.models import ServiceItem
    from portal.organisation.models import Department

    demo_applications_generate(count=30, progress=io.StringIO(), services=["FIRE-002", "HSG-001", "MKT-002"])
    tracked = Application.objects.exclude(number=None).order_by("id")
    joint = next(a for a in tracked if a.stages.count() > 1)
    created = api(world.citizen).post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT},
                                      format="json")
    without_stages = Application.objects.get(pk=created.json()["id"])  # a draft
    if vendor == "sqlite":
        # The portable statements, for the reads only: the writes above must keep using the
        # sequence (reserve_ids on "sqlite" numbers after the highest id, which the sequence of
        # a PostgreSQL run does not follow).
        monkeypatch.setattr(connection, "vendor", "sqlite")
    for app in (joint, without_stages):
        read = tracked_application(app.number)
        fresh = Application.objects.select_related("service").get(pk=app.pk)
        for name in TRACKED_FIELDS[Application]:
            assert getattr(read, name) == getattr(fresh, name), name
        for name in TRACKED_FIELDS[ServiceItem]:
            assert getattr(read.service, name) == getattr(fresh.service, name), name
        stages = list(fresh.stages.select_related("department").order_by("id"))
        assert [s.pk for s in read.public_stages] == [s.pk for s in stages]
        for ours, theirs in zip(read.public_stages, stages):
            assert (ours.status, ours.due_at, ours.application_id) == (theirs.status, theirs.due_at, app.pk)
            for name in TRACKED_FIELDS[Department]:
                assert getattr(ours.department, name) == getattr(theirs.department, name), name
        assert {"applicant_name", "applicant_id_number", "applicant_phone"} <= read.get_deferred_fields()
        assert read.applicant_name == fresh.applicant_name  # a deferred field is still the row's
    assert tracked_application("NO-SUCH-NUMBER") is None
    assert Department.objects.exists()


def test_the_progress_query_builds_the_instances_model_from_db_builds(world, api):
    """The rows become instances without Model.from_db's walk of every field: the same values
    in the same attributes (what was not read left deferred), saved rows of the database read;
    and with a pre_init or post_init receiver for the models, from_db itself makes them."""
    from django.db.models.signals import post_init

    from approvals.models import Application, Stage
    from approvals.selectors import tracked_application
    from portal.catalogue.models import ServiceItem
    from portal.organisation.models import Department

    app = accepted(world, api)
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(sender)

    def parts(application):
        return [application, application.service,
                *[obj for stage in application.public_stages for obj in (stage, stage.department)]]

    def shape(obj):
        values = {k: v for k, v in vars(obj).items() if k != "_state"}
        return type(obj), values, obj._state.adding, obj._state.db, obj.get_deferred_fields()

    ours = tracked_application(app["number"])
    assert not seen and len(ours.public_stages) >= 1
    models = (Application, ServiceItem, Stage, Department)
    for model in models:
        post_init.connect(receiver, sender=model)
    try:
        theirs = tracked_application(app["number"])
    finally:
        for model in models:
            post_init.disconnect(receiver, sender=model)
    assert set(seen) == set(models)
    assert [shape(obj) for obj in parts(ours)] == [shape(obj) for obj in parts(theirs)]
    assert ours.public_stages[0].application is ours and ours.service.pk == ours.service_id
