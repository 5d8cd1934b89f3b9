"""书面说明和整改报告: a substantiated complaint asks the department's principal (主要负责人)
for a written explanation and rectification report within a limit in working days; a
missing report raises an alert and opens a case against him, once."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from accountability.models import AccountabilityCase
from complaints.models import RectificationReport
from portal.notifications.models import Notification
from portal.sweep import sweep
from supervision.demo import demo_responsible_persons_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaders(world, settings):
    settings.RECTIFICATION_REPORT_WORKING_DAYS = 3
    demo_responsible_persons_seed()
    return User.objects.get(username="principal_market")


@pytest.fixture
def substantiated(world, travel, file_complaint, steps, leaders):
    """A complaint against the MARKET reviewer, substantiated on Monday 2026-11-02."""
    travel(2026, 11, 2, 10)
    complaint = file_complaint(staff_badge="M0201", category="delay", description="拖延办理二十天。")
    steps.accept(complaint)
    steps.assign(complaint)
    steps.conclude(complaint, "substantiated")
    return complaint


def test_a_substantiated_complaint_asks_the_principal_for_a_report_within_the_limit(world, api, client,
                                                                                    substantiated, leaders):
    report = RectificationReport.objects.get()
    assert (report.principal, report.department.code) == (leaders, "MARKET")
    assert timezone.localtime(report.due_at).isoformat() == "2026-11-05T23:59:59.999999+08:00"
    assert Notification.objects.filter(user=leaders, event="rectification_requested").count() == 1
    body = api(leaders).get("/api/complaints/rectification-reports/").json()
    assert [(r["complaint"], r["state"]) for r in body["results"]] == [(substantiated["number"], "due")]
    client.force_login(world.discipline)
    page = client.get(f"/discipline/complaints/{substantiated['id']}/").content.decode()
    assert 'id="rectification"' in page and 'data-state="due"' in page


def test_a_missing_report_raises_the_alert_and_opens_one_case_against_the_principal(world, api, client, travel,
                                                                                   substantiated, leaders):
    travel(2026, 11, 5, 23, 59)
    assert sweep()["rectification_reports_overdue"] == 0
    travel(2026, 11, 6, 0, 1)
    assert sweep()["rectification_reports_overdue"] == 1
    assert sweep()["rectification_reports_overdue"] == 0
    case = AccountabilityCase.objects.get(source="missing_report")
    assert (case.subject, case.subject_role, case.source_ref, case.department.code) == (
        leaders, "principal", substantiated["number"], "MARKET")
    assert RectificationReport.objects.get().case_number == case.number
    assert Notification.objects.filter(user=world.supervisor, event="rectification_overdue").count() == 1
    assert Notification.objects.filter(user=leaders, event="rectification_overdue").count() == 1
    client.force_login(world.supervisor)
    page = client.get("/supervision/").content.decode()
    assert 'data-missing-report="' in page and 'data-state="overdue"' in page
    # Submitted late, it is still taken, marked late; the case stands.
    response = api(leaders).post(f"/api/complaints/rectification-reports/{RectificationReport.objects.get().pk}"
                                 "/submit/", {"explanation": "窗口人员不足。", "measures": "增设AB岗。"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["late"]) == ("submitted", True)
    sweep()
    assert AccountabilityCase.objects.filter(source="missing_report").count() == 1


def test_a_report_in_time_opens_no_case_and_goes_to_the_supervisors(world, api, client, travel, substantiated,
                                                                     leaders):
    report = RectificationReport.objects.get()
    url = f"/api/complaints/rectification-reports/{report.pk}/submit/"
    assert api(world.head_market).post(url, {"explanation": "x", "measures": "y"}, format="json").status_code == 404
    assert api(leaders).post(url, {"explanation": "", "measures": "y"}, format="json").status_code == 400
    travel(2026, 11, 4, 10)
    client.force_login(leaders)
    response = client.post(f"/complaints/rectification/{report.pk}/",
                           {"explanation": "经办人未按时处理。", "measures": "已约谈经办人并建立督办台账。"})
    assert response.status_code == 302
    assert api(leaders).post(url, {"explanation": "x", "measures": "y"}, format="json").status_code == 409
    assert Notification.objects.filter(user=world.supervisor, event="rectification_submitted").count() == 1
    travel(2026, 11, 20, 10)
    sweep()
    assert not AccountabilityCase.objects.filter(source="missing_report").exists()
    detail = api(world.supervisor).get(f"/api/complaints/rectification-reports/{report.pk}/").json()
    assert (detail["state"], detail["late"], detail["measures"]) == ("submitted", False, "已约谈经办人并建立督办台账。")


def test_outsiders_do_not_see_reports_and_an_unsubstantiated_complaint_asks_none(
        world, api, client, travel, file_complaint, steps, leaders):
    travel(2026, 11, 2, 10)
    complaint = file_complaint(staff_badge="M0201")
    steps.accept(complaint)
    steps.assign(complaint)
    steps.conclude(complaint, "unsubstantiated")
    assert not RectificationReport.objects.exists()
    assert api(world.reviewer_market).get("/api/complaints/rectification-reports/").json()["count"] == 0
    client.force_login(world.citizen)
    assert client.get("/complaints/rectification/").status_code == 403


def test_without_a_named_principal_the_head_reports(world, travel, file_complaint, steps, settings):
    travel(2026, 11, 2, 10)
    complaint = file_complaint(staff_badge="M0201")
    steps.accept(complaint)
    steps.assign(complaint)
    steps.conclude(complaint, "partly")
    assert RectificationReport.objects.get().principal == world.head_market


def test_a_bribery_finding_opens_a_serious_case(world, travel, file_complaint, steps, leaders):
    travel(2026, 11, 2, 10)
    complaint = file_complaint(staff_badge="M0201", category="bribery", description="索要好处费。")
    steps.accept(complaint)
    steps.assign(complaint)
    steps.conclude(complaint, "substantiated")
    assert AccountabilityCase.objects.get(source="complaint").severity == "serious"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_open_one_case_for_a_missing_report(world, travel, file_complaint, steps, leaders):
    from tests.approvals.test_races_pg import run_together
    from complaints.rectification import rectification_overdue_batch

    travel(2026, 11, 2, 10)
    for _ in range(3):
        complaint = file_complaint(staff_badge="M0201")
        steps.accept(complaint)
        steps.assign(complaint)
        steps.conclude(complaint, "substantiated")
    travel(2026, 11, 9, 10)
    results = run_together(*[lambda: rectification_overdue_batch(timezone.now(), 2) for _ in range(3)])
    assert all(kind == "ok" for kind, _ in results), results
    sweep()
    assert AccountabilityCase.objects.filter(source="missing_report").count() == 3
    assert RectificationReport.objects.filter(overdue_at__isnull=False).count() == 3
