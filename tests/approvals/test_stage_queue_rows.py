"""The reviewer's queue (GET /api/stages/) reads its page as rows of the columns it shows, not as
models (issue 9 item 9): every row is what ``stage_detail`` makes of the stage read whole, the
same fields in the same order (SPEC §6), claimed, suspended and decided stages alike."""

import io

import pytest

from approvals.demo import demo_applications_generate
from approvals.models import Stage
from approvals.review_api import stage_detail

pytestmark = pytest.mark.django_db


def walk(client, url, params):
    rows, response = [], client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        response = client.get(body["next"])


def test_every_row_of_the_queue_is_the_stage_as_stage_detail_shows_it(world, api):
    demo_applications_generate(count=40, progress=io.StringIO(), services=["FIRE-002", "HSG-001", "MKT-001", "MKT-002"])
    market = Stage.objects.filter(department__code="MARKET", status__in=["pending", "claimed"]).order_by("id")
    ids = list(market.values_list("id", flat=True))
    assert len(ids) >= 4
    Stage.objects.filter(pk=ids[0]).update(status="claimed", assignee=world.reviewer_market, opinion="看过")
    Stage.objects.filter(pk=ids[1]).update(status="suspended", due_at=None, remaining_days_frozen=3)
    decided = Stage.objects.filter(department__code="MARKET", status="approved").exclude(decided_at=None)
    assert decided.exists()
    reviewer = api(world.reviewer_market)
    rows = walk(reviewer, "/api/stages/", {"limit": 7})
    rows += walk(reviewer, "/api/stages/", {"limit": 7, "status": "approved,suspended"})
    kinds = {(r["status"], r["assignee"] is not None, r["due_at"] is None, r["decided_at"] is None) for r in rows}
    assert {("claimed", True, False, True), ("suspended", False, True, True), ("approved", False, False, False)} <= kinds
    for row in rows:
        whole = stage_detail(Stage.objects.select_related("application", "department", "assignee").get(pk=row["id"]))
        assert list(row.items()) == list(whole.items())  # the same fields, values and order
    assert reviewer.get("/api/stages/", {"limit": 7}).json()["results"][0]["id"] in ids
