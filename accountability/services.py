"""Opening accountability cases (责任追究制). Decisions, appeals and the ladder are in
``accountability.decisions``."""

from django.utils import timezone

from accountability.models import AccountabilityCase, CaseSource, SubjectRole


def lapse_case_subject(stage):
    """Who let a stage lapse: its assignee, or the department head if nobody claimed it."""
    return stage.assignee if stage.assignee_id else stage.department.head


def build_lapse_case(*, stage, application, now) -> AccountabilityCase | None:
    """超期默许 → 问责: the unsaved case a deemed approval opens (the sweep saves them in bulk)."""
    subject = lapse_case_subject(stage)
    if subject is None:
        return None
    return AccountabilityCase(
        number=f"ZR{timezone.localdate(now):%Y}{stage.pk:08d}",
        subject=subject,
        subject_role=SubjectRole.DIRECT,
        department_id=stage.department_id,
        source=CaseSource.DEEMED_APPROVAL,
        source_ref=application.number,
        opened_at=now,
        summary=f"{application.number} {stage.department.name}: limit of {stage.days} working days passed "
                f"without a decision; approved by operation of law.",
    )
