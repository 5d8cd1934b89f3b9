"""The history in the API's detail comes from a prepared statement per number of stages
(selectors.application_event_rows): the same rows, in the same order, as the history's queryset."""

import pytest

from approvals import selectors
from approvals.models import Application
from tests.approvals.helpers import accepted

pytestmark = pytest.mark.django_db


def _plain(application, stage_ids):
    return [(e.at, e.actor_label, e.action, e.from_status, e.to_status, e.note)
            for e in selectors.application_events(application, stage_ids)]


def test_the_rows_are_the_historys_for_any_number_of_stages(world, api):
    app = Application.objects.get(pk=accepted(world, api)["id"])
    stage_ids = list(app.stages.order_by("id").values_list("id", flat=True))
    assert stage_ids
    nobody = [10**9 + n for n in range(8)]  # ids of no stage: the shapes of more stages
    for ids in ([], stage_ids, stage_ids + nobody[:1], stage_ids + nobody):  # the last: more than 8
        rows = selectors.application_event_rows(app.pk, ids)
        assert rows == _plain(app, ids) and rows, len(ids)
    other = Application.objects.get(pk=accepted(world, api)["id"])
    assert selectors.application_event_rows(other.pk, []) == _plain(other, [])
    assert not set(selectors.application_event_rows(other.pk, [])) & set(selectors.application_event_rows(app.pk, []))


def test_the_detail_shows_them(world, api):
    app = accepted(world, api)
    body = api(world.citizen).get(f"/api/applications/{app['id']}/").json()
    application = Application.objects.get(pk=app["id"])
    expected = _plain(application, list(application.stages.values_list("id", flat=True)))
    assert [(e["actor"], e["action"], e["to_status"]) for e in body["events"]] == [(r[1], r[2], r[4]) for r in expected]
