"""工作台: where each official lands after signing in — his own work, counted, most urgent first.

A window clerk sees the intake queue and corrections due; a reviewer his department's stages by
due date; a department head extensions, suspensions and absences; a supervisor the alerts; the
discipline office complaints and cases. Counts stop at ``CAP`` (shown as "99+"), so a tile costs
one bounded index scan however large the tables grow.
"""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.models import CaseStatus
from accountability.permissions import cases_visible_to
from approvals.models import AlertRecord, Status
from approvals.permissions import applications_visible_to
from approvals.selectors import stage_queue
from complaints.models import ComplaintStatus
from complaints.permissions import complaints_visible_to
from inquiries.selectors import owned_by
from portal.organisation import roles
from portal.organisation.models import StaffProfile
from portal.organisation.selectors import in_reach

CAP = 100


def capped_count(queryset) -> str:
    # In no order: any CAP rows will do, so the planner may take them from whichever index is
    # cheapest (a department head's "in review" walked the newest applications of every department).
    n = queryset.order_by()[:CAP].count()
    return f"{CAP - 1}+" if n >= CAP else str(n)


def _tile(key, label, queryset, url, tone="") -> dict:
    return {"key": key, "label": label, "count": capped_count(queryset), "url": url, "tone": tone}


def clerk_section(user) -> dict:
    mine = applications_visible_to(user).select_related("service")
    queue = reverse("window-queue")
    return {
        "key": "window", "title": _("Window"),
        "tiles": [
            _tile("intake", _("Waiting for acceptance"), mine.filter(status=Status.SUBMITTED), queue + "#new"),
            _tile("corrections", _("Corrections due from applicants"), mine.filter(status=Status.CORRECTION_REQUESTED),
                  queue + "#corrections"),
            _tile("alerts", _("In review with an alert"), mine.filter(status=Status.IN_REVIEW, alert__in=["yellow", "red"]),
                  queue + "#due-soon", "warn"),
            _tile("inquiries", _("Inquiries I own"), owned_by(user), reverse("inquiry-list")),
        ],
        "rows_title": _("Next to accept"),
        "applications": mine.filter(status=Status.SUBMITTED).order_by("intake_due_at", "id")[:8],
    }


def reviewer_section(user) -> dict:
    stages = stage_queue(user)
    queue = reverse("review-queue")
    return {
        "key": "review", "title": _("Review"),
        "tiles": [
            _tile("pending", _("Stages to claim"), stages.filter(status="pending"), queue + "?status=pending"),
            _tile("claimed", _("Claimed by me"), stages.filter(status="claimed", assignee=user), queue + "?status=claimed"),
            _tile("alerted", _("Stages with an alert"), stages.filter(alert__in=["yellow", "red"]), queue, "warn"),
        ],
        "rows_title": _("Due soonest"),
        "stages": stages[:8],
    }


def head_section(user) -> dict:
    profile = getattr(user, "staff_profile", None)
    department_id = profile.department_id if profile else None
    apps = applications_visible_to(user)
    return {
        "key": "head", "title": _("Department head"),
        "tiles": [
            _tile("in_review", _("In review (may be extended once)"), apps.filter(Q(extended_days__isnull=True) | Q(extended_days=0), status=Status.IN_REVIEW),
                  reverse("review-queue")),
            _tile("suspended", _("Suspended for a statutory procedure"), apps.filter(status=Status.SUSPENDED),
                  reverse("review-queue")),
            _tile("absent", _("Officials absent (B post covers)"),
                  StaffProfile.objects.filter(department_id=department_id, absent=True), reverse("staff-posts")),
        ],
    }


def supervisor_section(user) -> dict:
    since = timezone.now() - timedelta(days=30)
    # A township's supervisor counts and opens only the alerts of its centers, as on the alert page.
    alerts = AlertRecord.objects.filter(in_reach(user, "department__center"), raised_at__gte=since)
    return {
        "key": "supervision", "title": _("Electronic supervision"),
        "tiles": [
            _tile("red", _("Red alerts, last 30 days"), alerts.filter(level="red"),
                  reverse("supervision-alerts") + "?level=red", "danger"),
            _tile("yellow", _("Yellow alerts, last 30 days"), alerts.filter(level="yellow"),
                  reverse("supervision-alerts") + "?level=yellow", "warn"),
            _tile("open_cases", _("Open accountability cases"),
                  cases_visible_to(user).exclude(status=CaseStatus.FINAL), reverse("case-list")),
        ],
        "rows_title": _("Latest alerts"),
        "alerts": alerts.select_related("application", "department", "assignee__staff_profile")
        .order_by("-raised_at", "-id")[:8],
    }


def discipline_section(user) -> dict:
    complaints = complaints_visible_to(user)
    cases = cases_visible_to(user)
    return {
        "key": "discipline", "title": _("Complaints and cases"),
        "tiles": [
            _tile("filed", _("Complaints to accept or refuse"), complaints.filter(status=ComplaintStatus.FILED),
                  reverse("complaint-queue") + "?status=filed", "warn"),
            _tile("investigating", _("Complaints under investigation"),
                  complaints.filter(status__in=[ComplaintStatus.ACCEPTED, ComplaintStatus.INVESTIGATING,
                                                ComplaintStatus.REOPENED]), reverse("complaint-queue")),
            _tile("cases", _("Cases to work"), cases.filter(status__in=[CaseStatus.OPENED, CaseStatus.INVESTIGATING,
                                                                        CaseStatus.DECIDED, CaseStatus.APPEALED]),
                  reverse("case-list")),
        ],
    }


def sections_for(user) -> list[dict]:
    """The workbench of ``user``: one section per role he holds, in the order of the hall."""
    sections = []
    if roles.has_role(user, roles.WINDOW_CLERK):
        sections.append(clerk_section(user))
    if roles.has_role(user, roles.REVIEWER) or roles.has_role(user, roles.DEPARTMENT_HEAD):
        sections.append(reviewer_section(user))
    if roles.has_role(user, roles.DEPARTMENT_HEAD):
        sections.append(head_section(user))
    if roles.supervises(user):
        sections.append(supervisor_section(user))
    if roles.in_discipline_office(user):
        sections.append(discipline_section(user))
    return sections

