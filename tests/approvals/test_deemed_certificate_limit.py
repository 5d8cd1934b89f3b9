"""Issue 13 item 11: a deemed-approval certificate says which limit passed. The lapse fires at
the committed limit (承诺时限), e.g. MKT-002's 10 working days, not its statutory 20 (法定时限);
it names the statutory limit only when that is what ran out."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from approvals.review import stage_deem_approved
from portal.catalogue.models import ServiceItem
from portal.sweep import sweep
from tests.approvals.helpers import accepted, stage_of
from tests.approvals.test_key_projects import apply

pytestmark = pytest.mark.django_db


def certificate_text(api, user, app_id) -> str:
    body = api(user).get(f"/api/applications/{app_id}/").json()
    doc = next(d for d in body["documents"] if d["kind"] == "certificate")
    pdf = api(user).get(doc["pdf"], HTTP_ACCEPT_LANGUAGE="en").content
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())


def test_the_sweep_names_the_committed_limit_of_a_promised_item(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "MKT-002")
    travel(2026, 10, 17, 9)
    sweep()
    body = api(world.citizen).get(f"/api/applications/{app['id']}/").json()
    assert body["status"] == "deemed_approved"
    assert body["decision"]["lapsed_limit"] == {"kind": "committed", "days": 10, "committed_days": 10,
                                                "statutory_days": 20, "green_channel": False,
                                                "item_committed_days": 10}
    text = certificate_text(api, world.citizen, app["id"])
    assert "committed to" in text and "10 working days" in text and "statutory limit" in text and "20" in text
    assert "within the statutory time limit" not in text


def test_the_single_stage_service_writes_the_same_words(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "MKT-002")
    travel(2026, 10, 17, 9)
    stage_deem_approved(stage_id=stage_of(app, "MARKET"))
    body = api(world.citizen).get(f"/api/applications/{app['id']}/").json()
    assert body["decision"]["lapsed_limit"] == {"kind": "committed", "days": 10, "committed_days": 10,
                                                "statutory_days": 20, "green_channel": False,
                                                "item_committed_days": 10}
    assert "committed to" in certificate_text(api, world.citizen, app["id"])


def test_a_committed_limit_as_long_as_the_statutory_one_is_named_statutory(world, api, travel):
    ServiceItem.objects.filter(code="MKT-002").update(committed_days=20)
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "MKT-002")
    travel(2026, 11, 20, 9)
    sweep()
    body = api(world.citizen).get(f"/api/applications/{app['id']}/").json()
    assert body["decision"]["lapsed_limit"]["kind"] == "statutory"
    assert "within the statutory time limit (法定时限) of 20 working days" in certificate_text(
        api, world.citizen, app["id"])


def test_an_extension_is_part_of_the_limit_that_passed(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "MKT-002")
    assert api(world.head_market).post(f"/api/applications/{app['id']}/extend/",
                                       {"working_days": 5, "reason": "需专家论证"}, format="json").status_code == 200
    travel(2026, 11, 20, 9)
    sweep()
    limit = api(world.citizen).get(f"/api/applications/{app['id']}/").json()["decision"]["lapsed_limit"]
    assert (limit["kind"], limit["days"]) == ("committed", 15)


def test_an_approval_by_a_person_names_no_lapsed_limit(world, api):
    app = accepted(world, api, "MKT-002")
    api(world.reviewer_market).post(f"/api/stages/{stage_of(app, 'MARKET')}/approve/", {"opinion": "同意"},
                                    format="json")
    assert api(world.citizen).get(f"/api/applications/{app['id']}/").json()["decision"]["lapsed_limit"] is None


def test_the_chinese_certificate_says_承诺时限(world, api, travel):
    travel(2026, 9, 28, 10)
    app = accepted(world, api, "MKT-002")
    travel(2026, 10, 17, 9)
    sweep()
    body = api(world.citizen).get(f"/api/applications/{app['id']}/").json()
    doc = next(d for d in body["documents"] if d["kind"] == "certificate")
    pdf = api(world.citizen).get(doc["pdf"], HTTP_ACCEPT_LANGUAGE="zh-hans").content
    text = "".join("".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())
    assert "10个工作日的承诺时限内未作出决定" in text and "法定时限为20个工作日" in text



@pytest.mark.parametrize("path", ["sweep", "single"])
def test_a_green_channel_certificate_names_the_projects_limit_that_passed(world, api, travel, path):
    # KP-2026-001 runs MKT-002 (committed 10, statutory 20) on 5 working days: that is what passed.
    travel(2026, 9, 28, 10)
    app = apply(api, world.enterprise, accept_by=world.window)
    travel(2026, 10, 11, 0, 1)
    sweep() if path == "sweep" else stage_deem_approved(stage_id=stage_of(app, "MARKET"))
    body = api(world.enterprise).get(f"/api/applications/{app['id']}/").json()
    assert body["status"] == "deemed_approved"
    assert body["decision"]["lapsed_limit"] == {"kind": "committed", "days": 5, "committed_days": 5,
                                                "statutory_days": 20, "green_channel": True,
                                                "item_committed_days": 10}
    text = certificate_text(api, world.enterprise, app["id"]).replace(" ", "")  # PDF lines break inside words
    assert "green-channeltimelimit(绿色通道)ofthekeyproject,5workingdays" in text
    assert "committedlimit(承诺时限)of10workingdays" in text and "statutorylimit(法定时限)of20" in text
    assert "thecentercommittedto(承诺时限),10" not in text
