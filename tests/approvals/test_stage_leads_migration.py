"""approvals/migrations/0020_stage_leads: stages stored before history marked the lead department
(every stage ``lead=False``) get 主办 as the catalogue names it (issue 13 item 9, seed 002)."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import migrations
from django.utils import timezone

from approvals.models import Application, Stage, StageStatus, Status
from portal.catalogue.models import ServiceItem
from portal.organisation.models import Department
from tests.approvals.helpers import accepted, imported_stage

pytestmark = pytest.mark.django_db

MIGRATION = import_module("approvals.migrations.0020_stage_leads")


def _old_joint(world, *, number: str, departments: tuple[str, ...]) -> Application:
    """An HSG-001 application (lead: HOUSING) as the old history generator stored it: every stage
    ``lead=False``, here in an order that does not put the lead department first."""
    now = timezone.now()
    application = Application.objects.create(
        service=ServiceItem.objects.get(code="HSG-001"), status=Status.APPROVED, outcome=Status.APPROVED,
        number=number, applicant=world.citizen, applicant_name="历史申请人", applicant_id_number="11010519491231002X",
        created_by=world.window, created_at=now, submitted_at=now, accepted_at=now, decided_at=now, due_at=now)
    for code in departments:
        Stage.objects.create(application=application, department=Department.objects.get(code=code), lead=False,
                             days=7, status=StageStatus.APPROVED, started_at=now, due_at=now, decided_at=now)
    return application


def _leads(application) -> list[tuple[str, bool]]:
    return list(application.stages.order_by("id").values_list("department__code", "lead"))


def test_old_joint_stages_get_the_catalogues_lead_and_single_department_ones_their_own(world, api):
    joint = _old_joint(world, number="LS2025010100000001", departments=("FIRE", "ENV", "HOUSING"))
    single = imported_stage(world, number="LS2025010100000002", lead=False)
    assert MIGRATION.stage_leads_mark(apps, None) == 2
    assert _leads(joint) == [("FIRE", False), ("ENV", False), ("HOUSING", True)]
    assert Stage.objects.get(pk=single.pk).lead is True
    assert MIGRATION.stage_leads_mark(apps, None) == 0  # run again: nothing left to mark


def test_applications_that_already_name_their_lead_are_left_as_they_are(world, api):
    current = accepted(world, api, "HSG-001")
    before = _leads(Application.objects.get(pk=current["id"]))
    assert before == [("HOUSING", True), ("ENV", False), ("FIRE", False)]
    marked_by_hand = _old_joint(world, number="LS2025010100000003", departments=("HOUSING", "ENV", "FIRE"))
    marked_by_hand.stages.filter(department__code="ENV").update(lead=True)
    assert MIGRATION.stage_leads_mark(apps, None) == 0
    assert _leads(Application.objects.get(pk=current["id"])) == before
    assert _leads(marked_by_hand) == [("HOUSING", False), ("ENV", True), ("FIRE", False)]


def test_a_joint_file_without_the_plans_lead_department_keeps_its_first_stage_as_lead(world):
    """The plan changed since: no stage of the department it now names lead, so none is marked
    and the documents keep reading the first stage as the lead (documents.lead_index)."""
    old = _old_joint(world, number="LS2025010100000004", departments=("ENV", "FIRE"))
    assert MIGRATION.stage_leads_mark(apps, None) == 0
    assert _leads(old) == [("ENV", False), ("FIRE", False)]


def test_the_migration_runs_that_function():
    [operation] = MIGRATION.Migration.operations
    assert isinstance(operation, migrations.RunPython) and operation.code is MIGRATION.stage_leads_mark
