"""One function per message about an accountability case; each returns the outbox
message (``portal.notifications.outbox.enqueue`` stores it with the change)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accountability.models import AccountabilityCase
from portal.notifications.outbox import Message


def _link(case: AccountabilityCase) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("case-detail", args=[case.pk])


def _to_subject(case: AccountabilityCase, event: str, subject: str, body: str) -> Message:
    user = case.subject
    return Message(event=event, subject=subject, body=f"{body}\n\n{_link(case)}", email=user.email,
                   user_id=user.pk, ref=case.number)


def case_opened(case: AccountabilityCase) -> Message:
    with translation.override(settings.LANGUAGE_CODE):
        return _to_subject(case, "case_opened", _("Accountability case %(number)s opened") % {"number": case.number},
                           _("A case was opened concerning you (%(role)s): %(summary)s")
                           % {"role": case.get_subject_role_display(), "summary": case.summary})


def case_decided(case: AccountabilityCase) -> Message:
    """告知: the decision, its reasons, and the one appeal with its time limit."""
    with translation.override(settings.LANGUAGE_CODE):
        return _to_subject(
            case, "case_decided", _("Accountability case %(number)s: decision") % {"number": case.number},
            _("Decision: %(sanction)s.\nReasons: %(reasoning)s\nYou may appeal once, in writing, until %(date)s.")
            % {"sanction": case.get_sanction_display(), "reasoning": case.reasoning,
               "date": timezone.localdate(case.appeal_due_at).isoformat()},
        )


def appeal_resolved(case: AccountabilityCase) -> Message:
    with translation.override(settings.LANGUAGE_CODE):
        outcome = _("Your appeal was upheld.") if case.appeal_upheld else _("Your appeal was rejected.")
        return _to_subject(
            case, "case_appeal_resolved",
            _("Accountability case %(number)s: decision on your appeal") % {"number": case.number},
            _("%(outcome)s The decision is final: %(sanction)s.\n%(resolution)s")
            % {"outcome": outcome, "sanction": case.get_sanction_display(), "resolution": case.appeal_resolution},
        )
