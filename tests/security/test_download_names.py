"""Issue 11 item 6: a download is named after the material and the type read from its
content, never after the uploader's file name."""

import pytest
from django.test import Client

from tests.conftest import APPLICANT, PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def application_with_poly_file(world, api):
    citizen = api(world.citizen)
    app = citizen.post("/api/applications/", {"service": "MKT-002", "applicant": APPLICANT}, format="json").json()
    uploaded = upload(citizen, app["id"], "FORM", content=PDF, name="poly.html")
    assert uploaded.status_code == 201, uploaded.content
    return app, uploaded.json()["id"]


def _disposition_name(response):
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;"), disposition
    return disposition


def test_a_pdf_uploaded_as_html_is_served_as_pdf_under_the_material_name_by_the_api(world, api,
                                                                                     application_with_poly_file):
    app, file_id = application_with_poly_file
    response = api(world.citizen).get(f"/api/applications/{app['id']}/materials/{file_id}/file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = _disposition_name(response)
    assert "poly" not in disposition and ".html" not in disposition
    assert disposition.endswith(".pdf") or ".pdf" in disposition


def test_the_page_download_uses_the_same_name(world, application_with_poly_file):
    app, file_id = application_with_poly_file
    client = Client()
    client.force_login(world.citizen)
    response = client.get(f"/applications/{app['id']}/files/{file_id}/")
    assert response.status_code == 200, response.status_code
    disposition = _disposition_name(response)
    assert "poly" not in disposition and ".pdf" in disposition


def test_the_served_name_has_no_characters_that_break_the_header():
    from types import SimpleNamespace

    from approvals.uploads import served_file_name

    material = SimpleNamespace(content_type="application/pdf",
                               requirement=SimpleNamespace(name='申请书"; filename=x.html\r\n/..', code="FORM"))
    name = served_file_name(material)
    assert name.endswith(".pdf")
    assert not any(c in name for c in '"\r\n/;')
