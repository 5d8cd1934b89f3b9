"""Shortcuts to bring an inquiry to a state through the public API, and rows stored as they are
for the lists' tests."""

from datetime import datetime, timedelta

from inquiries.models import Inquiry
from tests.conftest import SHANGHAI

WALK_IN = {"subject": "开饭店要办什么证", "question": "我想在人民路开一家小饭店，需要办理哪些证照？",
           "channel": "walk_in", "citizen_name": "陈民", "citizen_contact": "13800138000"}
ONLINE = {"subject": "施工许可要多久", "question": "建筑工程施工许可一般多少个工作日办结？", "department": "HOUSING"}


def walk_in(api, clerk, **extra) -> dict:
    response = api(clerk).post("/api/inquiries/", {**WALK_IN, **extra}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def online(api, citizen, **extra) -> dict:
    response = api(citizen).post("/api/inquiries/", {**ONLINE, **extra}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def referred(api, world, department="HOUSING") -> dict:
    inquiry = walk_in(api, world.window)
    response = api(world.window).post(f"/api/inquiries/{inquiry['id']}/refer/",
                                      {"department": department, "note": "请答复施工许可时限"}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def answered(api, world) -> dict:
    inquiry = referred(api, world)
    response = api(world.reviewer_housing).post(f"/api/inquiries/{inquiry['id']}/answer/",
                                                {"answer": "承诺时限10个工作日。"}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def actions(inquiry: dict) -> list[str]:
    return [e["action"] for e in inquiry["events"]]


def stored(world, number, subject, *, citizen="citizen", status="unclaimed", asked=None, created_by=None,
           **fields) -> Inquiry:
    """An inquiry row written as is (no service, no audit): a list's test data; asked by the demo
    citizen unless ``citizen`` is another (or None: a walk-in, recorded by ``created_by``)."""
    asked = asked or datetime(2026, 11, 2, 10, tzinfo=SHANGHAI)
    citizen = world.citizen if citizen == "citizen" else citizen
    return Inquiry.objects.create(
        number=number, channel="online", subject=subject, question="？", citizen=citizen,
        created_by=created_by or citizen, created_at=asked, status=status, limit_days=5,
        warn_at=asked + timedelta(days=4), due_at=asked + timedelta(days=5), **fields)
