"""涉及部门 (approvals.concerns): a department's lists read ``ConcernedDepartment``, which must say
exactly what the items and the stages say — the item's department, and every department with a
stage (并联审批) — through every way an application or a stage comes to be, and an item moved to
another department."""

import io
from importlib import import_module

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals import concerns
from approvals.demo import demo_applications_generate
from approvals.models import Application, ConcernedDepartment
from portal.catalogue.models import ServiceItem
from portal.organisation.models import Department
from tests.approvals.helpers import MATERIALS, accepted, imported_stage
from tests.conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db

MIGRATION = import_module("approvals.migrations.0022_concerned_departments")


def submitted(world, api, service="MKT-002") -> int:
    citizen = api(world.citizen)
    app = citizen.post("/api/applications/", {"service": service, "applicant": APPLICANT}, format="json").json()
    for code in MATERIALS[service]:
        assert upload(citizen, app["id"], code).status_code == 201
    assert citizen.post(f"/api/applications/{app['id']}/submit/").status_code == 200
    return app["id"]


def listed(client, params=None) -> list[int]:
    """Every id of the application list, page after page."""
    ids, response = [], client.get("/api/applications/", {"limit": 100, **(params or {})})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        if not body["next"]:
            return ids
        response = client.get(body["next"])


def concerned(application_id) -> set[str]:
    return set(ConcernedDepartment.objects.filter(application_id=application_id)
               .values_list("department__code", flat=True))


def test_every_way_in_records_the_departments_the_facts_name(world, api):
    draft = api(world.citizen).post("/api/applications/", {"service": "MKT-001", "applicant": APPLICANT},
                                    format="json").json()["id"]
    waiting = submitted(world, api)
    joint = accepted(world, api, "HSG-001")["id"]  # 主办 HOUSING, 协办 ENV and FIRE
    imported = imported_stage(world).application_id  # written by the ORM, as history is
    demo_applications_generate(count=30, progress=io.StringIO(), services=["HSG-001", "MKT-002", "FIRE-002"])
    assert concerned(draft) == {"MARKET"} and concerned(waiting) == {"MARKET"}
    assert concerned(joint) == {"HOUSING", "ENV", "FIRE"}
    assert concerned(imported) == {"HOUSING"}
    assert concerns.drift() == {"missing": [], "extra": []}
    # What the lists show follows: the environment reviewer reads the joint file, not the market's.
    env = listed(api(world.reviewer_env))
    assert joint in env and waiting not in env
    assert waiting in listed(api(world.reviewer_market)) and joint not in listed(api(world.reviewer_market))
    assert listed(api(world.window), {"department": "FIRE"}) == list(
        Application.objects.filter(stages__department__code="FIRE").distinct().order_by("-id")
        .values_list("id", flat=True))


def test_an_item_moved_to_another_department_moves_its_applications_but_not_their_stages(world, api):
    waiting = submitted(world, api)  # no stage yet: the item's department alone
    reviewed = accepted(world, api)["id"]  # a MARKET stage: stays the market's too
    item = ServiceItem.objects.get(code="MKT-002")
    item.department = Department.objects.get(code="ENV")
    item.save()
    assert concerned(waiting) == {"ENV"} and concerned(reviewed) == {"ENV", "MARKET"}
    assert concerns.drift() == {"missing": [], "extra": []}
    assert {waiting, reviewed} <= set(listed(api(world.reviewer_env)))
    market = listed(api(world.reviewer_market))
    assert reviewed in market and waiting not in market
    item.department = Department.objects.get(code="MARKET")
    item.save()
    assert concerned(waiting) == {"MARKET"} and concerned(reviewed) == {"MARKET"}
    assert concerns.drift() == {"missing": [], "extra": []}


def test_drift_names_what_is_wrong_and_repair_mends_it(world, api):
    joint = accepted(world, api, "HSG-001")["id"]
    waiting = submitted(world, api)
    fire, env = Department.objects.get(code="FIRE"), Department.objects.get(code="ENV")
    ConcernedDepartment.objects.filter(application_id=joint, department=fire).delete()
    ConcernedDepartment.objects.add([(waiting, env.pk)])
    assert concerns.drift() == {"missing": [(joint, fire.pk)], "extra": [(waiting, env.pk)]}
    assert joint not in listed(api(world.window), {"department": "FIRE"})  # the table is what the list reads
    assert concerns.repair() == {"added": 1, "removed": 1}
    assert concerns.drift() == {"missing": [], "extra": []}
    assert joint in listed(api(world.window), {"department": "FIRE"})


def test_the_migration_fills_the_table_from_the_items_and_the_stages(world, api):
    accepted(world, api, "HSG-001")
    submitted(world, api)
    demo_applications_generate(count=20, progress=io.StringIO(), services=["HSG-001", "MKT-002"])
    before = set(ConcernedDepartment.objects.values_list("application_id", "department_id"))
    ConcernedDepartment.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(MIGRATION.FILL)
    assert set(ConcernedDepartment.objects.values_list("application_id", "department_id")) == before
    assert concerns.drift() == {"missing": [], "extra": []}


@pytest.mark.postgres
def test_a_departments_list_is_looked_up_through_its_key_not_merged_with_the_newest(world, api):
    """The ENV list newest first: one backward range of the table's key (department, application),
    each application looked up by id — no walk of the newest applications of every department, no
    sort. Merge joins are off for the list's statements (portal.db.plans.lookups_not_merges): with
    the newest 30,000 applications all of one market item, merging walked all of them (20 ms)."""
    accepted(world, api, "HSG-001")
    demo_applications_generate(count=30, progress=io.StringIO(), services=["MKT-002"])
    clerk, reviewer = api(world.window), api(world.reviewer_env)
    for client, params in [(clerk, {"department": "ENV", "limit": 1}), (reviewer, {"limit": 1})]:
        client.get("/api/applications/", params)
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/applications/", params).json()
        assert body["results"] and body["next"] is None
        sent = [q["sql"] for q in queries.captured_queries]
        switch = sent.index("SET LOCAL enable_mergejoin = off")
        reads = [i for i, sql in enumerate(sent) if '"approvals_concerneddepartment"' in sql]
        assert reads and all(i > switch for i in reads)
        with connection.cursor() as cursor:
            for setting in ["enable_mergejoin", "enable_seqscan", "enable_sort", "enable_hashjoin", "enable_bitmapscan"]:
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute("EXPLAIN " + sent[reads[0]])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET ALL")
        assert "Index Only Scan Backward using approvals_concerneddepartment_pkey" in plan, plan
        assert "Index Scan using approvals_application_pkey" in plan and "Sort" not in plan, plan


@pytest.mark.postgres
def test_merge_joins_are_off_inside_and_as_before_after(world):
    from django.db import transaction

    from portal.db.plans import lookups_not_merges

    def setting():
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_mergejoin")
            return cursor.fetchone()[0]

    with transaction.atomic():  # inside a transaction already (a test's): restored on the way out
        with lookups_not_merges():
            assert setting() == "off"
        assert setting() == "on"
        with pytest.raises(LookupError), lookups_not_merges():
            assert setting() == "off"
            raise LookupError  # a list that fails half-way: the setting goes with its savepoint
        assert setting() == "on"


def test_the_command_reports_a_difference_and_repairs_it(world, api):
    joint = accepted(world, api, "HSG-001")["id"]
    out = io.StringIO()
    call_command("concerned_departments", stdout=out)
    assert "match" in out.getvalue()
    fire = Department.objects.get(code="FIRE")
    ConcernedDepartment.objects.filter(application_id=joint, department=fire).delete()
    with pytest.raises(CommandError, match=rf"missing \(application, department\) \[\({joint}, {fire.pk}\)\]"):
        call_command("concerned_departments")
    call_command("concerned_departments", "--repair", stdout=out)
    assert "1 rows added, 0 removed" in out.getvalue()
    assert concerns.drift() == {"missing": [], "extra": []}
