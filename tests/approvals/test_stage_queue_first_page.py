"""A reviewer's queue as it opens (no filter) is read by statements compiled once per process
(approvals.review_api.StageListApi.first_page, its count for every page): the pages, links and
counts are what the ordinary query gives, for every persona and page size."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from approvals.review_api import StageListApi
from tests.approvals.test_list_pagination import history, walk  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

QUERIES = [{}, {"limit": 1}, {"limit": 2}, {"limit": 20}, {"limit": 7}, {"status": "pending", "limit": 2},
           {"department": "MARKET", "limit": 2}, {"offset": 1, "limit": 2}]


@pytest.fixture(autouse=True)
def small_pages_prepared(monkeypatch):
    """Pages of one and two rows prepared too, so that a queue runs past its first page."""
    monkeypatch.setattr("approvals.review_api._QUEUE_LIMITS", frozenset({1, 2, 10, 20, 50, 100}))


@pytest.mark.parametrize("username", ["reviewer_market", "reviewer_env", "head_market", "reviewer_housing",
                                      "window", "supervisor", "citizen"])
def test_the_prepared_queue_pages_are_the_ordinary_ones(world, api, monkeypatch, history, username):  # noqa: F811
    client = api(User.objects.get(username=username))
    prepared = [walk(client, "/api/stages/", query)[0] for query in QUERIES]
    with monkeypatch.context() as ordinary_only:
        ordinary_only.setattr(StageListApi, "unfiltered_queue", staticmethod(lambda request: None))
        ordinary = [walk(client, "/api/stages/", query)[0] for query in QUERIES]
    assert prepared == ordinary
    if username == "reviewer_market":
        first = prepared[1][0]
        assert first["count"] > 2 and first["next"] and len(first["results"]) == 1


def test_a_reviewers_queue_is_read_without_compiling_a_query(world, api, history, monkeypatch):  # noqa: F811
    client = api(world.reviewer_market)
    first = client.get("/api/stages/").json()
    following = client.get(first["next"] or "/api/stages/").json()
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(self.query.model) or
                        original(self, *a, **k))
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/stages/").json()
    assert again == first and first["results"] and all(r["department"] == "MARKET" for r in first["results"])
    assert not [model for model in compiled if model.__name__ == "Stage"]
    reads = [q["sql"] for q in queries.captured_queries if '"approvals_stage"' in q["sql"]]
    assert len(reads) == (2 if first["next"] else 1)
    # Planned for its values (a plan for any values cannot use the open stages' partial index).
    assert not any(sql.startswith("EXECUTE") for sql in reads)
    assert following["count"] == first["count"]
