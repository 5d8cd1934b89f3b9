"""Shortcuts to bring an application to a state through the public API."""

from django.utils import timezone

from approvals.models import Application, Stage, StageStatus, Status
from portal.catalogue.models import ServiceItem
from tests.conftest import APPLICANT, upload

MATERIALS = {
    "MKT-001": ["FORM", "ID", "PREMISES"],
    "MKT-002": ["FORM", "LICENCE", "LAYOUT", "SAFETY"],
    "HSG-001": ["FORM", "LAND", "DRAWINGS", "EIA", "FIRE"],
    "FIRE-002": ["FORM", "LICENCE", "PLAN"],
    "MKT-003": ["FORM", "LICENCE", "LAYOUT", "PROCESS"],
    "HSG-002": ["FORM", "ID", "TITLE"],
}


def accepted(world, api, service="MKT-002") -> dict:
    citizen, clerk = api(world.citizen), api(world.window)
    app = citizen.post("/api/applications/", {"service": service, "applicant": APPLICANT}, format="json").json()
    for code in MATERIALS[service]:
        assert upload(citizen, app["id"], code).status_code == 201
    assert citizen.post(f"/api/applications/{app['id']}/submit/").status_code == 200
    response = clerk.post(f"/api/applications/{app['id']}/accept/")
    assert response.status_code == 200, response.json()
    return response.json()


def stage_of(app: dict, department: str) -> int:
    return next(s["id"] for s in app["stages"] if s["department"] == department)


def imported_stage(world, service="HSG-002", *, number="LS2026090100000001", lead=True):
    """An open application of one department written as history (as ``seed_demo --applications``
    writes it): no audit event; ``lead`` as the stage was stored."""
    now = timezone.now()
    item = ServiceItem.objects.get(code=service)
    application = Application.objects.create(
        service=item, status=Status.IN_REVIEW, number=number, applicant=world.citizen, applicant_name="历史申请人",
        applicant_id_number="11010519491231002X", created_by=world.window, created_at=now, submitted_at=now,
        accepted_at=now, due_at=now + timezone.timedelta(days=7))
    return Stage.objects.create(application=application, department=item.department, lead=lead, days=5,
                                status=StageStatus.PENDING, started_at=now, due_at=application.due_at)
