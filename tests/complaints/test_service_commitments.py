"""服务承诺制 on quality and attitude (seed 003 "以承诺制来明确服务要求"; issue 13 item 10): each
item and each window post (窗口岗位) publishes its commitments beside its time limits — item
page, badge page, catalogue and staff directory APIs, GET /api/commitments/ — and a complaint
may name the broken commitment as its subject, only one that the complaint can be about."""

import pytest

from complaints.models import Complaint
from portal.organisation.models import ServiceCommitment
from tests.approvals.helpers import accepted

pytestmark = pytest.mark.django_db


def _file(api, user=None, **fields):
    body = {"category": "attitude", "description": "窗口人员态度生硬，推诿不办", **fields}
    return api(user).post("/api/complaints/", body, format="json")


def test_item_commitments_are_published_beside_the_time_limits(world, api, client):
    service = api().get("/api/services/MKT-002/").json()
    codes = {c["code"]: c for c in service["commitments"]}
    assert {"MKT-002-Q1", "MKT-002-A1"} <= set(codes)
    assert codes["MKT-002-A1"]["kind"] == "attitude" and codes["MKT-002-Q1"]["kind"] == "quality"
    assert (service["committed_days"], service["statutory_days"]) == (10, 20)
    page = client.get("/services/MKT-002/").content.decode()
    limits, commitments = page.index("承诺时限") if "承诺时限" in page else page.index("Committed limit"), \
        page.index('id="commitments"')
    assert limits < commitments and 'data-commitment="MKT-002-A1"' in page
    assert "?commitment=MKT-002-A1" in page


def test_post_commitments_are_shown_with_the_badge(world, api, client):
    entry = api().get("/api/staff/", {"badge": "C0101"}).json()[0]
    assert {c["code"] for c in entry["commitments"]} == {"W-CITY-01-A1", "W-CITY-01-Q1"}
    assert entry["commitments"][0]["post"] == {"center": "CITY", "window": "01"}
    reviewer = api().get("/api/staff/", {"badge": "M0201"}).json()[0]
    assert reviewer["commitments"] == []  # no window post, no post commitments
    page = client.get("/staff/C0101/").content.decode()
    assert 'data-commitment="W-CITY-01-A1"' in page and "badge=C0101" in page
    listed = api().get("/api/commitments/", {"badge": "T0101"}).json()
    assert {c["code"] for c in listed} == {"W-TOWN-01-A1", "W-TOWN-01-Q1"}
    assert {c["code"] for c in api().get("/api/commitments/", {"service": "HSG-001"}).json()} >= {"HSG-001-Q1"}


def test_an_unpublished_commitment_is_not_shown_nor_complained_about(world, api):
    ServiceCommitment.objects.filter(code="MKT-002-Q2").update(published=False)
    from portal.catalogue.selectors import catalogue_changed

    catalogue_changed()
    assert "MKT-002-Q2" not in {c["code"] for c in api().get("/api/services/MKT-002/").json()["commitments"]}
    response = _file(api, commitment="MKT-002-Q2")
    assert response.status_code == 400 and "commitment" in response.json()["fields"]


def test_a_complaint_names_the_broken_commitment_as_its_subject(world, api):
    response = _file(api, world.citizen, staff_badge="C0101", commitment="w-city-01-a1")
    assert response.status_code == 201, response.json()
    complaint = Complaint.objects.get(pk=response.json()["id"])
    assert complaint.commitment.code == "W-CITY-01-A1"
    detail = api(world.discipline).get(f"/api/complaints/{complaint.pk}/").json()
    assert detail["commitment"] == {"code": "W-CITY-01-A1", "kind": "attitude",
                                    "text": complaint.commitment.text}


def test_a_commitment_of_another_post_or_item_is_refused(world, api):
    response = _file(api, staff_badge="C0101", commitment="W-TOWN-01-A1")
    assert response.status_code == 400 and "commitment" in response.json()["fields"]
    app = accepted(world, api, "MKT-002")
    response = _file(api, world.citizen, application_number=app["number"], commitment="HSG-001-Q1",
                     category="other")
    assert response.status_code == 400 and "commitment" in response.json()["fields"]
    response = _file(api, world.citizen, application_number=app["number"], commitment="MKT-002-Q1",
                     category="other")
    assert response.status_code == 201


def test_a_commitment_alone_tells_the_department(world, api):
    response = _file(api, commitment="HSG-001-A1")
    assert response.status_code == 201
    assert Complaint.objects.get(pk=response.json()["id"]).department.code == "HOUSING"


def test_the_complaint_form_offers_the_commitment_and_files_it(world, client):
    page = client.get("/complaints/new/?commitment=MKT-002-A1&badge=C0101").content.decode()
    assert 'value="MKT-002-A1" selected' in page
    response = client.post("/complaints/new/", {"category": "attitude", "description": "态度生硬",
                                                "commitment": "MKT-002-A1"})
    assert response.status_code == 302
    assert Complaint.objects.get().commitment.code == "MKT-002-A1"
