"""Helpers of the complaint and rating tests: a complaint filed over the API, taken
through its steps, and an application decided at the counter (MKT-001, 首席代表制)."""

import pytest

from tests.conftest import APPLICANT, upload

# The official complained about in most tests: the window clerk, badge C0101.
CLERK_BADGE = "C0101"
COMPLAINANT_CONTACT = "13912345678"
COMPLAINANT_EMAIL = "complainant@example.invalid"


@pytest.fixture
def file_complaint(api):
    """file_complaint(client=None, **fields) → the 201 body {id, number, code, …}."""

    def go(client=None, **fields):
        body = {"category": "attitude", "description": "窗口工作人员态度恶劣，拒绝解答问题。",
                "staff_badge": CLERK_BADGE, "anonymous": True, "contact": COMPLAINANT_CONTACT, **fields}
        response = (client or api()).post("/api/complaints/", body, format="json")
        assert response.status_code == 201, response.json()
        return response.json()

    return go


@pytest.fixture
def steps(world, api):
    """The office's steps over the API, each asserting success and returning the complaint."""

    class Steps:
        office = api(world.discipline)

        def _post(self, client, complaint, action, body=None):
            response = client.post(f"/api/complaints/{complaint['id']}/{action}/", body or {}, format="json")
            assert response.status_code == 200, (action, response.json())
            return response.json()

        def accept(self, complaint):
            return self._post(self.office, complaint, "accept")

        def assign(self, complaint, investigator="discipline"):
            return self._post(self.office, complaint, "assign", {"investigator": investigator})

        def conclude(self, complaint, finding="substantiated", investigator=None):
            client = api(investigator or world.discipline)
            return self._post(client, complaint, "conclude", {"finding": finding, "summary": "经核实，情况属实。"})

        def reply(self, complaint, investigator=None):
            client = api(investigator or world.discipline)
            return self._post(client, complaint, "reply", {"text": "已对该工作人员进行批评教育，感谢您的监督。"})

        def through_reply(self, complaint, finding="substantiated"):
            self.accept(complaint)
            self.assign(complaint)
            self.conclude(complaint, finding)
            return self.reply(complaint)

        def feedback(self, complaint, satisfied):
            response = api().post(f"/api/complaints/{complaint['id']}/feedback/",
                                  {"satisfied": satisfied, "number": complaint["number"], "code": complaint["code"]},
                                  format="json")
            assert response.status_code == 200, response.json()
            return response.json()

    return Steps()


@pytest.fixture
def decided_application(world, api):
    """decided_application(citizen=world.citizen) → an MKT-001 application approved on
    site by the window clerk right now (the one clock), as the API shows it."""

    def go(citizen=None):
        applicant = api(citizen or world.citizen)
        clerk = api(world.window)
        app = applicant.post("/api/applications/", {"service": "MKT-001", "applicant": APPLICANT},
                             format="json").json()
        for code in ("FORM", "ID", "PREMISES"):
            assert upload(applicant, app["id"], code).status_code == 201
        assert applicant.post(f"/api/applications/{app['id']}/submit/").status_code == 200
        assert clerk.post(f"/api/applications/{app['id']}/accept/").status_code == 200
        decided = clerk.post(f"/api/applications/{app['id']}/decide-on-site/")
        assert decided.status_code == 200, decided.json()
        assert decided.json()["status"] == "approved"
        return decided.json()

    return go
