"""Races on PostgreSQL (SQLite ignores row locks): sweeps running side by side remind,
escalate and default-rate exactly once, and a rating given twice at once is stored once."""

import threading

import pytest
from django.db import connection

from portal.sweep import sweep
from complaints import evaluations
from complaints.models import Evaluation
from portal.errors import StateConflict
from portal.notifications.models import Notification

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(target, n=4):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # noqa: BLE001 — collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_parallel_sweeps_remind_escalate_and_default_rate_once(world, file_complaint, decided_application, travel):
    travel(2026, 10, 12, 9)
    for _ in range(3):
        file_complaint()
    decided = [decided_application() for _ in range(3)]
    travel(2026, 10, 21, 0, 0, 1)
    results, errors = run_together(lambda: sweep(batch=1).as_dict())
    assert not errors
    assert sum(r["complaint_reminders"] for r in results) == 3
    assert sum(r["complaint_escalations"] for r in results) == 3
    assert sum(r["default_ratings"] for r in results) == 3
    assert Notification.objects.filter(event="complaint_reminder").count() == 3  # one officer, once each
    assert Notification.objects.filter(event="complaint_escalated").count() == 3
    assert Evaluation.objects.filter(application_id__in=[a["id"] for a in decided]).count() == 3


def test_a_rating_sent_twice_at_once_is_stored_once(world, decided_application):
    app = decided_application()
    results, errors = run_together(
        lambda: evaluations.evaluation_submit(actor=world.citizen, application_id=app["id"], score=4).pk)
    assert len(results) == 1
    assert len(errors) == 3 and all(isinstance(e, StateConflict) for e in errors)
    assert Evaluation.objects.filter(application_id=app["id"]).count() == 1
