"""Reads of accountability cases shared by the API and the pages: the ladder
suggestion for repeat cases, the case history and the public typical cases."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from accountability.models import LADDER, AccountabilityCase, CaseStatus, Sanction
from portal.audit.models import AuditEvent

# A sanction counts for the ladder once decided, unless an upheld appeal removed it.
DECIDED = (CaseStatus.DECIDED, CaseStatus.NOTIFIED, CaseStatus.APPEALED, CaseStatus.FINAL)


def twelve_months_before(moment: datetime) -> datetime:
    """The same local date and time a year earlier (29 February → 28 February)."""
    local = timezone.localtime(moment)
    try:
        return local.replace(year=local.year - 1)
    except ValueError:
        return local.replace(year=local.year - 1, day=28)


def repeat_cases(case: AccountabilityCase) -> QuerySet[AccountabilityCase]:
    """Earlier cases against the same person opened in the 12 months before this one."""
    return (
        AccountabilityCase.objects.filter(subject_id=case.subject_id,
                                          opened_at__gte=twelve_months_before(case.opened_at))
        .filter(Q(opened_at__lt=case.opened_at) | Q(opened_at=case.opened_at, pk__lt=case.pk))
        .select_related("department").order_by("-opened_at", "-id")
    )


def next_step(sanctions) -> str:
    """One step above the heaviest of ``sanctions`` on the ladder (the first step when
    there is none; the top step stays the top)."""
    ranks = [LADDER.index(s) for s in sanctions if s in LADDER]
    if not ranks:
        return LADDER[0]
    return LADDER[min(max(ranks) + 1, len(LADDER) - 1)]


def suggested_sanction(case: AccountabilityCase, repeats: list[AccountabilityCase]) -> str:
    """再次被追责的，从重: the step after the heaviest sanction of the repeat cases."""
    return next_step(r.sanction for r in repeats if r.status in DECIDED and r.sanction != Sanction.NO_FAULT)


def case_list(queryset: QuerySet[AccountabilityCase], *, status=None, source=None, subject=None,
              department=None) -> QuerySet[AccountabilityCase]:
    qs = queryset.select_related("subject", "department")
    if status:
        qs = qs.filter(status__in=status.split(","))
    if source:
        qs = qs.filter(source__in=source.split(","))
    if subject:
        qs = qs.filter(subject__username=subject)
    if department:
        qs = qs.filter(department__code=department)
    return qs.order_by("-opened_at", "-id")


def case_events(case: AccountabilityCase) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=case._meta.model_name, object_id=case.pk).order_by("id")


def typical_cases() -> QuerySet[AccountabilityCase]:
    """典型案例: decisions marked for publication once served on the subject; one under
    appeal is withdrawn until the appeal is decided, one quashed to no fault is gone."""
    return (
        AccountabilityCase.objects.filter(publish=True, status__in=[CaseStatus.NOTIFIED, CaseStatus.FINAL])
        .exclude(sanction=Sanction.NO_FAULT).select_related("department").order_by("-decided_at", "-id")
    )
