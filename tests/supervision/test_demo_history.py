"""Issue 12: `make run` shows a believable supervision dashboard on a first look. seed_demo
--history seeds a last month of work — decisions on time, on site, refused, one late, one
deemed approval with its case, some still in review within their limit, ratings with a bad
one and its follow-up, one substantiated complaint — once, leaving the SPEC §7 users and
items as they are, and consistent with the rules (the sweep has nothing to add)."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from accountability.models import AccountabilityCase
from approvals.models import OPEN_STAGE, Application, Stage
from complaints.models import Complaint, Evaluation, FollowUp
from portal.catalogue.models import ServiceItem
from supervision.demo_history import HISTORY_APPLICANT

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def history(world, travel):
    travel(2026, 11, 20, 10)
    call_command("seed_demo", verbosity=0)
    before = (set(User.objects.values_list("username", flat=True)),
              set(ServiceItem.objects.values_list("code", "published")))
    call_command("seed_demo", history=True, verbosity=0)
    return before


def test_the_dashboard_has_a_month_of_figures(world, api, history):
    body = api(world.supervisor).get("/api/stats/departments/").json()
    rows = {r["department"]: r for r in body["results"]}
    decided = sum(r["decided"] for r in rows.values())
    assert 24 <= decided <= 60
    assert all(rows[code]["decided"] > 0 for code in ("MARKET", "HOUSING", "FIRE"))
    assert sum(r["evaluations"] or 0 for r in rows.values()) >= 10
    assert sum(r["complaints_substantiated"] or 0 for r in rows.values()) == 1
    assert sum(r["deemed_approvals"] for r in rows.values()) == 1
    assert sum(r["onsite"] for r in rows.values()) >= 5
    assert sum(r["alerts"]["red"] for r in rows.values()) == 1
    on_time = sum(r["on_time"] for r in rows.values()) / decided
    assert 0.85 <= on_time < 1
    assert any(r["below_target"] for r in rows.values()) and any(r["assessment_score"] < 100 for r in rows.values())


def test_the_users_and_items_of_the_demo_world_stay_as_they_are(world, history):
    users, items = history
    assert set(User.objects.values_list("username", flat=True)) == users
    assert set(ServiceItem.objects.values_list("code", "published")) == items


def test_seeding_it_again_adds_nothing(world, history):
    counts = (Application.objects.count(), Evaluation.objects.count(), Complaint.objects.count(),
              AccountabilityCase.objects.count())
    call_command("seed_demo", history=True, verbosity=0)
    assert (Application.objects.count(), Evaluation.objects.count(), Complaint.objects.count(),
            AccountabilityCase.objects.count()) == counts


def test_the_history_keeps_the_rules(world, travel, history):
    from portal.sweep import sweep

    apps = Application.objects.filter(applicant_name=HISTORY_APPLICANT)
    assert apps.filter(status="in_review").exists()
    assert all(a.number.startswith("LS") and a.number.endswith(f"{a.pk:08d}") for a in apps)
    assert all(a.accepted_at <= a.decided_at for a in apps.exclude(decided_at=None))
    stages = Stage.objects.filter(application__in=apps)
    assert not stages.filter(status__in=OPEN_STAGE, due_at__lt=timezone.now()).exists()
    deemed = apps.get(status="deemed_approved")
    assert AccountabilityCase.objects.filter(source="deemed_approval", source_ref=deemed.number).count() == 1
    assert Complaint.objects.get().case_number
    assert FollowUp.objects.filter(evaluation__score__lte=2).count() == Evaluation.objects.filter(score__lte=2).count()
    cases = AccountabilityCase.objects.count()
    sweep()
    assert AccountabilityCase.objects.count() == cases
    assert not Stage.objects.filter(application__in=apps, status="deemed_approved").exclude(
        application=deemed).exists()


def test_make_run_seeds_the_history():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert re.search(r"seed_demo --history", run)
