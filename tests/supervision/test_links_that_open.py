"""Issue 12's crawler found links to pages their reader may not open (a 404 behind a link): a
department head's figures listed the cases of his department as links although he opens only
those against himself; a township supervisor's workbench listed the county's alerts; the
discipline office's dashboard linked to the center's figures, which only a supervisor reads."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from accountability.models import AccountabilityCase
from approvals.models import Alert, AlertRecord, Application
from portal.organisation.models import Department
from tests.approvals.helpers import accepted

pytestmark = pytest.mark.django_db


def _case(number, subject):
    return AccountabilityCase.objects.create(
        number=number, subject=subject, subject_role="direct", source="referral", source_ref=number,
        department=Department.objects.get(code="MARKET"), opened_at=timezone.now(), status="opened")


def test_a_head_sees_his_departments_cases_and_opens_only_his_own(world, client):
    own, other = _case("ZR2026-000001", world.head_market), _case("ZR2026-000002", world.reviewer_market)
    client.force_login(world.head_market)
    page = client.get("/supervision/departments/MARKET/").content.decode()
    assert f'href="/accountability/cases/{own.pk}/"' in page
    assert other.number in page and f'href="/accountability/cases/{other.pk}/"' not in page
    assert client.get(f"/accountability/cases/{own.pk}/").status_code == 200
    client.force_login(world.supervisor)
    assert f'href="/accountability/cases/{other.pk}/"' in client.get("/supervision/departments/MARKET/").content.decode()


def test_a_township_supervisors_workbench_lists_only_his_centers_alerts(world, api, client):
    application = Application.objects.get(pk=accepted(world, api)["id"])
    AlertRecord.objects.create(level=Alert.RED, application=application, raised_at=timezone.now(),
                               department=Department.objects.get(code="MARKET"), due_at=timezone.now())
    client.force_login(User.objects.get(username="supervisor_town"))
    page = client.get("/workbench/").content.decode()
    assert f'href="/applications/{application.pk}/"' not in page
    client.force_login(world.supervisor)
    assert f'href="/applications/{application.pk}/"' in client.get("/workbench/").content.decode()


def test_the_discipline_dashboard_links_no_center_figures_it_may_not_read(world, client):
    client.force_login(world.discipline)
    page = client.get("/supervision/").content.decode()
    assert "/figures/" not in page
    assert client.get("/centers/CITY/figures/").status_code == 404
