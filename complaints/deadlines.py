"""Steps of the one deadline sweep (portal.sweep, SPEC §5) for complaints and ratings.

Each step claims due rows ``ORDER BY <instant> … FOR UPDATE SKIP LOCKED``, acts on
them in the same transaction and clears or sets what made them due, so a handled
row is never selected again: every reminder, escalation, default rating and overdue
mark happens exactly once. The instants are defined in ``complaints.limits``.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from approvals.models import DECIDED, DECIDED_OUTCOMES, Application
from complaints import emails, notifications
from complaints.evaluations import evaluation_for
from complaints.limits import rating_cutoff
from complaints.rectification import rectification_overdue_batch
from complaints.models import Complaint, DefaultRatingMark, Evaluation, FollowUp, FollowUpStatus, Level, RatingSource
from portal.audit.services import AuditEntry, audit_log_many
from portal.locking import bookmark_claimed
from portal.notifications.outbox import enqueue
from portal.organisation.selectors import SupervisorsOf
from portal.sweep import claim_batch

# Outcomes of DECIDED applications: the register's, and none for one not accepted. They lead
# the index the default-rating step reads through.
RATED_OUTCOMES = (*DECIDED_OUTCOMES, "")


def _complaint_entry(complaint: Complaint, action: str, note: str) -> AuditEntry:
    return AuditEntry(object_type="complaint", object_id=complaint.pk, action=action, from_status=complaint.status,
                      to_status=complaint.status, note=note, data={"due_at": complaint.due_at.isoformat()})


def _complaint_reminder_batch(now, batch: int) -> int:
    """A reminder the day after a missed limit (to the office and the investigator)."""
    with transaction.atomic():
        rows = claim_batch(Complaint.objects.filter(remind_at__lt=now).select_related("investigator"), "remind_at", batch)
        office = notifications.office()
        entries, messages = [], []
        for complaint in rows:
            complaint.remind_at, complaint.reminded_at = None, now
            entries.append(_complaint_entry(complaint, "remind", _("limit missed: reminder sent")))
            people = notifications.without_accused(complaint, [*office, complaint.investigator])
            messages += emails.staff_complaint_messages(complaint, "reminder", people)
        Complaint.objects.bulk_update(rows, ["remind_at", "reminded_at"])
        audit_log_many(actor=None, entries=entries, at=now)
        enqueue(messages)
    return len(rows)


def _complaint_escalation_batch(now, batch: int) -> int:
    """5 working days after the reminder, still unanswered: escalated to the supervisors of
    the center concerned."""
    with transaction.atomic():
        rows = claim_batch(Complaint.objects.filter(escalate_at__lt=now), "escalate_at", batch)
        entries, messages, supervisors_of = [], [], SupervisorsOf()
        for complaint in rows:
            # The supervisors of the complaint's center (every one when it names no department).
            supervisors = supervisors_of(complaint.department_id)
            complaint.escalate_at, complaint.escalated_at = None, now
            entries.append(_complaint_entry(complaint, "escalate", _("still unanswered: escalated to the supervisor")))
            messages += emails.staff_complaint_messages(
                complaint, "escalated", notifications.without_accused(complaint, supervisors))
        Complaint.objects.bulk_update(rows, ["escalate_at", "escalated_at"])
        audit_log_many(actor=None, entries=entries, at=now)
        enqueue(messages)
    return len(rows)


def _first_unrated(due, batch: int) -> list[int]:
    """The ids of the ``batch`` earliest decided applications of ``due`` (those without a rating).

    One ordered walk of the index (outcome, decided_at) per outcome, each stopping after
    ``batch`` rows without a rating (NOT EXISTS: an anti-join the walk probes row by row), merged
    here. Asked as one query over the four outcomes, PostgreSQL cannot walk that index in
    decided_at order, so it read and sorted every decided application without a rating: 8.2-8.9 s
    a batch of 1,000 in a million-application database whose history was never rated (a legacy
    import, a long outage of the sweep), against milliseconds this way (BENCHMARKS.md)."""
    found = []
    for outcome in RATED_OUTCOMES:
        found += due.filter(outcome=outcome).order_by("decided_at", "pk").values_list("decided_at", "pk")[:batch]
    return [pk for _, pk in sorted(found)[:batch]]


def _default_rating_batch(now, batch: int) -> int:
    """好差评: 7 days after the decision without a rating, it counts as 基本满意."""
    cutoff = rating_cutoff(now)
    with transaction.atomic():
        mark = bookmark_claimed(DefaultRatingMark)
        if mark is None:
            return 0
        due = Application.objects.filter(~Exists(Evaluation.objects.filter(application=OuterRef("pk"))),
                                         status__in=DECIDED, decided_at__lt=cutoff)
        if mark.decided_before is not None:
            due = due.filter(decided_at__gte=mark.decided_before)
        # The bookmark serialises sweepers, so wait for rows a person holds instead of
        # skipping them: a skipped row would fall behind the bookmark for good.
        rows = claim_batch(due.filter(pk__in=_first_unrated(due, batch))
                           .select_related("service", "intake_clerk__staff_profile__window"), "decided_at", batch,
                           skip_locked=False)
        evaluations = Evaluation.objects.bulk_create(
            [evaluation_for(a, score=Level.BASICALLY_SATISFIED, source=RatingSource.DEFAULT, now=now) for a in rows])
        audit_log_many(actor=None, at=now, entries=[
            AuditEntry(object_type="evaluation", object_id=e.pk, action="rate_default",
                       note=_("no rating within 7 days: basically satisfied"),
                       data={"application": e.application.number, "score": e.score})
            for e in evaluations])
        if len(rows) < batch:
            mark.decided_before = cutoff
            mark.save(update_fields=["decided_before"])
    return len(rows)


def _follow_up_overdue_batch(now, batch: int) -> int:
    """A bad rating's follow-up not done within its limit is marked overdue, once, and
    the unit and the supervisors are told."""
    with transaction.atomic():
        rows = claim_batch(FollowUp.objects.filter(status=FollowUpStatus.OPEN, overdue=False, due_at__lt=now)
                      .select_related("evaluation__application", "evaluation__service"), "due_at", batch)
        entries = []
        for follow_up in rows:
            follow_up.overdue, follow_up.overdue_marked_at = True, now
            entries.append(AuditEntry(object_type="followup", object_id=follow_up.pk, action="overdue",
                                      from_status=follow_up.status, to_status=follow_up.status,
                                      data={"due_at": follow_up.due_at.isoformat()}))
            notifications.notify_unit(follow_up, "overdue", with_supervisors=True)
        FollowUp.objects.bulk_update(rows, ["overdue", "overdue_marked_at"])
        audit_log_many(actor=None, entries=entries, at=now)
    return len(rows)


STEPS = [
    ("complaint_reminders", _complaint_reminder_batch),
    ("rectification_reports_overdue", rectification_overdue_batch),
    ("complaint_escalations", _complaint_escalation_batch),
    ("default_ratings", _default_rating_batch),
    ("follow_ups_overdue", _follow_up_overdue_batch),
]
