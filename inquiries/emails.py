"""One function per e-mail about an inquiry (healthchecks' hc/lib/emails.py). Each
returns ``(subject, body)``; ``notify`` wraps them as outbox messages."""

from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inquiries.models import Inquiry
from portal.notifications.outbox import Message, enqueue
from portal.organisation import roles
from portal.organisation.selectors import badge_of


def _link(inquiry: Inquiry) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("inquiry-detail", args=[inquiry.pk])


def _official(user) -> str:
    if user is None:
        return "—"
    name = user.get_full_name() or user.get_username()
    badge = badge_of(user)
    return _("%(name)s (badge %(badge)s)") % {"name": name, "badge": badge} if badge else name


def _subject(inquiry: Inquiry, what: str) -> str:
    return _("Inquiry %(number)s: %(what)s") % {"number": inquiry.number, "what": what}


def received(q: Inquiry) -> tuple[str, str]:
    return (_subject(q, _("received")),
            _("Your question was received. The first official who takes it owns it until you have an answer."))


def claimed(q: Inquiry) -> tuple[str, str]:
    return (_subject(q, _("taken on")),
            _("%(official)s has taken on your question and owns it until you have an answer. Answer due by "
              "%(date)s.") % {"official": _official(q.owner), "date": timezone.localdate(q.due_at).isoformat()})


def referred_to_citizen(q: Inquiry) -> tuple[str, str]:
    return (_subject(q, _("referred")),
            _("Your question was referred to %(department)s. %(official)s still owns it and follows its progress.")
            % {"department": q.referred_to.name, "official": _official(q.owner)})


def referred_to_department(q: Inquiry) -> tuple[str, str]:
    return (_subject(q, _("referred to your department")),
            _("%(official)s referred this question to %(department)s; answer due by %(date)s.\n\n%(question)s\n\n"
              "%(note)s") % {"official": _official(q.owner), "department": q.referred_to.name,
                             "date": timezone.localdate(q.due_at).isoformat(), "question": q.question,
                             "note": q.referral_note})


def acknowledged(q: Inquiry) -> tuple[str, str]:
    return (_subject(q, _("acknowledged by the department")),
            _("%(official)s of %(department)s took on your referral.")
            % {"official": _official(q.referee), "department": q.referred_to.name})


def answered_to_owner(q: Inquiry) -> tuple[str, str]:
    return (_subject(q, _("answered by the department")),
            _("%(official)s answered the question you referred. Check the answer reached the citizen, then close "
              "the inquiry.\n\n%(answer)s") % {"official": _official(q.answered_by), "answer": q.answer})


def answered_to_citizen(q: Inquiry) -> tuple[str, str]:
    return (_subject(q, _("answered")), _("The answer to your question:\n\n%(answer)s") % {"answer": q.answer})


def closed(q: Inquiry) -> tuple[str, str]:
    return (_subject(q, _("closed")), _("Your question was answered and the inquiry is closed."))


def converted(q: Inquiry) -> tuple[str, str]:
    return (_subject(q, _("now an application")),
            _("Your question became application %(number)s. The window continues it from here.")
            % {"number": q.application.number})


def alert(q: Inquiry, level: str) -> tuple[str, str]:
    subject = (_("Yellow alert: inquiry %(number)s is due soon") if level == "yellow"
               else _("Red alert: inquiry %(number)s is overdue")) % {"number": q.number}
    return subject, _("The answer to inquiry %(number)s (%(subject)s) is due at %(due)s. Owner: %(official)s.") % {
        "number": q.number, "subject": q.subject,
        "due": timezone.localtime(q.due_at).isoformat(timespec="minutes"), "official": _official(q.owner)}


def messages_for(inquiry: Inquiry, event: str, recipients, builder, *args) -> list[Message]:
    """The message ``builder`` writes, once per distinct recipient with an e-mail address."""
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = builder(inquiry, *args)
        body = f"{body}\n\n{_link(inquiry)}"
    seen, messages = set(), []
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        messages.append(Message(event=event, subject=subject, body=body, email=user.email, user_id=user.pk,
                                ref=inquiry.number or ""))
    return messages


def notify(inquiry: Inquiry, event: str, recipients, builder, *args) -> None:
    enqueue(messages_for(inquiry, event, recipients, builder, *args))


def department_staff(department) -> list[User]:
    """Who hears of a referral: the head and the reviewers of the department."""
    if department is None:
        return []
    return list(User.objects.filter(staff_profile__department=department, is_active=True,
                                    groups__name__in=[roles.DEPARTMENT_HEAD, roles.REVIEWER]).distinct())
