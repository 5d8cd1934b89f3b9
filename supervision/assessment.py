"""绩效考评得分: accountability counts in the assessment. An official, and his department,
start a period at ``FULL_SCORE``; every accountability case opened against them in the
period and every sanction decided in it (by its step of the ladder: 效能告诫, 诫勉谈话,
通报批评, 调离岗位, 移送处分) takes its weight off, down to 0. The weights are one setting,
``settings.ASSESSMENT_WEIGHTS`` (points per case opened, ``case_opened``, and per sanction
by its code); a sanction quashed to no fault on appeal weighs nothing."""

from django.conf import settings
from django.utils.translation import gettext as _

from accountability.models import LADDER, Sanction

FULL_SCORE = 100
CASE_OPENED = "case_opened"


def weights() -> dict[str, int]:
    """The points each case opened and each sanction (by code) takes off the score."""
    return settings.ASSESSMENT_WEIGHTS


def deduction(cases_opened: int, sanctions: dict[str, int]) -> int:
    """The points ``cases_opened`` and ``sanctions`` (code → how many) take off."""
    w = weights()
    return cases_opened * w[CASE_OPENED] + sum(n * w.get(kind, 0) for kind, n in sanctions.items())


def assessment_score(cases_opened: int, sanctions: dict[str, int]) -> int:
    """The assessment score of a period: ``FULL_SCORE`` less the deduction, never below 0."""
    return max(0, FULL_SCORE - deduction(cases_opened, sanctions))


def weight_rows() -> list[tuple[str, int]]:
    """What takes points off, in words, mildest first (the legend beside the score)."""
    w = weights()
    return [(_("each accountability case opened"), w[CASE_OPENED])] + \
        [(str(Sanction(kind).label), w[kind]) for kind in LADDER]
