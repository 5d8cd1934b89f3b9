"""Words for the action codes of applications and stages in the audit trail (全程留痕).
Registered with portal.audit.history in ApprovalsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "create": _("application opened"),
    "upload": _("material uploaded"),
    "submit": _("application submitted"),
    "correction_notice": _("one-time correction notice issued"),
    "resubmit": _("resubmitted with corrections"),
    "accept": _("application accepted"),
    "deemed_accept": _("accepted by operation of law"),
    "refuse": _("refused to accept"),
    "withdraw": _("application withdrawn"),
    "claim": _("review taken up"),
    "approve": _("department agreed"),
    "approve_on_site": _("approved on site"),
    "deny": _("department disagreed"),
    "cancel": _("department review cancelled"),
    "deem_approve": _("deemed approved: limit passed"),
    "decide": _("decision made"),
    "request_correction": _("corrections requested by a reviewer"),
    "suspend": _("clock suspended"),
    "resume": _("clock resumed"),
    "extend": _("time limit extended"),
    "hand_over": _("certificate handed over"),
    "from_inquiry": _("opened from an inquiry"),
}
