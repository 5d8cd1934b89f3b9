"""Readable labels for the codes kept in the audit trail (全程留痕), in the reader's language."""

from django import template
from django.utils.translation import gettext_lazy as _

from approvals.models import StageStatus, Status

register = template.Library()

ACTIONS = {
    "create": _("application opened"),
    "upload": _("material uploaded"),
    "submit": _("submitted"),
    "correction_notice": _("one-time correction notice issued"),
    "resubmit": _("resubmitted with corrections"),
    "accept": _("accepted"),
    "deemed_accept": _("accepted by operation of law"),
    "refuse": _("not accepted"),
    "withdraw": _("withdrawn"),
    "claim": _("claimed by a reviewer"),
    "approve": _("approved"),
    "approve_on_site": _("approved on site"),
    "deny": _("denied"),
    "cancel": _("cancelled"),
    "deem_approve": _("deemed approved: limit passed"),
    "decide": _("decided"),
    "request_correction": _("corrections requested by a reviewer"),
    "suspend": _("clock suspended"),
    "resume": _("clock resumed"),
    "extend": _("time limit extended"),
    "hand_over": _("certificate handed over"),
    "alert_yellow": _("yellow alert"),
    "alert_red": _("red alert"),
    "deadline_recomputed": _("deadline recomputed on the official calendar"),
}
STATUSES = {**dict(StageStatus.choices), **dict(Status.choices)}


@register.filter
def action_label(code: str) -> str:
    return ACTIONS.get(code, code)


@register.filter
def status_label(code: str) -> str:
    return STATUSES.get(code, code)
