"""The daily rollup: closed days once, a day re-rolled when history is imported into it,
and struck ratings dropping out of recent days."""

import pytest

from portal.sweep import sweep
from supervision.models import DailyStat, RollupState
from supervision.rollup import rollup_rebuild, rollup_step
from tests.supervision.conftest import PERIOD, at

pytestmark = pytest.mark.django_db


def market(api, world, params=PERIOD):
    rows = api(world.supervisor).get("/api/stats/departments/", params).json()["results"]
    return next(r for r in rows if r["department"] == "MARKET")


def test_the_sweep_rolls_up_closed_days_once(world, november, travel):
    travel(2026, 11, 20, 0, 30)  # 11-19 ended half an hour ago: not closed yet
    report = sweep()
    assert RollupState.objects.get().rolled_through.isoformat() == "2026-11-18"
    assert report.supervision_days_rolled_up > 0
    assert sweep().supervision_days_rolled_up == 0
    travel(2026, 11, 20, 1, 1)
    assert sweep().supervision_days_rolled_up == 32  # 11-19 and the 31 days before it again
    assert RollupState.objects.get().rolled_through.isoformat() == "2026-11-19"


def test_rolled_rows_hold_each_official_s_day(world, november, travel):
    travel(2026, 11, 20, 10)
    rollup_step(at(11, 20), batch=500)
    row = DailyStat.objects.get(day="2026-11-18", official=world.reviewer_market)
    assert (row.decided, row.on_time, row.working_days, row.committed_days) == (1, 0, 10, 10)
    unclaimed = DailyStat.objects.get(day="2026-11-17", official=None, department__code="MARKET")
    assert (unclaimed.deemed, unclaimed.red_alerts) == (1, 0)


def test_history_imported_into_rolled_days_is_rolled_again(world, api, november, build, travel):
    travel(2026, 11, 20, 10)
    rollup_step(at(11, 20), batch=500)
    build.stage(started=at(11, 2, 9), due=at(11, 16, 23), status="approved", decided=at(11, 6),
                assignee=world.reviewer_market)
    assert market(api, world)["decided"] == 5  # the rollup does not know yet
    rollup_step(at(11, 20, 10, 5), batch=500)
    assert market(api, world)["decided"] == 6


def test_a_rating_struck_later_drops_out_when_the_next_day_closes(world, api, november, travel):
    from complaints.models import Evaluation

    travel(2026, 11, 20, 10)
    rollup_step(at(11, 20), batch=500)
    Evaluation.objects.filter(score=2).update(struck=True)
    travel(2026, 11, 21, 10)
    rollup_step(at(11, 21), batch=500)
    figures = market(api, world)
    assert (figures["evaluations"], figures["satisfaction_rate"]) == (2, 1.0)


def test_a_rebuild_gives_the_same_figures(world, api, november, travel):
    travel(2026, 11, 20, 10)
    before = market(api, world)
    rollup_rebuild(at(11, 20))
    assert market(api, world) == before
    assert RollupState.objects.get().rolled_through.isoformat() == "2026-11-19"


def test_without_anything_to_count_the_rollup_only_moves_its_mark(world, travel):
    travel(2026, 11, 20, 10)
    assert rollup_step(at(11, 20), batch=500) == 0
    assert not DailyStat.objects.exists()
    assert RollupState.objects.get().rolled_through.isoformat() == "2026-11-19"
