"""绿色通道 on the apply and walk-in pages: the key-project field takes any project the person
may file under, however many the city has designated (it offered the first 100 by code, so the
window could not file a walk-in under the 101st); the service refuses an inactive or foreign
code next to the field; the suggestions as one types match a code's or a name's start, at most
PROJECT_SUGGESTIONS of them, each prefix a range on an index."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import Application
from approvals.projects import PROJECT_SUGGESTIONS, project_suggestions
from portal.organisation.models import ServiceCenter
from projects.models import KeyProject
from tests.conftest import APPLICANT

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL); CI always runs it")]


def designate(world, count=130):
    """``count`` active projects KP-X-000…, named 港区物流园 N号 from the 100th, the enterprise's
    own account on none of them."""
    center = ServiceCenter.objects.get(code=KeyProject.objects.get(code="KP-2026-001").center.code)
    KeyProject.objects.bulk_create(KeyProject(
        code=f"KP-X-{n:03d}", name=f"港区物流园{n}号" if n >= 100 else f"示例项目{n}号", enterprise="示例企业",
        center=center, manager=world.manager_project, stage_days=5, designated_at=timezone.now())
        for n in range(count))


def offered(response) -> list[str]:
    return re.findall(r'<option value="([^"]+)">', response.content.decode())


def test_the_window_files_a_walk_in_under_a_project_beyond_the_first_hundred(world, client):
    designate(world)
    client.force_login(world.window)
    page = client.get("/window/intake/").content.decode()
    assert 'name="project"' in page and 'list="project-suggestions"' in page
    response = client.post("/window/intake/", {"service": "HSG-001", **APPLICANT, "project": "KP-X-120"})
    assert response.status_code == 302, response.context["form"].errors
    assert Application.objects.get(created_by=world.window).key_project.code == "KP-X-120"


def test_the_enterprise_files_online_under_its_own_project_of_many(world, client):
    designate(world)
    KeyProject.objects.filter(code="KP-X-125").update(applicant=world.enterprise)
    client.force_login(world.enterprise)
    assert offered(client.get("/apply/MKT-002/")) == ["KP-2026-001", "KP-X-125"]
    assert client.post("/apply/MKT-002/", {**APPLICANT, "project": "KP-X-125"}).status_code == 302
    assert Application.objects.get(created_by=world.enterprise).key_project.code == "KP-X-125"


def test_an_inactive_or_foreign_project_is_refused_next_to_the_field(world, client):
    designate(world)
    KeyProject.objects.filter(code="KP-X-110").update(active=False)
    client.force_login(world.window)
    response = client.post("/window/intake/", {"service": "HSG-001", **APPLICANT, "project": "KP-X-110"})
    assert response.status_code == 200 and response.context["form"].errors["project"] == ["重点项目不存在。"]
    client.force_login(world.enterprise)
    response = client.post("/apply/MKT-002/", {**APPLICANT, "project": "KP-X-120"})
    assert response.status_code == 200 and response.context["form"].errors["project"] == ["不是您的重点项目。"]
    assert not Application.objects.exists()


def test_the_lookup_matches_by_code_and_by_name_and_no_more_than_the_cap(world, client):
    designate(world)
    client.force_login(world.window)
    lookup = "/key-projects/suggestions/"
    assert offered(client.get(lookup, {"project": "kp-x-12"})) == [f"KP-X-{n}" for n in range(120, 130)]
    assert offered(client.get(lookup, {"project": "港区物流园11"})) == [f"KP-X-{n}" for n in range(110, 120)]
    assert len(offered(client.get(lookup, {"project": "KP-X"}))) == PROJECT_SUGGESTIONS
    assert len(offered(client.get(lookup))) == PROJECT_SUGGESTIONS
    KeyProject.objects.filter(code="KP-X-121").update(active=False)
    assert "KP-X-121" not in offered(client.get(lookup, {"project": "KP-X-12"}))
    # The enterprise is offered its own projects only; nobody signed in, none.
    client.force_login(world.enterprise)
    assert offered(client.get(lookup, {"project": "KP"})) == ["KP-2026-001"]
    assert offered(client.get(lookup, {"project": "港区"})) == []
    client.logout()
    assert client.get(lookup, {"project": "KP"}).status_code == 302


def test_the_suggestions_are_ranges_on_indexes(world):
    """With sequential scans priced out, the planner still answers by code and by name from
    indexes: a prefix, not a substring, whatever the number of projects."""
    designate(world)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    for typed in ("KP-X-12", "港区物流园"):
        with CaptureQueriesContext(connection) as queries:
            project_suggestions(world.window, typed)
        sql = next(q["sql"] for q in queries.captured_queries if "projects_keyproject" in q["sql"])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Seq Scan" not in plan, plan
