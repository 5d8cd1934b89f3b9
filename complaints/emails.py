"""One function per message about a complaint or a rating (healthchecks' hc/lib/emails.py).

Messages to staff never carry the complainant's name, contact or own words: only the
number, the category and the dates, with a link to the page that shows the rest to
those allowed to see it. ``complaints.notifications`` decides who receives them.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from approvals.emails import staff_message
from complaints.models import Complaint, FollowUp
from portal.notifications.outbox import Message


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _date(value) -> str:
    return timezone.localdate(value).isoformat() if value else "—"


def follow_up_link(complaint: Complaint) -> str:
    return _site(reverse("complaint-track") + "?" + urlencode({"number": complaint.number, "code": complaint.code}))


def work_link(complaint: Complaint) -> str:
    return _site(reverse("complaint-work", args=[complaint.pk]))


def _complaint_subject(complaint: Complaint, what: str) -> str:
    return _("Complaint %(number)s: %(what)s") % {"number": complaint.number, "what": what}


# To the complainant.

def filed(c: Complaint) -> tuple[str, str]:
    return (_complaint_subject(c, _("received")),
            _("Your complaint was received. Follow-up code: %(code)s. It will be accepted or refused by "
              "%(date)s.") % {"code": c.code, "date": _date(c.accept_due_at)})


def accepted(c: Complaint) -> tuple[str, str]:
    return (_complaint_subject(c, _("accepted")),
            _("Your complaint was accepted and will be investigated. You will get an answer by %(date)s.")
            % {"date": _date(c.reply_due_at)})


def refused(c: Complaint) -> tuple[str, str]:
    return (_complaint_subject(c, _("not accepted")),
            _("Your complaint was not accepted. Reason: %(reason)s") % {"reason": c.refusal_reason})


def replied(c: Complaint) -> tuple[str, str]:
    return (_complaint_subject(c, _("answered")),
            _("Finding: %(finding)s.\n\n%(reply)s\n\nPlease tell us whether you are satisfied with this answer.")
            % {"finding": c.get_finding_display(), "reply": c.reply_text})


def reopened(c: Complaint) -> tuple[str, str]:
    return (_complaint_subject(c, _("reopened")),
            _("You were not satisfied, so your complaint is investigated again by another investigator. "
              "You will get an answer by %(date)s.") % {"date": _date(c.reply_due_at)})


COMPLAINANT_MESSAGES = {"filed": filed, "accepted": accepted, "refused": refused, "replied": replied,
                        "reopened": reopened}


def complainant_address(complaint: Complaint) -> str:
    """Where the complainant gets news: an e-mail address he left, else his account's."""
    if "@" in complaint.contact:
        return complaint.contact.strip()
    if complaint.complainant_id and not complaint.anonymous:
        return complaint.complainant.email
    return ""


def complainant_message(complaint: Complaint, event: str) -> Message:
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = COMPLAINANT_MESSAGES[event](complaint)
        return Message(event=f"complaint_{event}", subject=subject, body=f"{body}\n\n{follow_up_link(complaint)}",
                       email=complainant_address(complaint), user_id=complaint.complainant_id,
                       ref=complaint.number)


# To staff: number, category and dates only.

def _staff_body(complaint: Complaint, text: str) -> str:
    return (f"{text}\n{_('Category')}: {complaint.get_category_display()}\n"
            f"{_('Due')}: {_date(complaint.due_at)}\n\n{work_link(complaint)}")


def new_complaint(c: Complaint) -> tuple[str, str]:
    return (_complaint_subject(c, _("new, to accept or refuse")),
            _staff_body(c, _("A new complaint must be accepted or refused by %(date)s.")
                        % {"date": _date(c.accept_due_at)}))


def assigned(c: Complaint) -> tuple[str, str]:
    return (_complaint_subject(c, _("assigned to you")),
            _staff_body(c, _("You investigate this complaint. The answer is due by %(date)s.")
                        % {"date": _date(c.reply_due_at)}))


def reminder(c: Complaint) -> tuple[str, str]:
    return (_complaint_subject(c, _("limit missed")),
            _staff_body(c, _("The limit of this complaint passed at the end of %(date)s without an answer.")
                        % {"date": _date(c.due_at)}))


def escalated(c: Complaint) -> tuple[str, str]:
    return (_complaint_subject(c, _("escalated to the supervisor")),
            _staff_body(c, _("The limit of this complaint passed at the end of %(date)s and it is still not "
                             "answered after the reminder.") % {"date": _date(c.due_at)}))


def reopened_for_office(c: Complaint) -> tuple[str, str]:
    return (_complaint_subject(c, _("reopened, to assign again")),
            _staff_body(c, _("The complainant was not satisfied with the answer. Assign a different investigator; "
                             "the new answer is due by %(date)s.") % {"date": _date(c.reply_due_at)}))


STAFF_MESSAGES = {"new": new_complaint, "assigned": assigned, "reminder": reminder, "escalated": escalated,
                  "reopened": reopened_for_office}


def staff_complaint_messages(complaint: Complaint, event: str, people) -> list[Message]:
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = STAFF_MESSAGES[event](complaint)
        return [staff_message(p, f"complaint_{event}", subject, body, ref=complaint.number) for p in people]


# Ratings (好差评).

def _follow_up_subject(follow_up: FollowUp, what: str) -> str:
    return _("Rating of %(number)s: %(what)s") % {"number": follow_up.evaluation.application.number, "what": what}


def follow_up_messages(follow_up: FollowUp, event: str, people) -> list[Message]:
    """``opened`` and ``overdue`` go to the unit (and, when overdue, the supervisors)."""
    evaluation = follow_up.evaluation
    with translation.override(settings.LANGUAGE_CODE):
        if event == "opened":
            subject = _follow_up_subject(follow_up, _("bad rating to follow up"))
            text = _("The applicant rated %(service)s as %(level)s. Call back, fix or explain, and tell the "
                     "citizen, by %(date)s.")
        else:
            subject = _follow_up_subject(follow_up, _("follow-up overdue"))
            text = _("The follow-up of a bad rating of %(service)s (%(level)s) was due at the end of %(date)s "
                     "and is not done.")
        body = text % {"service": evaluation.service.name, "level": evaluation.get_score_display(),
                       "date": _date(follow_up.due_at)}
        body += "\n\n" + _site(reverse("follow-up-list"))
        return [staff_message(p, f"follow_up_{event}", subject, body, ref=evaluation.application.number)
                for p in people]


def follow_up_done_message(follow_up: FollowUp) -> Message:
    """Tell the citizen what the unit did about his bad rating."""
    application = follow_up.evaluation.application
    with translation.override(settings.LANGUAGE_CODE):
        subject = _follow_up_subject(follow_up, _("what we did about your rating"))
        body = _("%(action)s: %(note)s") % {"action": follow_up.get_action_display(), "note": follow_up.note}
    return Message(event="follow_up_done", subject=subject, body=body, email=application.applicant_email,
                   user_id=application.applicant_id, ref=application.number or "")

