"""Steps of the one deadline sweep (portal.sweep): a decision nobody appealed
within the appeal period becomes final."""

from django.db import transaction

from accountability.decisions import cases_finalise_unappealed
from accountability.models import AccountabilityCase, CaseStatus
from portal.sweep import claim_batch


def _finalise_unappealed_batch(now, batch: int) -> int:
    with transaction.atomic():
        cases = claim_batch(AccountabilityCase.objects.filter(status=CaseStatus.NOTIFIED, appeal_due_at__lt=now),
                            "appeal_due_at", batch)
        if cases:
            cases_finalise_unappealed(cases, now=now)
    return len(cases)


STEPS = [("cases_final", _finalise_unappealed_batch)]
