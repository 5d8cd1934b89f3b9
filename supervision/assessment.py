"""绩效考评得分: accountability counts in the assessment. An official, and his department,
start a period at ``FULL_SCORE``; every accountability case opened against them in the
period, every sanction decided in it (by its step of the ladder: 效能告诫, 诫勉谈话,
通报批评, 调离岗位, 移送处分) and every substantiated complaint of a broken service
commitment (服务承诺制, seed 003) takes its weight off, down to 0. The weights are one
setting, ``settings.ASSESSMENT_WEIGHTS`` (points per case opened, ``case_opened``, per
commitment breach, ``commitment_breach``, and per sanction by its code); a sanction quashed
to no fault on appeal weighs nothing."""

from django.conf import settings
from django.utils.translation import gettext as _

from accountability.models import LADDER, Sanction

FULL_SCORE = 100
CASE_OPENED = "case_opened"
COMMITMENT_BREACH = "commitment_breach"


def weights() -> dict[str, int]:
    """The points each case opened and each sanction (by code) takes off the score."""
    return settings.ASSESSMENT_WEIGHTS


def deduction(cases_opened: int, sanctions: dict[str, int], commitment_breaches: int = 0) -> int:
    """The points ``cases_opened``, ``sanctions`` (code → how many) and
    ``commitment_breaches`` take off."""
    w = weights()
    return (cases_opened * w[CASE_OPENED] + commitment_breaches * w[COMMITMENT_BREACH]
            + sum(n * w.get(kind, 0) for kind, n in sanctions.items()))


def assessment_score(cases_opened: int, sanctions: dict[str, int], commitment_breaches: int = 0) -> int:
    """The assessment score of a period: ``FULL_SCORE`` less the deduction, never below 0."""
    return max(0, FULL_SCORE - deduction(cases_opened, sanctions, commitment_breaches))


def weight_rows() -> list[tuple[str, int]]:
    """What takes points off, in words, mildest first (the legend beside the score)."""
    w = weights()
    return [(_("each accountability case opened"), w[CASE_OPENED]),
            (_("each substantiated breach of a service commitment"), w[COMMITMENT_BREACH])] + \
        [(str(Sanction(kind).label), w[kind]) for kind in LADDER]
