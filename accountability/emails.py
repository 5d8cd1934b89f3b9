"""One function per message about an accountability case; each returns the outbox
message (``portal.notifications.outbox.enqueue`` stores it with the change)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accountability.models import AccountabilityCase, SubjectRole
from portal.notifications.outbox import Message


def _link(case_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("case-detail", args=[case_id])


def _to_subject(case: AccountabilityCase, event: str, subject: str, body: str) -> Message:
    user = case.subject
    return Message(event=event, subject=subject, body=f"{body}\n\n{_link(case.pk)}", email=user.email,
                   user_id=user.pk, ref=case.number)


def case_opened(case: AccountabilityCase) -> Message:
    return cases_opened([(case.pk, case.number, case.summary)], role=case.subject_role,
                        email=case.subject.email, user_id=case.subject_id)


def cases_opened(cases: list[tuple[int, str, str]], *, role: str, email: str, user_id: int,
                 link=None) -> Message:
    """立案告知: the subject is told of the cases (id, number, summary) opened against him in one
    change, in one message (a head whose unclaimed stages lapse by the hundred gets one list,
    not a hundred e-mails). ``link`` (``CaseLinks``) saves reversing the URL per case."""
    link = link or _link
    with translation.override(settings.LANGUAGE_CODE):
        role_label = SubjectRole(role).label
        if len(cases) == 1:
            case_id, number, summary = cases[0]
            subject = _("Accountability case %(number)s opened") % {"number": number}
            body = _("A case was opened concerning you (%(role)s): %(summary)s") % {"role": role_label,
                                                                                   "summary": summary}
            body = f"{body}\n\n{link(case_id)}"
        else:
            number = cases[0][1]
            subject = _("%(count)d accountability cases opened") % {"count": len(cases)}
            body = _("%(count)d cases were opened concerning you (%(role)s), one for each stage "
                     "whose limit passed without a decision:") % {"role": role_label, "count": len(cases)}
            body += "\n\n" + "\n".join(f"{n} {summary} {link(i)}" for i, n, summary in cases)
    return Message(event="case_opened", subject=subject, body=body, email=email, user_id=user_id, ref=number)


class CaseLinks:
    """``_link`` for many cases: the URL reversed once (digits as the placeholder survive it)."""

    _ID = "90817263544536"

    def __init__(self):
        self.template = _link(int(self._ID))

    def __call__(self, case_id: int) -> str:
        return self.template.replace(self._ID, str(case_id))


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


def undecided_cases_escalated(cases: list[AccountabilityCase], *, to) -> Message:
    """责任追究落实不到位: the head of the discipline office learns which cases are past
    their limit without a decision, in one message per sweep batch."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(count)d accountability cases undecided past their limit") % {"count": len(cases)}
        body = _("These cases were not decided within %(days)d working days of their opening "
                 "(failure to pursue accountability):") % {"days": settings.CASE_DECISION_WORKING_DAYS}
        body += "\n\n" + "\n".join(
            f"{c.number} {c.get_status_display()} {timezone.localdate(c.opened_at).isoformat()} {_link(c.pk)}"
            for c in cases)
    return Message(event="cases_undecided", subject=subject, body=body, email=to.email, user_id=to.pk,
                   ref=cases[0].number)
