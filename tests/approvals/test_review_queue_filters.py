"""The review queue (并联审批) filters with the one list-filter form (templates/_list_filters.html)
like the other lists, its fields and their ids as before: application number (any case), the
stage's status (all open stages when none), alert; a value it does not know is shown beside its
field and filters nothing."""

import re

import pytest

from approvals.models import Stage
from tests.approvals.helpers import accepted, stage_of

pytestmark = pytest.mark.django_db


def rows(client, query="") -> set[int]:
    return {int(pk) for pk in re.findall(r'data-stage="(\d+)"', client.get("/review/queue/" + query).content.decode())}


def test_the_queue_filters_by_number_status_and_alert_with_the_shared_form(world, api, client):
    first, second = accepted(world, api), accepted(world, api)
    one, two = stage_of(first, "MARKET"), stage_of(second, "MARKET")
    client.force_login(world.reviewer_market)
    page = client.get("/review/queue/").content.decode()
    assert 'id="review-filters"' in page and 'hx-target="#queue-results"' in page
    for field in ('id="q"', 'id="status-filter"', 'id="alert-filter"'):
        assert field in page
    assert 'name="from"' not in page  # the queue is due soonest first: no dates
    assert {one, two} <= rows(client)
    assert rows(client, f"?q={second['number'].lower()}") == {two}
    Stage.objects.filter(pk=one).update(alert="red")
    assert rows(client, "?alert=red") == {one}
    assert rows(client, "?status=approved") == set()
    assert {one, two} <= rows(client, "?status=pending")


def test_a_status_the_queue_does_not_know_is_shown_beside_its_field_and_filters_nothing(world, api, client):
    stage = stage_of(accepted(world, api), "MARKET")
    client.force_login(world.reviewer_market)
    page = client.get("/review/queue/?status=nonsense").content.decode()
    assert 'class="field-error"' in page
    assert stage in rows(client, "?status=nonsense")
