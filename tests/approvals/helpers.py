"""Shortcuts to bring an application to a state through the public API."""

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
