"""Repeat cases within 12 months suggest the next step of the sanction ladder (SPEC §4)."""

from datetime import datetime

import pytest

from accountability.models import AccountabilityCase
from accountability.selectors import next_step, twelve_months_before
from tests.accountability.conftest import decided
from tests.conftest import SHANGHAI

pytestmark = pytest.mark.django_db


def detail(api, world, case):
    return api(world.discipline).get(f"/api/accountability/cases/{case.pk}/").json()


def test_a_first_case_suggests_the_first_step(world, api, opened_case):
    body = detail(api, world, opened_case())
    assert body["repeat_cases"] == []
    assert body["suggested_sanction"] == "efficiency_warning"


def test_a_repeat_case_suggests_one_step_above_the_heaviest_earlier_sanction(world, api, opened_case, travel):
    travel(2026, 3, 2, 10)
    first = opened_case(source_ref="TS1")
    decided(api, world, first, sanction="admonishment")
    travel(2026, 6, 1, 10)
    second = opened_case(source_ref="TS2")
    decided(api, world, second, sanction="efficiency_warning")
    travel(2026, 11, 20, 10)
    third = opened_case(source_ref="TS3")
    body = detail(api, world, third)
    assert [r["number"] for r in body["repeat_cases"]] == [second.number, first.number]
    assert body["suggested_sanction"] == "circulated_criticism"


def test_cases_older_than_twelve_months_do_not_count(world, api, opened_case, travel):
    travel(2025, 11, 19, 10)
    old = opened_case(source_ref="TS-OLD")
    decided(api, world, old, sanction="removal_from_post")
    travel(2026, 11, 20, 10)
    body = detail(api, world, opened_case(source_ref="TS-NEW"))
    assert body["repeat_cases"] == []
    assert body["suggested_sanction"] == "efficiency_warning"


def test_a_case_exactly_twelve_months_earlier_still_counts(world, api, opened_case, travel):
    travel(2025, 11, 20, 10)
    decided(api, world, opened_case(source_ref="TS-A"), sanction="efficiency_warning")
    travel(2026, 11, 20, 10)
    body = detail(api, world, opened_case(source_ref="TS-B"))
    assert len(body["repeat_cases"]) == 1 and body["suggested_sanction"] == "admonishment"


def test_no_fault_and_undecided_earlier_cases_are_shown_but_do_not_climb_the_ladder(world, api, opened_case,
                                                                                      travel):
    travel(2026, 5, 4, 10)
    decided(api, world, opened_case(source_ref="TS-NF"), sanction="no_fault")
    opened_case(source_ref="TS-OPEN")
    travel(2026, 11, 20, 10)
    body = detail(api, world, opened_case(source_ref="TS-NOW"))
    assert len(body["repeat_cases"]) == 2
    assert body["suggested_sanction"] == "efficiency_warning"


def test_a_sanction_quashed_on_appeal_does_not_climb_the_ladder(world, api, opened_case, travel):
    travel(2026, 5, 4, 10)
    earlier = opened_case(source_ref="TS-Q")
    decided(api, world, earlier, sanction="circulated_criticism")
    api(world.reviewer_market).post(f"/api/accountability/cases/{earlier.pk}/appeal/", {"grounds": "不服"},
                                    format="json")
    api(world.discipline).post(f"/api/accountability/cases/{earlier.pk}/resolve-appeal/", {"upheld": True},
                               format="json")
    travel(2026, 11, 20, 10)
    assert detail(api, world, opened_case(source_ref="TS-R"))["suggested_sanction"] == "efficiency_warning"


def test_cases_against_someone_else_are_not_repeats(world, api, opened_case, travel):
    travel(2026, 5, 4, 10)
    decided(api, world, opened_case(subject=world.reviewer_env, source_ref="TS-E"), sanction="admonishment")
    travel(2026, 11, 20, 10)
    assert detail(api, world, opened_case(source_ref="TS-M"))["repeat_cases"] == []


def test_the_top_of_the_ladder_stays_the_top():
    assert next_step(["disciplinary_referral"]) == "disciplinary_referral"
    assert next_step(["removal_from_post", "efficiency_warning"]) == "disciplinary_referral"
    assert next_step([]) == "efficiency_warning"


def test_twelve_months_before_the_29th_of_february_is_the_28th():
    moment = datetime(2028, 2, 29, 9, 30, tzinfo=SHANGHAI)
    assert twelve_months_before(moment).date().isoformat() == "2027-02-28"


def test_the_subject_does_not_see_the_ladder_suggestion(world, api, opened_case):
    case = opened_case()
    body = api(world.reviewer_market).get(f"/api/accountability/cases/{case.pk}/").json()
    assert "suggested_sanction" not in body and "repeat_cases" not in body
    assert AccountabilityCase.objects.count() == 1
