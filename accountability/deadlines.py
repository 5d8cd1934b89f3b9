"""Steps of the one deadline sweep (portal.sweep): a decision nobody appealed
within the appeal period becomes final."""

from django.db import transaction

from accountability.decisions import cases_finalise_unappealed
from accountability.models import AccountabilityCase, CaseStatus


def _finalise_unappealed_batch(now, batch: int) -> int:
    with transaction.atomic():
        cases = list(
            AccountabilityCase.objects.filter(status=CaseStatus.NOTIFIED, appeal_due_at__lt=now)
            .select_for_update(skip_locked=True, of=("self",)).order_by("appeal_due_at", "pk")[:batch]
        )
        if cases:
            cases_finalise_unappealed(cases, now=now)
    return len(cases)


STEPS = [("cases_final", _finalise_unappealed_batch)]
