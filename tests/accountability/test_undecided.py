"""责任追究落实不到位: a case left undecided past its limit is escalated to the head of the
discipline office, once, and listed on the supervision dashboard."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accountability.models import UndecidedEscalation
from accountability.undecided import due_cases, undecided_cases_escalate
from portal.notifications.models import Notification
from portal.organisation.models import Department
from portal.sweep import claim_batch, sweep
from tests.accountability.conftest import decided
from tests.approvals.test_races_pg import run_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_head(world, settings):
    settings.CASE_DECISION_WORKING_DAYS = 3
    Department.objects.filter(code="DISCIPLINE").update(head=world.discipline)
    return world.discipline


def test_a_case_undecided_past_its_limit_is_escalated_to_the_office_head_once(world, api, travel, opened_case,
                                                                               office_head):
    travel(2026, 11, 2, 10)  # Monday
    case = opened_case()
    travel(2026, 11, 5, 23, 59)  # the end of the third working day after the opening
    assert sweep()["undecided_cases_escalated"] == 0
    travel(2026, 11, 6, 0, 1)
    assert sweep()["undecided_cases_escalated"] == 1
    assert sweep()["undecided_cases_escalated"] == 0
    escalation = UndecidedEscalation.objects.get()
    assert (escalation.case_id, escalation.escalated_to, escalation.status_then) == (case.pk, office_head, "opened")
    assert Notification.objects.filter(user=office_head, event="cases_undecided", ref=case.number).count() == 1
    detail = api(world.discipline).get(f"/api/accountability/cases/{case.pk}/").json()
    assert detail["undecided_escalation"]["escalated_to"] == "discipline"


def test_a_case_under_investigation_counts_as_undecided_and_a_decided_one_never_escalates(
        world, api, travel, opened_case, office_head):
    travel(2026, 11, 2, 10)
    investigating = opened_case(source_ref="TS202611000001")
    assert api(world.discipline).post(
        f"/api/accountability/cases/{investigating.pk}/start-investigation/").status_code == 200
    done = opened_case(source_ref="TS202611000002")
    decided(api, world, done)
    travel(2026, 11, 20, 10)
    sweep()
    assert list(UndecidedEscalation.objects.values_list("case_id", "status_then")) == [
        (investigating.pk, "investigating")]


def test_the_limit_counts_working_days_not_calendar_days(world, travel, opened_case, office_head):
    travel(2026, 9, 30, 10)  # before the National Day holiday
    opened_case()
    travel(2026, 10, 8, 10)  # seven calendar days later: no working day yet after the holiday week
    assert sweep()["undecided_cases_escalated"] == 0


def test_without_an_office_head_every_discipline_officer_is_told(world, travel, opened_case, settings):
    settings.CASE_DECISION_WORKING_DAYS = 1
    travel(2026, 11, 2, 10)
    case = opened_case()
    travel(2026, 11, 4, 10)
    sweep()
    assert UndecidedEscalation.objects.get().escalated_to is None
    assert Notification.objects.filter(user=world.discipline, event="cases_undecided", ref=case.number).exists()


def test_the_dashboard_lists_escalated_cases_until_they_are_decided(world, api, client, travel, opened_case,
                                                                   office_head):
    travel(2026, 11, 2, 10)
    case = opened_case()
    travel(2026, 11, 9, 10)
    sweep()
    client.force_login(world.supervisor)
    page = client.get("/supervision/").content.decode()
    assert f'data-undecided-case="{case.pk}"' in page
    decided(api, world, case)
    assert f'data-undecided-case="{case.pk}"' not in client.get("/supervision/").content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_escalate_each_case_once(world, travel, opened_case, office_head):
    travel(2026, 11, 2, 10)
    for n in range(5):
        opened_case(source_ref=f"TS2026110000{n:02d}")
    travel(2026, 11, 9, 10)
    results = run_together(*[lambda: undecided_cases_escalate(timezone.now(), 2) for _ in range(3)])
    assert all(kind == "ok" for kind, _ in results), results
    sweep()
    assert UndecidedEscalation.objects.count() == 5
    assert Notification.objects.filter(event="cases_undecided").count() >= 1


def test_the_api_lists_escalated_undecided_cases_to_case_workers_only(world, api, travel, opened_case,
                                                                      office_head):
    travel(2026, 11, 2, 10)
    case = opened_case()
    travel(2026, 11, 9, 10)
    sweep()
    body = api(world.supervisor).get("/api/accountability/undecided/").json()
    assert [(r["number"], r["escalated_to"], r["status_then"]) for r in body["results"]] == [
        (case.number, "discipline", "opened")]
    assert api(world.reviewer_market).get("/api/accountability/undecided/").status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_case_another_sweeper_escalated_while_this_one_waited_for_it_is_not_claimed(world, travel, opened_case,
                                                                                     office_head):
    """The race behind a sweep failing on the escalation's unique key under load, made certain:
    sweeper B's claim begins while A holds the case and has written its escalation; B waits for the
    row (a claim that waits rather than skips), and gets it once A commits — the case row itself
    unchanged, so B's claim still sees it as due. ``claim_batch`` asks again under the lock."""
    travel(2026, 11, 2, 10)
    case = opened_case()
    travel(2026, 11, 9, 10)
    now = timezone.now()
    a_holds, b_claimed = threading.Event(), []

    def sweeper_b():
        try:
            a_holds.wait(10)
            with transaction.atomic():
                b_claimed.extend(claim_batch(due_cases(now), "opened_at", 5, skip_locked=False))
        except Exception as error:  # noqa: BLE001 - asserted below
            b_claimed.append(error)
        finally:
            connection.close()

    b = threading.Thread(target=sweeper_b)
    b.start()
    with transaction.atomic():
        [claimed] = claim_batch(due_cases(now), "opened_at", 5)
        UndecidedEscalation.objects.create(case=claimed, escalated_at=now, escalated_to=world.discipline,
                                           status_then=claimed.status)
        a_holds.set()
        with connection.cursor() as cursor:  # until B's claim waits for this transaction's lock
            deadline = time.monotonic() + 20  # pg_locks: read live (pg_stat_activity is kept per transaction)
            while time.monotonic() < deadline:
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0]:
                    break
            else:
                pytest.fail("sweeper B never waited for the case")
    b.join(30)
    assert claimed.pk == case.pk and b_claimed == []  # without the second look: [case]
    assert UndecidedEscalation.objects.filter(case=case).count() == 1
