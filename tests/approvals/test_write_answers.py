"""The writes of the load mix answer with the application as committed, and write only what
they changed (issue 9 item 9: the per-call cost of the writes)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from approvals import services
from approvals.locks import application_lock, application_save
from approvals.models import Application
from tests.approvals.test_intake_api import MKT2, complete_draft, draft, notice
from tests.conftest import upload

pytestmark = pytest.mark.django_db


def _same_as_read_again(client, response):
    assert response.status_code == 200, response.json()
    again = client.get(f"/api/applications/{response.json()['id']}/")
    assert again.status_code == 200
    assert response.json() == again.json()
    return response.json()


def test_every_action_answers_with_the_application_as_it_is_read_afterwards(world, api):
    """The answer is built from the service's own instance (not read again): it must equal a
    fresh read field for field, whatever the action changed."""
    citizen, clerk = api(world.citizen), api(world.window)
    app = complete_draft(citizen)
    assert _same_as_read_again(citizen, citizen.post(f"/api/applications/{app['id']}/submit/"))["status"] == "submitted"
    assert notice(clerk, app["id"], ["LICENCE"]).status_code == 200
    upload(citizen, app["id"], "LICENCE")
    assert _same_as_read_again(citizen, citizen.post(f"/api/applications/{app['id']}/resubmit/"))["status"] == "submitted"
    accepted = _same_as_read_again(clerk, clerk.post(f"/api/applications/{app['id']}/accept/"))
    assert accepted["status"] == "in_review" and accepted["stages"] and accepted["documents"]
    withdrawn = _same_as_read_again(citizen, citizen.post(f"/api/applications/{app['id']}/withdraw/"))
    assert withdrawn["status"] == "withdrawn" and {s["status"] for s in withdrawn["stages"]} == {"cancelled"}

    refused = complete_draft(citizen)
    citizen.post(f"/api/applications/{refused['id']}/submit/")
    body = _same_as_read_again(clerk, clerk.post(f"/api/applications/{refused['id']}/refuse/", {
        "reason": "不属于本机关职权", "legal_basis": "《行政许可法》第三十二条"}, format="json"))
    assert body["status"] == "not_accepted" and body["refusal"]["reason"] == "不属于本机关职权"

    walk_in = draft(clerk)
    for code in MKT2:
        upload(clerk, walk_in["id"], code)
    body = _same_as_read_again(clerk, clerk.post(f"/api/applications/{walk_in['id']}/submit/"))
    assert body["spot_intake"]["due_at"] and body["intake_center"]


def _application_updates(queries):
    table = Application._meta.db_table
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith(f'UPDATE "{table}"')]


def test_submit_and_accept_write_only_the_columns_they_change(world, api):
    citizen = api(world.citizen)
    app = complete_draft(citizen)
    with CaptureQueriesContext(connection) as queries:
        services.application_submit(actor=world.citizen, application_id=app["id"])
    [update] = _application_updates(queries)
    written = update.split(" SET ")[1].split(" WHERE ")[0]
    assert sorted(c.split(" = ")[0].strip('"') for c in written.split(", ")) == \
        ["intake_due_at", "status", "submitted_at"]
    with CaptureQueriesContext(connection) as queries:
        accepted = services.application_accept(actor=world.window, application_id=app["id"])
    [update] = _application_updates(queries)
    assert '"number"' not in update and '"applicant_name"' not in update and '"status"' in update
    stored = Application.objects.get(pk=app["id"])
    for field in Application._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(accepted, field.attname), field.name


def test_a_column_a_service_changes_is_written_without_being_named(world, api):
    """application_save compares with what the lock read: any column changed is written, and
    a second save in the same transaction writes only what changed after the first."""
    app = draft(api(world.citizen))
    with transaction.atomic():
        application = application_lock(app["id"])
        application.applicant_phone = "13900139000"
        application_save(application)
        application.applicant_email = "chen@example.cn"
        with CaptureQueriesContext(connection) as queries:
            application_save(application)
        [update] = _application_updates(queries)
        assert '"applicant_email"' in update and '"applicant_phone"' not in update
        with CaptureQueriesContext(connection) as queries:
            application_save(application)  # nothing changed: nothing written
        assert _application_updates(queries) == []
    stored = Application.objects.get(pk=app["id"])
    assert (stored.applicant_phone, stored.applicant_email) == ("13900139000", "chen@example.cn")
