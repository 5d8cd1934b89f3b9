"""责任追究落实不到位: accountability for failing to pursue accountability.

A case not decided within ``settings.CASE_DECISION_WORKING_DAYS`` working days of its
opening (the day of opening not counted, SPEC §3) is escalated by this step of the
deadline sweep to the head of the discipline office (the head of the department
``settings.DISCIPLINE_DEPARTMENT_CODE``; every discipline officer when it has none),
once per case, and listed on the supervision dashboard.

Like every sweep step it is set-based and idempotent: it claims the due cases
``FOR UPDATE SKIP LOCKED`` (a case worker deciding holds the row, so a decision and
this step serialise), and an ``UndecidedEscalation`` per case (one-to-one) marks it
escalated, so no case is escalated twice, however many sweeps run.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet

from accountability import emails
from accountability.models import AccountabilityCase, UndecidedEscalation
from accountability.selectors import UNDECIDED
from portal.audit.services import AuditEntry, audit_log_many
from portal.notifications.outbox import enqueue
from portal.organisation import roles
from portal.organisation.models import Department
from portal.sweep import claim_batch
from portal.workcalendar.calendar import left_since

def discipline_head():
    """纪检监察组组长: the head of the discipline office (None when it has none)."""
    head_id = (Department.objects.filter(code=settings.DISCIPLINE_DEPARTMENT_CODE)
               .values_list("head", flat=True).first())
    return get_user_model().objects.filter(pk=head_id, is_active=True).first() if head_id else None


def due_cases(now) -> QuerySet[AccountabilityCase]:
    """Cases undecided past their limit at ``now`` and not escalated yet."""
    return AccountabilityCase.objects.filter(status__in=UNDECIDED,
                                             opened_at__lte=left_since(now, settings.CASE_DECISION_WORKING_DAYS),
                                             undecided_escalation__isnull=True)


def undecided_cases_escalate(now, batch: int) -> int:
    """Deadline-sweep step: escalate each case undecided past its limit, once."""
    with transaction.atomic():
        cases = claim_batch(due_cases(now), "opened_at", batch)
        if not cases:
            return 0
        head = discipline_head()
        # Without a head, every discipline officer is told.
        heads = [head] if head else list(get_user_model().objects.filter(
            is_active=True, groups__name=roles.DISCIPLINE).distinct().order_by("pk"))
        UndecidedEscalation.objects.bulk_create(
            UndecidedEscalation(case=c, escalated_at=now, escalated_to=head, status_then=c.status) for c in cases)
        audit_log_many(actor=None, at=now, entries=[
            AuditEntry(object_type=c._meta.model_name, object_id=c.pk, action="escalate_undecided",
                       from_status=c.status, to_status=c.status,
                       note="undecided past its limit: escalated (failure to pursue accountability)",
                       data={"to": [h.get_username() for h in heads],
                             "working_days": settings.CASE_DECISION_WORKING_DAYS}) for c in cases])
        enqueue([emails.undecided_cases_escalated(cases, to=h) for h in heads])
    return len(cases)


STEPS = [("undecided_cases_escalated", undecided_cases_escalate)]
