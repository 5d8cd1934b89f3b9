"""The statistics read everything in one statement on PostgreSQL (supervision.period_facts): it
counts what the ORM queries of supervision.facts count, one kind of fact at a time, over a
month with every kind of fact in it, for every scope, with and without an official, whatever
the rollup holds. The departments and targets kept beside the catalogue follow every change
at once."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountability.models import LADDER, AccountabilityCase, Sanction
from complaints.models import Complaint, Evaluation
from portal.catalogue.models import ServiceItem, StageRequirement
from portal.organisation.models import Department, ServiceCommitment
from supervision.period_facts import _one_statement, _queries
from supervision.rollup import rollup_step
from tests.supervision.conftest import PERIOD, at, end_of

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="the one statement is PostgreSQL's")]

FIRST, LAST = date(2026, 11, 1), date(2026, 11, 20)


def _case(number, *, subject, department, opened, status="opened", sanction="", decided=None):
    return AccountabilityCase.objects.create(
        number=number, subject=subject, subject_role="reviewer", department=department, source="manual",
        source_ref=number, status=status, opened_at=opened, sanction=sanction, decided_at=decided)


@pytest.fixture
def varied(world, build, november, travel):
    """The hand-computed month (conftest) and more: cases opened and sanctioned at every step of
    the ladder, quashed to no fault, outside the period and without a department; complaints
    naming a commitment, partly substantiated and without a department; alerts without an
    official; HOUSING's ratings and an open overdue stage nobody claimed; stages decided at the
    instant they fell due; and the rollup of the
    days up to 11-19, so that the last day is read live."""
    market, housing = Department.objects.get(code="MARKET"), Department.objects.get(code="HOUSING")
    reviewer, other = world.reviewer_market, world.reviewer_housing
    for i, kind in enumerate(LADDER):
        _case(f"K{i}", subject=reviewer if i % 2 else other, department=market if i % 3 else housing,
              opened=at(10, 20 + i), status="decided", sanction=kind, decided=at(11, 3 + i))
    _case("KN", subject=reviewer, department=market, opened=at(11, 4), status="final",
          sanction=Sanction.NO_FAULT, decided=at(11, 9))
    _case("KO", subject=reviewer, department=market, opened=at(11, 6))
    _case("KX", subject=other, department=None, opened=at(11, 7), status="decided", sanction=LADDER[0],
          decided=at(11, 8))
    _case("KL", subject=reviewer, department=market, opened=at(9, 1), status="decided", sanction=LADDER[-1],
          decided=at(10, 1))
    commitment = ServiceCommitment.objects.filter(published=True).first()
    for number, finding, department, staff, with_commitment, concluded in (
            ("TV1", "substantiated", market, reviewer, True, at(11, 6)),
            ("TV2", "partly", housing, other, False, at(11, 20, 9)),
            ("TV3", "substantiated", None, reviewer, True, at(11, 7)),
            ("TV4", "partly", housing, None, False, at(11, 8))):
        Complaint.objects.create(number=number, category="delay", description="拖延", staff=staff,
                                 department=department, filed_at=concluded, accept_due_at=concluded, finding=finding,
                                 concluded_at=concluded, commitment=commitment if with_commitment else None)
    build.alert(november["S7"], "yellow", at(11, 20, 8))
    build.alert(november["H1"], "red", at(11, 11))
    for score, day in ((4, 5), (1, 6), (5, 20)):
        application = build.application("HSG-001", accepted=at(11, 2))
        Evaluation.objects.create(application=application, service=application.service, department=housing,
                                  score=score, source="citizen", rated_at=at(11, day, 9))
    build.stage(department="HOUSING", started=at(11, 2, 9), due=end_of(11, 6), status="pending")
    build.stage(started=at(11, 18, 9), due=end_of(11, 25), status="approved", decided=at(11, 20, 9),
                assignee=reviewer, suspended_days=1)
    for day in (9, 20):  # decided at the very instant it fell due: on time
        build.stage(started=at(11, 3, 9), due=at(11, day, 9, 30), status="denied", decided=at(11, day, 9, 30),
                    assignee=reviewer)
    rollup_step(at(11, 20), batch=500)
    travel(2026, 11, 20, 10)
    return world


def _scopes():
    market, housing = Department.objects.get(code="MARKET"), Department.objects.get(code="HOUSING")
    return [None, market.pk, housing.pk, (market.pk, housing.pk), ()]


def _both(world, **kwargs):
    now = at(11, 20, 10)
    args = (FIRST, LAST, kwargs["rolled_last"], kwargs["live_first"], now, kwargs["department_id"],
            kwargs["official_id"])
    return _one_statement(*args), _queries(*args)


@pytest.mark.parametrize("rolled_last, live_first", [
    (None, FIRST),  # nothing rolled up: every day live
    (date(2026, 11, 10), date(2026, 11, 11)),
    (date(2026, 11, 19), LAST),  # as the rollup stands
    (LAST, LAST + timedelta(days=1)),  # nothing live
])
def test_the_one_statement_counts_what_the_queries_count(varied, rolled_last, live_first):
    for department_id in _scopes():
        for official_id in (None, varied.reviewer_market.pk, varied.reviewer_housing.pk):
            merged, queries = _both(varied, rolled_last=rolled_last, live_first=live_first,
                                    department_id=department_id, official_id=official_id)
            where = (rolled_last, department_id, official_id)
            assert merged.rolled == queries.rolled, where
            assert dict(merged.live) == dict(queries.live), where
            assert merged.complaints == queries.complaints, where
            assert merged.overdue == queries.overdue, where
            assert merged.cases == queries.cases, where


def test_the_statement_is_prepared_once_per_session_and_answers_as_sent_plain(varied, settings):
    args = (FIRST, LAST, date(2026, 11, 10), date(2026, 11, 11), at(11, 20, 10), None, None)
    with CaptureQueriesContext(connection) as queries:
        prepared = _one_statement(*args)
    assert [q["sql"] for q in queries.captured_queries if "json_agg" in q["sql"]][0].startswith("EXECUTE portal_pq_")
    settings.DB_SERVER_PREPARE = False
    assert _one_statement(*args) == prepared


def test_the_comparison_is_not_of_empty_answers(varied):
    merged, _queries_ = _both(varied, rolled_last=date(2026, 11, 10), live_first=date(2026, 11, 11),
                              department_id=None, official_id=None)
    assert merged.rolled and merged.complaints and merged.overdue
    live = {(day, department): counters for (day, department, _official), counters in merged.live.items()}
    assert any(c["decided"] and c["working_days"] for c in live.values())
    assert any(c["yellow_alerts"] for c in live.values()) and any(c["red_alerts"] for c in live.values())
    assert any(c["evaluations"] for c in live.values())
    kinds = {kind for counts in merged.cases.values() for kind in counts["by_sanction"]}
    assert kinds == set(LADDER)
    assert sum(c["breaches"] for c in merged.complaints.values()) == 2


def test_the_statistics_read_the_rollup_mark_and_one_statement(varied, api, django_assert_max_num_queries):
    client = api(varied.supervisor)
    client.get("/api/stats/departments/", PERIOD)  # the first reads the departments and targets
    with django_assert_max_num_queries(5):  # token, groups, reach; rollup mark, the statement
        assert client.get("/api/stats/departments/", PERIOD).status_code == 200


def test_targets_set_show_in_the_next_answer(world, api, november, travel):
    travel(2026, 11, 20, 10)
    client = api(world.supervisor)
    market = next(r for r in client.get("/api/stats/departments/", PERIOD).json()["results"]
                  if r["department"] == "MARKET")
    assert market["targets"]["onsite_rate"] == 0.9
    assert client.put("/api/stats/targets/CITY/", {"onsite_rate": "0.150"}, format="json").status_code == 200
    market = next(r for r in client.get("/api/stats/departments/", PERIOD).json()["results"]
                  if r["department"] == "MARKET")
    assert market["targets"]["onsite_rate"] == 0.15 and "onsite_rate" not in market["below_target"]


def test_a_department_given_a_stage_shows_in_the_next_answer(world, api, november, travel):
    travel(2026, 11, 20, 10)
    client = api(world.supervisor)
    served = {r["department"] for r in client.get("/api/stats/departments/", PERIOD).json()["results"]}
    market = Department.objects.get(code="MARKET")
    new = Department.objects.create(code="WATER", name="水务局", center=market.center)
    assert "WATER" not in served
    StageRequirement.objects.create(item=ServiceItem.objects.get(code="MKT-002"), department=new, days=5, order=9)
    served = {r["department"] for r in client.get("/api/stats/departments/", PERIOD).json()["results"]}
    assert "WATER" in served
