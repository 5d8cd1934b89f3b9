"""The ladder's steps are accepted under the names SPEC §4 gives them in prose."""

import pytest

from accountability.api import DecideInput

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("given,stored", [
    ("efficiency_warning", "efficiency_warning"),
    ("admonishment talk", "admonishment"),
    ("referral-for-disciplinary-sanction", "disciplinary_referral"),
    ("no_fault", "no_fault"),
])
def test_sanction_spellings_map_to_the_ladder(given, stored):
    data = DecideInput(data={"sanction": given, "reasoning": "迟延办理"})
    assert data.is_valid(), data.errors
    assert data.validated_data["sanction"] == stored


def test_an_unknown_sanction_is_refused():
    assert not DecideInput(data={"sanction": "flogging"}).is_valid()
