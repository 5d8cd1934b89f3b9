"""Words for the codes kept in the audit trail (全程留痕), so a history line reads as a sentence.

The core knows no domain: each domain app registers the labels of its own actions and
statuses in ``AppConfig.ready()``; pages render them through ``{% load audit_history %}``.
A code without a label is shown as a neutral "changed" rather than as the raw code.
"""

from django.utils.translation import gettext_lazy as _

_ACTIONS: dict[tuple[str, str], str] = {}
_STATUSES: dict[tuple[str, str], str] = {}

GENERIC_ACTIONS = {
    "alert_yellow": _("yellow alert"),
    "alert_red": _("red alert"),
    "deadline_recomputed": _("deadline recomputed on the official calendar"),
}


def register_labels(object_type: str, *, actions: dict | None = None, statuses=None) -> None:
    """Record the words for ``object_type``'s action codes and status codes (choices or a dict)."""
    for code, label in (actions or {}).items():
        _ACTIONS[(object_type, code)] = label
    for code, label in dict(statuses or {}).items():
        _STATUSES[(object_type, code)] = label


def action_words(object_type: str, code: str) -> str:
    return _ACTIONS.get((object_type, code)) or GENERIC_ACTIONS.get(code) or _("changed")


def status_words(object_type: str, code: str) -> str:
    return _STATUSES.get((object_type, code), "") if code else ""
