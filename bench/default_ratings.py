"""The default-rating step (好差评, complaints.deadlines) catching up a decided history that was never
rated (a legacy import, a long outage of the sweep, or ``seed_demo --applications N``): one batch of
1,000, three times, each rolled back so that every round sees the same backlog. Baseline in the same
run: the claim as one query over the four outcomes, as it was before complaints.deadlines._first_unrated.

    DATABASE_URL=postgres://…/portal_load REDIS_URL=redis://127.0.0.1:6379/3 python -m bench.default_ratings

Prints the figures; the database is left as it was.
"""

import os
import statistics
import time


class _Undo(Exception):
    pass


def _timed(fn) -> tuple[int, float]:
    from django.db import transaction

    started = time.perf_counter()
    try:
        with transaction.atomic():
            count = fn()
            raise _Undo
    except _Undo:
        pass
    return count, 1000 * (time.perf_counter() - started)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from approvals.models import DECIDED, Application
    from complaints.deadlines import RATED_OUTCOMES, _default_rating_batch, _first_unrated
    from complaints.limits import rating_cutoff
    from complaints.models import Evaluation
    from portal.sweep import claim_batch

    now = timezone.now()
    cutoff = rating_cutoff(now)
    along = ("service", "intake_clerk__staff_profile__window")

    def one_query_claim():
        due = Application.objects.filter(outcome__in=RATED_OUTCOMES, status__in=DECIDED, decided_at__lt=cutoff,
                                         evaluation__isnull=True)
        return len(claim_batch(due.select_related(*along), "decided_at", 1000, skip_locked=False))

    def walked_claim():
        due = Application.objects.filter(~Exists(Evaluation.objects.filter(application=OuterRef("pk"))),
                                         status__in=DECIDED, decided_at__lt=cutoff)
        return len(claim_batch(due.filter(pk__in=_first_unrated(due, 1000)).select_related(*along), "decided_at",
                               1000, skip_locked=False))

    backlog = Application.objects.filter(~Exists(Evaluation.objects.filter(application=OuterRef("pk"))),
                                         status__in=DECIDED, decided_at__lt=cutoff).count()
    print(f"decided applications without a rating, older than the 7 days: {backlog:,}")
    for label, fn in [("claim, one query over the four outcomes (before)", one_query_claim),
                      ("claim, one index walk per outcome (now)", walked_claim),
                      ("the whole step now: claim, 1,000 ratings and their audit entries", lambda: _default_rating_batch(now, 1000))]:
        runs = [_timed(fn) for _ in range(3)]
        print(f"{label}: {runs[0][0]} rows; ms {', '.join(f'{ms:.0f}' for _, ms in runs)}; "
              f"median {statistics.median(ms for _, ms in runs):.0f}")


if __name__ == "__main__":
    main()
