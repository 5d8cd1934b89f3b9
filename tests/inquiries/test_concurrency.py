"""Races on PostgreSQL (SQLite ignores row locks): two officials claim the same online
question at once; the deadline sweep and a human answer meet on the same row."""

import threading

import pytest
from django.db import close_old_connections

from portal.sweep import sweep
from portal.errors import StateConflict
from inquiries import services
from inquiries.models import Inquiry, InquiryAlertRecord

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _together(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except StateConflict as error:
            outcomes.append(error.code)
        except Exception as error:  # noqa: BLE001 - a crash must show in the outcome
            outcomes.append(repr(error))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_two_clerks_claiming_at_once_one_owns_and_the_other_gets_409(world):
    inquiry = services.inquiry_create(actor=world.citizen, data=services.InquiryData(question="请问？"))
    outcomes = _together(lambda: services.inquiry_claim(actor=world.window, inquiry_id=inquiry.pk),
                         lambda: services.inquiry_claim(actor=world.window_b, inquiry_id=inquiry.pk))
    assert outcomes == ["already_claimed", "ok"]
    assert Inquiry.objects.get(pk=inquiry.pk).owner in (world.window, world.window_b)


def test_concurrent_sweeps_raise_each_alert_once(world, travel):
    travel(2026, 11, 10, 10)
    for _ in range(5):
        services.inquiry_create(actor=world.window, data=services.InquiryData(question="请问？", citizen_name="陈民"))
    travel(2026, 11, 12, 0, 0, 1)
    _together(sweep, sweep, sweep)
    assert InquiryAlertRecord.objects.filter(level="red").count() == 5
