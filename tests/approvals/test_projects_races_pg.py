"""Races of 中介服务 and 提前介入 on PostgreSQL with real threads and a barrier: an intermediary
service ordered while a department decides, two intermediary orders, two pre-review requests —
each ends in one consistent state, the loser gets a 409."""

import pytest

from approvals import intermediaries, projects, review
from approvals.models import Application, IntermediaryStage
from portal.errors import StateConflict
from projects.models import PreReview
from tests.approvals.helpers import MATERIALS, accepted, stage_of
from tests.approvals.test_races_pg import run_together
from tests.conftest import APPLICANT, upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_intermediary_ordered_while_the_department_decides_one_wins(world, api):
    for _ in range(4):
        app = accepted(world, api, "MKT-003")
        results = run_together(
            lambda app=app: intermediaries.intermediary_start(actor=world.head_market, application_id=app["id"],
                                                              service_code="INT-001"),
            lambda app=app: review.stage_approve(actor=world.reviewer_market, stage_id=stage_of(app, "MARKET"),
                                                 opinion="同意"),
        )
        assert sorted(kind for kind, _ in results) == ["error", "ok"], results
        assert all(isinstance(v, StateConflict) for k, v in results if k == "error")
        application = Application.objects.get(pk=app["id"])
        running = IntermediaryStage.objects.filter(application_id=app["id"], status="running").count()
        assert (application.status, running) in (("suspended", 1), ("approved", 0))


def test_two_intermediary_orders_start_one_clock(world, api):
    app = accepted(world, api, "MKT-003")
    results = run_together(*[
        lambda user=user: intermediaries.intermediary_start(actor=user, application_id=app["id"],
                                                            service_code="INT-001")
        for user in (world.head_market, world.reviewer_market)])
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert IntermediaryStage.objects.filter(application_id=app["id"]).count() == 1


def test_two_pre_review_requests_open_one(world, api):
    client = api(world.citizen)
    app = client.post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT}, format="json").json()
    for code in MATERIALS["MKT-002"]:
        upload(client, app["id"], code)
    results = run_together(*[
        lambda: projects.pre_review_request(actor=world.citizen, application_id=app["id"]) for _ in range(2)])
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert PreReview.objects.filter(application_id=app["id"]).count() == 1
