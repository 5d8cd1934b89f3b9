"""Issue 9 item 2: fifty whole flows for the SAME service item at the same instant, through the
REST API as in production (each thread its own connection): create, upload the four
materials, submit, accept, claim, approve. No deadlock, no server error, nothing waits for a
row every other request needs (the item's catalogue row, an audit chain head). On PostgreSQL
(SQLite serialises every writer; row locks prove nothing there)."""

import threading

import pytest
from django.db import connection, transaction

from approvals.locks import application_lock
from approvals.models import Application
from approvals.services import ApplicantData, application_create
from portal.audit.models import AuditEvent
from portal.audit.services import ChainReport, audit_log, audit_seal, audit_verify
from tests.approvals.helpers import MATERIALS
from tests.conftest import APPLICANT, upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FLOWS = 50


def test_fifty_simultaneous_flows_for_one_item_never_deadlock_or_fail(world, api):
    # A client per flow (a test client keeps cookies: not to be shared between threads).
    clients = [(api(world.citizen if i % 2 else world.citizen2), api(world.window), api(world.reviewer_market))
               for i in range(FLOWS)]
    barrier = threading.Barrier(FLOWS)
    answers: list[list[tuple[str, int]]] = [[] for _ in range(FLOWS)]
    errors: list[BaseException] = []

    def step(index, name, response, expected):
        answers[index].append((name, response.status_code))
        assert response.status_code == expected, (name, response.status_code, response.content[:300])
        return response.json()

    def flow(index):
        citizen, clerk, reviewer = clients[index]
        try:
            barrier.wait()
            app = step(index, "create", citizen.post(
                "/api/applications/", {"service": "MKT-002", "applicant": APPLICANT}, format="json"), 201)
            for code in MATERIALS["MKT-002"]:
                step(index, "upload", upload(citizen, app["id"], code), 201)
            step(index, "submit", citizen.post(f"/api/applications/{app['id']}/submit/"), 200)
            app = step(index, "accept", clerk.post(f"/api/applications/{app['id']}/accept/"), 200)
            stage = next(s["id"] for s in app["stages"] if s["department"] == "MARKET")
            step(index, "claim", reviewer.post(f"/api/stages/{stage}/claim/"), 200)
            step(index, "approve", reviewer.post(f"/api/stages/{stage}/approve/", {"opinion": "同意"},
                                                 format="json"), 200)
        except BaseException as error:  # noqa: BLE001 - every failure is reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=flow, args=(i,)) for i in range(FLOWS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    deadlocks = [e for e in errors if "deadlock" in str(e).lower()]
    server_errors = [(i, name, code) for i, steps in enumerate(answers) for name, code in steps if code >= 500]
    assert not deadlocks and not server_errors and not errors, (deadlocks, server_errors, errors[:3])
    assert all(len(steps) == 9 for steps in answers)
    assert Application.objects.filter(status="approved").count() == FLOWS
    assert AuditEvent.objects.filter(action="approve").count() == FLOWS
    audit_seal()  # what a busy sealer left to the schedule
    assert audit_verify() == ChainReport(checked=AuditEvent.objects.count(), first_bad_id=None)


def test_a_decision_in_progress_holds_no_row_another_application_needs(world):
    """While one transaction holds an application of MKT-002 (and has written its audit
    entry), another citizen creates, locks and logs a different application of the same
    item without waiting (lock_timeout 2 s): neither the catalogue item's row nor an audit
    chain head is held by the first."""
    applicant = ApplicantData(APPLICANT["name"], APPLICANT["id_number"], APPLICANT["phone"])
    first = application_create(actor=world.citizen, service_code="MKT-002", applicant=applicant)
    holding, release = threading.Event(), threading.Event()
    errors = []

    def hold():
        try:
            with transaction.atomic():
                application = application_lock(first.pk)
                audit_log(actor=world.window, obj=application, action="note")
                holding.set()
                assert release.wait(60)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            holding.set()
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(60)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            second = application_create(actor=world.citizen2, service_code="MKT-002", applicant=applicant)
            audit_log(actor=world.citizen2, obj=application_lock(second.pk), action="note")
    finally:
        release.set()
        holder.join(60)
    assert not errors, errors
