"""Issue 12 on the application and stage pages: law on the page (reason, legal basis and
redress on a denial; the receipt is not a decision; the deemed-approval promise only where the
item allows it; QR codes on the right host) and safe decisions (claim before decide, a second
step before accept, refuse, deny and on-site decisions, errors next to the field, replaced
files marked, only the actions the reader may take)."""

import re

import pytest
from django.test import override_settings

from tests.approvals.helpers import MATERIALS, accepted, stage_of
from tests.approvals.test_documents_and_pages import pdf_text
from tests.conftest import APPLICANT, upload

pytestmark = pytest.mark.django_db


def submitted(world, api, service="MKT-002") -> dict:
    citizen = api(world.citizen)
    app = citizen.post("/api/applications/", {"service": service, "applicant": APPLICANT}, format="json").json()
    for code in MATERIALS[service]:
        upload(citizen, app["id"], code)
    assert citizen.post(f"/api/applications/{app['id']}/submit/").status_code == 200
    return app


def status(api, world, app) -> str:
    return api(world.window).get(f"/api/applications/{app['id']}/").json()["status"]


def test_approving_an_unclaimed_stage_on_the_page_is_refused(world, api, client):
    app = accepted(world, api, "HSG-001")
    stage = stage_of(app, "HOUSING")
    client.force_login(world.reviewer_housing)
    page = client.get(f"/stages/{stage}/").content.decode()
    assert 'id="claim"' in page and 'id="approve"' not in page and 'id="deny"' not in page
    response = client.post(f"/stages/{stage}/act/approve/", {"opinion": "同意"}, follow=True)
    assert "请先认领本环节" in response.content.decode()
    assert api(world.reviewer_housing).get(f"/api/stages/{stage}/").json()["status"] == "pending"
    client.post(f"/stages/{stage}/act/claim/")
    page = client.get(f"/stages/{stage}/").content.decode()
    assert 'id="approve"' in page and 'id="claim"' not in page


def test_a_denial_needs_its_legal_basis_and_a_second_step_then_prints_both(world, api, client):
    app = accepted(world, api, "HSG-001")
    stage = stage_of(app, "FIRE")
    client.force_login(world.reviewer_fire)
    client.post(f"/stages/{stage}/act/claim/")
    empty = client.post(f"/stages/{stage}/act/deny/", {"reason": "", "legal_basis": ""})
    html = empty.content.decode()
    assert empty.status_code == 400
    assert 'id="error-summary"' in html and 'href="#id_reason"' in html and 'href="#id_legal_basis"' in html
    assert 'id="id_reason_error"' in html and 'aria-invalid="true"' in html
    grounds = {"reason": "消防设计不符合规范", "legal_basis": "《中华人民共和国消防法》第十二条"}
    ask = client.post(f"/stages/{stage}/act/deny/", grounds)
    assert ask.status_code == 200 and 'id="confirm"' in ask.content.decode()
    assert api(world.reviewer_fire).get(f"/api/stages/{stage}/").json()["status"] == "claimed"
    client.post(f"/stages/{stage}/act/deny/", {**grounds, "confirmed": "1"})
    body = api(world.citizen).get(f"/api/applications/{app['id']}/").json()
    assert body["status"] == "denied"
    decision = next(d for d in body["documents"] if d["kind"] == "decision")
    text = pdf_text(api(world.citizen).get(decision["pdf"], HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "消防设计不符合规范" in text and "第十二条" in text and "法律依据" in text
    assert "行政复议" in text.replace(" ", "") and "六个月" in text.replace(" ", "")


def test_the_api_takes_a_legal_basis_and_falls_back_to_the_items(world, api):
    app = accepted(world, api, "MKT-002")
    stage = stage_of(app, "MARKET")
    reviewer = api(world.reviewer_market)
    assert reviewer.post(f"/api/stages/{stage}/deny/", {"reason": "场所不符合要求"}, format="json").status_code == 200
    body = api(world.citizen).get(f"/api/applications/{app['id']}/").json()
    decision = next(d for d in body["documents"] if d["kind"] == "decision")
    text = pdf_text(api(world.citizen).get(decision["pdf"], HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "法律依据" in text and "食品" in text  # the item's published legal basis


def test_accept_refuse_and_on_site_ask_before_they_act(world, api, client):
    app = submitted(world, api)
    client.force_login(world.window)
    ask = client.post(f"/applications/{app['id']}/act/accept/")
    assert ask.status_code == 200 and 'name="confirmed"' in ask.content.decode()
    assert status(api, world, app) == "submitted"
    refuse = client.post(f"/applications/{app['id']}/act/refuse/", {"reason": "", "legal_basis": ""})
    assert refuse.status_code == 400 and 'id="error-summary"' in refuse.content.decode()
    ask = client.post(f"/applications/{app['id']}/act/refuse/", {"reason": "不属于本中心受理范围",
                                                                  "legal_basis": "《行政许可法》第三十二条"})
    assert 'value="不属于本中心受理范围"' in ask.content.decode() and status(api, world, app) == "submitted"
    client.post(f"/applications/{app['id']}/act/accept/", {"confirmed": "1"})
    assert status(api, world, app) == "in_review"


def test_the_clerk_does_not_see_the_citizens_withdraw_and_the_citizen_does(world, api, client):
    app = submitted(world, api)
    client.force_login(world.window)
    assert 'id="withdraw"' not in client.get(f"/applications/{app['id']}/").content.decode()
    client.force_login(world.citizen)
    page = client.get(f"/applications/{app['id']}/").content.decode()
    assert 'id="withdraw"' in page and "onsubmit" not in page and "onclick" not in page


def test_a_replaced_upload_is_marked_and_only_the_current_file_is_current(world, api, client):
    citizen = api(world.citizen)
    app = citizen.post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT}, format="json").json()
    upload(citizen, app["id"], "FORM", name="first.pdf")
    upload(citizen, app["id"], "FORM", name="second.pdf")
    client.force_login(world.citizen)
    row = re.search(r'<tr data-material="FORM">.*?</tr>', client.get(f"/applications/{app['id']}/").content.decode(),
                    re.S).group(0)
    assert row.index("second.pdf") < row.index("first.pdf") and "data-replaced" in row


def test_history_reads_in_words_without_codes_or_usernames(world, api, client):
    app = accepted(world, api, "HSG-001")
    client.force_login(world.reviewer_env)
    stage = stage_of(app, "ENV")
    client.post(f"/stages/{stage}/act/claim/")
    client.post(f"/stages/{stage}/act/correction/", {"material": ["EIA"], "reason_EIA": "缺少专家评审意见"})
    client.force_login(world.citizen)
    html = client.get(f"/applications/{app['id']}/").content.decode()
    history = html[html.index("timeline"):]
    assert "reviewer_env" not in history and "window" not in re.sub(r"<[^>]+>", "", history)
    assert "EIA:" not in history and "ENV:" not in history and "环境影响评价文件" in history
    lines = [re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li>.*?</li>", history, re.S)]
    assert not [li for li in lines if re.search(r"(\S+) → \1\b", li)], "no self-transition"


def test_receipt_is_not_worded_as_a_decision_and_promises_only_what_the_item_allows(world, api, client):
    app = accepted(world, api, "FIRE-002")
    doc = next(d for d in app["documents"] if d["kind"] == "receipt")
    text = pdf_text(api(world.citizen).get(doc["pdf"], HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "如不服本决定" not in text and "并非对申请作出的决定" in text
    assert "视为" not in text.split("受理通知书")[-1] or "准予" not in text
    page = client.get("/services/FIRE-002/").content.decode()
    footer = page[page.index("<footer"):]
    assert "默许" not in footer and "视为批准" not in footer


def test_qr_codes_use_the_requests_host_in_development_and_site_url_in_production(world, api, client):
    app = accepted(world, api)
    doc = next(d for d in app["documents"] if d["kind"] == "receipt")
    client.force_login(world.citizen)
    url = f"/applications/{app['id']}/documents/{doc['id']}.pdf"
    with override_settings(ALLOWED_HOSTS=["demo.example", "testserver"]):
        assert "http://demo.example:8106/verify/" in pdf_text(client.get(url, HTTP_HOST="demo.example:8106"))
    with override_settings(PRODUCTION=True, SITE_URL="https://zwfw.example.gov.cn",
                           ALLOWED_HOSTS=["demo.example", "testserver"]):
        text = pdf_text(client.get(url, HTTP_HOST="demo.example"))
    assert "https://zwfw.example.gov.cn/verify/" in text and "demo.example/verify" not in text
