"""The workbench's tiles (public.workbench): each counts what its label says, read from an index
that holds it, not by walking every application or every open stage of a department."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import Stage
from tests.approvals.helpers import accepted

pytestmark = pytest.mark.django_db


def tiles(client, user) -> dict[str, str]:
    client.force_login(user)
    page = client.get("/workbench/", secure=True).content.decode()
    return dict(re.findall(r'data-tile="([a-z_]+)"><span class="count">([^<]+)</span>', page))


def test_in_review_that_may_still_be_extended_counts_applications_never_extended(world, api, client):
    """办理时限 may be extended once: an application never extended has no extension (NULL), and
    the head's tile counted only a recorded 0 — always none."""
    first, second = accepted(world, api), accepted(world, api)
    assert tiles(client, world.head_market)["in_review"] == "2"
    assert api(world.head_market).post(f"/api/applications/{first['id']}/extend/",
                                       {"working_days": 5, "reason": "需专家论证"}, format="json").status_code == 200
    assert tiles(client, world.head_market)["in_review"] == "1"
    assert tiles(client, world.head_env)["in_review"] == "0"  # the market's applications, not the environment's
    assert second["id"]


def test_stages_with_an_alert_are_counted_from_their_own_index(world, api, client):
    app = accepted(world, api)
    Stage.objects.filter(application_id=app["id"]).update(alert="yellow")
    accepted(world, api)  # an open stage without an alert
    with CaptureQueriesContext(connection) as queries:
        assert tiles(client, world.reviewer_market)["alerted"] == "1"
    if connection.vendor != "postgresql":
        return
    [count] = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith("SELECT COUNT(*)") and '"approvals_stage"."alert" IN' in q["sql"]]
    with connection.cursor() as cursor:
        for setting in ["enable_seqscan", "enable_bitmapscan", "enable_sort"]:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + count)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "stage_alerted_idx" in plan, plan
