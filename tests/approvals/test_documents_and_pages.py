"""Formal documents, public verification, and the pages of citizens, clerks and reviewers."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from tests.approvals.helpers import accepted, stage_of

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    return " ".join(text.split())


def receipt(api, user, app, language="en"):
    doc = next(d for d in app["documents"] if d["kind"] == "receipt")
    return api(user).get(doc["pdf"], HTTP_ACCEPT_LANGUAGE=language)


def test_receipt_states_deadline_redress_and_deemed_approval(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api)
    text = pdf_text(receipt(api, world.citizen, app))
    assert app["number"] in text and app["tracking_code"] in text
    assert "Decision due by Oct. 16, 2026" in text
    assert "operation of law" in text
    assert "reconsideration within 60 days" in text and "6 months" in text
    assert "not a decision" in text and "If you disagree" not in text


def test_receipt_of_an_item_without_deemed_approval_does_not_promise_it(world, api):
    app = accepted(world, api, "FIRE-002")
    text = pdf_text(receipt(api, world.citizen, app))
    assert "operation of law" not in text


def test_receipt_is_in_chinese_by_default(world, api):
    app = accepted(world, api)
    text = pdf_text(receipt(api, world.citizen, app, language="zh-hans"))
    assert "受理通知书" in text


def test_anyone_can_verify_a_document_by_its_code_without_personal_data(world, api, client):
    from approvals.models import IssuedDocument

    app = accepted(world, api)
    document = IssuedDocument.objects.get(application_id=app["id"], kind="receipt")
    page = client.get(f"/verify/{document.verify_code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert document.number in html and "陈民" not in html
    assert client.get("/verify/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_home_page_is_chinese_by_default_even_for_an_english_browser(world, client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


def test_reviewer_decides_on_the_stage_page(world, api, client):
    app = accepted(world, api, "HSG-001")
    stage = stage_of(app, "HOUSING")
    client.force_login(world.reviewer_housing)
    queue = client.get("/review/queue/").content.decode()
    assert f'data-stage="{stage}"' in queue and f'data-stage="{stage_of(app, "ENV")}"' not in queue
    assert client.get(f"/stages/{stage}/").status_code == 200
    client.post(f"/stages/{stage}/act/claim/")
    client.post(f"/stages/{stage}/act/approve/", {"opinion": "同意"})
    assert api(world.citizen2).get(f"/api/stages/{stage}/").status_code == 404
    assert api(world.reviewer_housing).get(f"/api/stages/{stage}/").json()["status"] == "approved"


def test_outsider_cannot_open_a_stage_page(world, api, client):
    app = accepted(world, api, "HSG-001")
    client.force_login(world.citizen2)
    assert client.get(f"/stages/{stage_of(app, 'HOUSING')}/").status_code == 404
    client.force_login(world.reviewer_env)
    assert client.post(f"/stages/{stage_of(app, 'HOUSING')}/act/approve/").status_code == 302
    assert api(world.reviewer_housing).get(f"/api/stages/{stage_of(app, 'HOUSING')}/").json()["status"] == "pending"


def test_history_shows_badges_and_readable_steps(world, api, client):
    app = accepted(world, api)
    client.force_login(world.citizen)
    html = client.get(f"/applications/{app['id']}/").content.decode()
    assert "C0101" in html  # the clerk who accepted, by badge (挂牌上岗)
    assert "→ in_review" not in html


def test_register_page_lists_decisions(world, api, client):
    app = accepted(world, api, "MKT-001")
    api(world.window).post(f"/api/applications/{app['id']}/decide-on-site/")
    assert app["number"] in client.get("/register/").content.decode()
