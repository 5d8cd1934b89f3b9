"""seed_demo --applications N: history for dashboards and benchmarks, written with COPY."""

import pytest
from django.core.management import call_command

from approvals.models import Application, Stage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.heavy(seconds=30)]


def test_generated_history_is_complete_numbered_and_never_overdue_while_open():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", applications=300, verbosity=0)
    call_command("seed_demo", applications=200, verbosity=0)  # adds to what is there, ids keep going
    apps = list(Application.objects.filter(applicant_name="历史申请人"))
    assert len(apps) == 500
    assert len({a.number for a in apps}) == 500
    assert all(a.number.endswith(f"{a.pk:08d}") and a.number.startswith("LS") for a in apps)
    assert all(a.tracking_code and a.due_at and a.accepted_at <= a.due_at for a in apps)
    statuses = {a.status for a in apps}
    assert {"in_review", "approved", "denied", "deemed_approved"} <= statuses
    stages = Stage.objects.filter(application__in=apps)
    # Every application has its item's stages (joint items several), all started at acceptance.
    assert stages.values("application").distinct().count() == 500
    assert stages.count() > 500
    assert not stages.exclude(application__status="in_review").exclude(status="approved").exists()
    open_stages = stages.filter(application__status="in_review")
    assert not open_stages.exclude(status="pending").exists()
    # Nothing generated is past its limit, so the sweep has nothing to do with it.
    from portal.sweep import sweep

    assert sweep().deemed_approved_stages == 0
    # The sequence continues after the reserved ids: an ordinary application gets a fresh id.
    top = Application.objects.order_by("-pk").first().pk
    assert Application.objects.create(service=apps[0].service, applicant_name="新", created_by=apps[0].created_by,
                                      created_at=apps[0].created_at).pk > top
