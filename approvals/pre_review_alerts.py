"""提前介入 预审 under 电子监察 (seed 001 line 43; issue 13 item 5): a pre-review is answered within
settings.PRE_REVIEW_WORKING_DAYS working days of its request. Its clock is watched like every
other: yellow when 20% or less of it is left (at the latest one working day before), red when
it has passed — each raised once, recorded on the pre-review (``yellow_at``/``red_at``), as an
alert record of the item's department (``AlertRecord.pre_review``: GET /api/alerts/, the
supervisors' alert page and figures, as stage alerts) and in the application's history, and told to the head of the item's department and the supervisors
of its center (and the project manager of a key project's application), who see that the
window or the department answers. The application's own clock is not touched: it starts only
at the formal submission.

A deadline-sweep step (settings.DEADLINE_STEP_MODULES): it claims the pre-reviews' own rows
(SKIP LOCKED); a person answering locks the same row, so whichever commits first wins."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from approvals.emails import staff_message
from approvals.models import AlertRecord, Status
from portal.audit.services import AuditEntry, audit_log_many
from portal.notifications.outbox import enqueue
from portal.organisation.selectors import SupervisorsOf
from portal.sweep import claim_batch
from projects.models import PreReview, PreReviewAlert, PreReviewStatus


def pre_reviews_alert(reviews: list[PreReview], level: str, *, now) -> None:
    """Raise ``level`` (yellow or red) on each pre-review (rows locked by the caller): record it,
    write it into the application's history and tell who must see it answered."""
    if not reviews:
        return
    supervisors_of = SupervisorsOf()
    records, entries, messages = [], [], []
    with translation.override(settings.LANGUAGE_CODE):
        for review in reviews:
            application = review.application
            department = application.service.department
            label = application.number or _("draft no. %(id)d") % {"id": application.pk}
            if level == PreReviewAlert.RED:
                note = _("pre-review (预审) not answered within %(days)d working days (due %(due)s)")
                subject = _("Red alert: the pre-review of %(application)s is late")
            else:
                note = _("pre-review (预审) to be answered within %(days)d working days (due %(due)s)")
                subject = _("Yellow alert: the pre-review of %(application)s is due soon")
            note = note % {"days": settings.PRE_REVIEW_WORKING_DAYS, "due": review.due_at.isoformat()}
            subject = subject % {"application": label}
            body = _("%(service)s, %(application)s: %(note)s. The window or a reviewer of a department concerned "
                     "answers it.") % {"service": application.service.name, "application": label, "note": note}
            records.append(AlertRecord(level=level, application=application, pre_review=review,
                                       department_id=department.pk, raised_at=now, due_at=review.due_at,
                                       note=note[:300]))
            entries.append(AuditEntry(object_type="application", object_id=application.pk,
                                      action=f"pre_review_{level}", from_status=application.status,
                                      to_status=application.status, note=note, data={"pre_review": review.pk}))
            project = application.key_project
            told = {department.head, *supervisors_of(department.pk), project.manager if project else None}
            messages += [staff_message(p, f"alert_{level}", subject, body, ref=application.number or "")
                         for p in told if p is not None]
    PreReview.objects.filter(pk__in=[r.pk for r in reviews]).update(alert=level, **{f"{level}_at": now})
    AlertRecord.objects.bulk_create(records, ignore_conflicts=True)
    audit_log_many(actor=None, entries=entries, at=now)
    enqueue(messages)


def _claim(condition: Q, order: str, batch: int) -> list[PreReview]:
    # A draft submitted without waiting for its pre-review needs no answer any more.
    return claim_batch(
        PreReview.objects.filter(condition, status=PreReviewStatus.REQUESTED, application__status=Status.DRAFT)
        .select_related("application__service__department__head", "application__key_project__manager"),
        order, batch)


def _red_batch(now, batch: int) -> int:
    """Pre-reviews still waiting past their limit, not yet red (overdue ones go red directly)."""
    with transaction.atomic():
        rows = _claim(~Q(alert=PreReviewAlert.RED) & Q(due_at__lt=now), "due_at", batch)
        pre_reviews_alert(rows, PreReviewAlert.RED, now=now)
    return len(rows)


def _yellow_batch(now, batch: int) -> int:
    """Pre-reviews with 20% or less of their limit left, not yet alerted."""
    with transaction.atomic():
        rows = _claim(Q(alert=PreReviewAlert.NONE, warn_at__lt=now), "warn_at", batch)
        pre_reviews_alert(rows, PreReviewAlert.YELLOW, now=now)
    return len(rows)


STEPS = (("pre_review_red_alerts", _red_batch), ("pre_review_yellow_alerts", _yellow_batch))
