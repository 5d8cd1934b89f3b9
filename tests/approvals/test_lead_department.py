"""明确主办部门和协办部门 (seed 002; issue 13 item 9): on a joint item the lead department (主办)
assembles the co-departments' (协办) opinions and signs the joint decision — the certificate
names the lead department and its deciding official, not whoever decided last — and every
department on the file, the lead first, reads the others' opinions (page and API)."""

import pytest
from django.utils import translation

from approvals.documents import formal_document
from approvals.models import DocumentKind, IssuedDocument
from tests.approvals.helpers import accepted, stage_of

pytestmark = pytest.mark.django_db


def _approve(api, user, stage_id, opinion):
    response = api(user).post(f"/api/stages/{stage_id}/approve/", {"opinion": opinion}, format="json")
    assert response.status_code == 200, response.json()


def _certificate(app_id) -> IssuedDocument:
    return IssuedDocument.objects.get(application_id=app_id, kind=DocumentKind.CERTIFICATE)


def test_the_certificate_names_the_lead_department_and_its_official_not_the_last_to_decide(world, api):
    app = accepted(world, api, "HSG-001")
    _approve(api, world.reviewer_housing, stage_of(app, "HOUSING"), "主办意见：同意许可")
    _approve(api, world.reviewer_env, stage_of(app, "ENV"), "环评意见：同意")
    _approve(api, world.reviewer_fire, stage_of(app, "FIRE"), "消防意见：同意")  # the last to decide
    content = _certificate(app["id"]).content
    assert content["lead_department"] == "住房和城乡建设局"
    assert "刘建审" in content["official"] and "H0301" in content["official"]
    assert "赵消审" not in content["official"]
    assert [(s["department"], s["lead"]) for s in content["stages"]] == [
        ("住房和城乡建设局", True), ("生态环境局", False), ("消防救援支队", False)]
    decision = api(world.citizen).get(f"/api/applications/{app['id']}/").json()["decision"]
    assert (decision["outcome"], decision["lead_department"], decision["signed_by"]) == (
        "approved", "HOUSING", "reviewer_housing")
    with translation.override("en"):
        printed = formal_document(_certificate(app["id"]))
    assert ("Lead department (主办部门)", "住房和城乡建设局") in printed.fields
    assert ("Official", content["official"]) in printed.fields
    assert printed.items[1][0] == "生态环境局 (co-department)" and printed.items[0][0] == "住房和城乡建设局 (lead)"


def test_the_application_page_names_the_lead_department_and_its_official(world, api, client):
    app = accepted(world, api, "HSG-001")
    _approve(api, world.reviewer_housing, stage_of(app, "HOUSING"), "主办意见：同意许可")
    _approve(api, world.reviewer_env, stage_of(app, "ENV"), "同意")
    _approve(api, world.reviewer_fire, stage_of(app, "FIRE"), "同意")
    client.force_login(world.citizen)
    page = client.get(f"/applications/{app['id']}/").content.decode()
    signed = page[page.index('id="signed-by"'):]
    signed = signed[:signed.index("</dd>")]
    assert 'data-lead-department="HOUSING"' in signed and "刘建审" in signed and "赵消审" not in signed


def test_the_lead_signs_even_when_it_approves_last(world, api):
    app = accepted(world, api, "HSG-001")
    _approve(api, world.reviewer_fire, stage_of(app, "FIRE"), "消防意见：同意")
    _approve(api, world.reviewer_env, stage_of(app, "ENV"), "环评意见：同意")
    _approve(api, world.head_housing, stage_of(app, "HOUSING"), "主办意见：同意")
    content = _certificate(app["id"]).content
    assert "周建长" in content["official"] and content["lead_department"] == "住房和城乡建设局"


def test_a_single_department_item_is_signed_by_its_own_department(world, api):
    app = accepted(world, api, "MKT-002")
    _approve(api, world.reviewer_market, stage_of(app, "MARKET"), "同意")
    content = _certificate(app["id"]).content
    assert content["lead_department"] == "市场监督管理局" and "张市审" in content["official"]


def test_the_lead_reads_the_co_departments_opinions(world, api, client):
    app = accepted(world, api, "HSG-001")
    _approve(api, world.reviewer_env, stage_of(app, "ENV"), "环评意见：噪声须达标")
    lead_stage = stage_of(app, "HOUSING")
    body = api(world.reviewer_housing).get(f"/api/stages/{lead_stage}/opinions/").json()
    assert body["lead_department"] == "HOUSING" and body["signed_by"] is None
    env = next(o for o in body["opinions"] if o["department"] == "ENV")
    assert (env["lead"], env["status"], env["opinion"], env["decided_by"]) == (
        False, "approved", "环评意见：噪声须达标", "reviewer_env")
    assert next(o for o in body["opinions"] if o["department"] == "HOUSING")["lead"] is True
    assert api(world.reviewer_market).get(f"/api/stages/{lead_stage}/opinions/").status_code == 404
    assert api(world.citizen2).get(f"/api/stages/{lead_stage}/opinions/").status_code == 404
    client.force_login(world.reviewer_housing)
    page = client.get(f"/stages/{lead_stage}/").content.decode()
    assert "环评意见：噪声须达标" in page and 'id="lead-signs"' in page
    assert 'data-opinion-department="ENV" data-lead="false"' in page


def test_a_deemed_approval_names_the_lead_department_and_no_official(world, api, travel):
    from portal.sweep import sweep

    travel(2026, 9, 28, 10)
    app = accepted(world, api, "HSG-001")
    _approve(api, world.reviewer_housing, stage_of(app, "HOUSING"), "主办意见：同意")
    _approve(api, world.reviewer_env, stage_of(app, "ENV"), "环评意见：同意")
    travel(2026, 11, 30, 10)  # the fire stage's limit passed long ago
    sweep()
    content = _certificate(app["id"]).content
    assert content["outcome"] == "deemed_approved"
    assert content["lead_department"] == "住房和城乡建设局" and content["official"] == ""
    assert api(world.citizen).get(f"/api/applications/{app['id']}/").json()["decision"]["signed_by"] is None


def test_a_denial_by_a_co_department_is_issued_under_the_lead_department(world, api):
    app = accepted(world, api, "HSG-001")
    response = api(world.reviewer_env).post(f"/api/stages/{stage_of(app, 'ENV')}/deny/",
                                            {"reason": "环评不合格", "legal_basis": "《环境影响评价法》"}, format="json")
    assert response.status_code == 200, response.json()
    decision = IssuedDocument.objects.get(application_id=app["id"], kind=DocumentKind.DECISION)
    assert decision.content["lead_department"] == "住房和城乡建设局"
    assert decision.content["reasons"][0]["department"] == "生态环境局"
    with translation.override("en"):
        assert ("Lead department (主办部门)", "住房和城乡建设局") in formal_document(decision).fields
