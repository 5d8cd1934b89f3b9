"""Row locks name their rows and go through one helper (portal.locking, SPEC §10)."""

import ast
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.errors import NotFound
from portal.locking import locked

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for p in ROOT.rglob("*.py")
           if not {".venv", "tests", "var", "node_modules"} & set(p.relative_to(ROOT).parts)]


def test_every_row_lock_names_its_rows():
    """A bare select_for_update() with select_related locks the joined catalogue item, department
    or user as well: fifty citizens applying for one item queued on its row (issue 9)."""
    bare = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "select_for_update" \
                    and "of" not in {k.arg for k in node.keywords}:
                bare.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bare, f"lock only the queried rows: select_for_update(of=('self',)) or portal.locking: {bare}"


def test_only_the_locking_helpers_call_select_for_update():
    """One helper names the rows and keeps the order (portal.locking); a call elsewhere is a
    lock nobody reviewed against that order."""
    elsewhere = []
    for path in SOURCES:
        if path.relative_to(ROOT).as_posix() == "portal/locking.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "select_for_update":
                elsewhere.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not elsewhere, f"lock through portal.locking.for_update / locked: {elsewhere}"


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_locked_application_does_not_lock_its_service_item(world, api):
    from approvals.models import Application
    from tests.approvals.helpers import accepted

    app = accepted(world, api)
    with CaptureQueriesContext(connection) as queries:
        application = locked(Application, app["id"], related=("service",))
    assert application.service.code == "MKT-002"
    sql = queries.captured_queries[-1]["sql"]
    assert 'FOR UPDATE OF "approvals_application"' in sql and "catalogue_serviceitem" in sql


@pytest.mark.django_db
def test_a_missing_row_is_not_found():
    from approvals.models import Application

    with pytest.raises(NotFound):
        locked(Application, 10**9)
    with pytest.raises(NotFound):
        locked(Application, "not-a-number")
