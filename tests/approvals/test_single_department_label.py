"""明确主办部门和协办部门 (seed 002) is a joint item's matter only: a single-department item such as
HSG-002 (不动产登记, the housing bureau alone) names its department without 主办 or 协办 — on the
stage page, the application page and its certificate — while a joint item still names both."""

import pytest
from django.utils import translation

from approvals.demo import demo_applications_generate
from approvals.documents import department_roles, formal_document
from approvals.models import DocumentKind, IssuedDocument, Stage
from tests.approvals.helpers import accepted, imported_stage, stage_of

pytestmark = pytest.mark.django_db

ROLE_WORDS = ("(主办)", "(协办)", "(主办部门)", "(lead)", "(co-department)")


def opinions_list(page: str) -> str:
    start = page.index('id="joint-opinions"')
    return page[start:page.index("</ul>", start)]


def test_roles_are_words_of_a_joint_item_only():
    with translation.override("en"):
        assert department_roles([True]) == [""] and department_roles([False]) == [""]
        assert department_roles([False, True, False]) == ["co-department", "lead", "co-department"]
        # A joint file with no stage marked lead (imported history): the first leads, as it signs.
        assert department_roles([False, False]) == ["lead", "co-department"]


def test_a_single_department_item_is_neither_lead_nor_co_department_on_the_pages(world, api, client):
    app = accepted(world, api, "HSG-002")
    stage = stage_of(app, "HOUSING")
    client.force_login(world.reviewer_housing)
    listed = opinions_list(client.get(f"/stages/{stage}/").content.decode())
    assert "住房和城乡建设局" in listed and not any(word in listed for word in ROLE_WORDS)
    page = client.get(f"/applications/{app['id']}/").content.decode()
    row = page[page.index(f'data-stage="{stage}"'):]
    assert not any(word in row[:row.index("</tr>")] for word in ROLE_WORDS)


def test_an_imported_single_department_stage_not_marked_lead_is_not_called_co_department(world, client):
    stage = imported_stage(world, lead=False)
    client.force_login(world.reviewer_housing)
    listed = opinions_list(client.get(f"/stages/{stage.pk}/").content.decode())
    assert "协办" not in listed and "主办" not in listed


def test_generated_history_marks_the_lead_as_the_catalogue_does(world):
    demo_applications_generate(count=40, services=["HSG-001", "HSG-002"], progress=open("/dev/null", "w"))
    generated = Stage.objects.filter(application__applicant_name="历史申请人")
    assert not generated.filter(application__service__code="HSG-002", lead=False).exists()
    joint = generated.filter(application__service__code="HSG-001")
    assert set(joint.filter(lead=True).values_list("department__code", flat=True)) == {"HOUSING"}
    assert set(joint.filter(lead=False).values_list("department__code", flat=True)) == {"ENV", "FIRE"}


def test_the_certificate_of_a_single_department_item_names_the_department_without_a_role(world, api):
    app = accepted(world, api, "HSG-002")
    response = api(world.reviewer_housing).post(f"/api/stages/{stage_of(app, 'HOUSING')}/approve/",
                                                {"opinion": "准予登记"}, format="json")
    assert response.status_code == 200, response.json()
    certificate = IssuedDocument.objects.get(application_id=app["id"], kind=DocumentKind.CERTIFICATE)
    with translation.override("en"):
        printed = formal_document(certificate)
    assert ("Department", "住房和城乡建设局") in printed.fields
    assert all(label != "Lead department (主办部门)" for label, _value in printed.fields)
    assert list(printed.items) == [("住房和城乡建设局", "准予登记")]


def test_a_denial_of_a_single_department_item_names_the_department_without_a_role(world, api):
    app = accepted(world, api, "HSG-002")
    response = api(world.reviewer_housing).post(f"/api/stages/{stage_of(app, 'HOUSING')}/deny/",
                                                {"reason": "权属不清", "legal_basis": "《不动产登记暂行条例》第二十二条"},
                                                format="json")
    assert response.status_code == 200, response.json()
    decision = IssuedDocument.objects.get(application_id=app["id"], kind=DocumentKind.DECISION)
    assert decision.content["joint"] is False
    with translation.override("en"):
        fields = formal_document(decision).fields
    assert ("Department", "住房和城乡建设局") in fields
    assert all(label != "Lead department (主办部门)" for label, _value in fields)
