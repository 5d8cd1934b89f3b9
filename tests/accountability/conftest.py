import pytest

from accountability.services import case_open


@pytest.fixture
def opened_case(world):
    """A case against the MARKET reviewer, as a substantiated complaint opens it."""

    def make(subject=None, source_ref="TS202611000001", **kwargs):
        return case_open(subject=subject or world.reviewer_market, subject_role=kwargs.pop("subject_role", "direct"),
                         source=kwargs.pop("source", "complaint"), source_ref=source_ref,
                         summary=kwargs.pop("summary", "窗口拖延办理，查证属实。"), **kwargs)

    return make


def decided(api, world, case, sanction="efficiency_warning", **extra):
    """Start the investigation and decide (the subject is notified at once)."""
    worker = api(world.discipline)
    assert worker.post(f"/api/accountability/cases/{case.pk}/start-investigation/").status_code == 200
    response = worker.post(f"/api/accountability/cases/{case.pk}/decide/",
                           {"sanction": sanction, "reasoning": "超出承诺时限五个工作日。", **extra}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()
