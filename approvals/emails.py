"""One function per e-mail about an application (healthchecks' hc/lib/emails.py).
Each returns the message; ``approvals.notifications`` puts it in the outbox."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.models import Application, Status
from portal.notifications.outbox import Message


def _link(application_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("application-detail", args=[application_id])


def _date(value) -> str:
    return timezone.localdate(value).isoformat() if value else "—"


def _subject(application: Application, what: str) -> str:
    return _subject_of(application.number, what)


def _subject_of(number: str, what: str) -> str:
    return _("Application %(number)s: %(what)s") % {"number": number, "what": what}


def accepted(a: Application, **_ctx) -> tuple[str, str]:
    return (_subject(a, _("accepted")),
            _("Your application for %(service)s was accepted. Decision due by %(date)s. Tracking code: %(code)s.")
            % {"service": a.service.name, "date": _date(a.due_at), "code": a.tracking_code})


def correction_requested(a: Application, **_ctx) -> tuple[str, str]:
    return (_subject(a, _("materials to complete")),
            _("Some materials are missing or need correction. The one-time notice lists all of them."))


def not_accepted(a: Application, **_ctx) -> tuple[str, str]:
    return (_subject(a, _("not accepted")),
            _("Your application was not accepted. Reason: %(reason)s") % {"reason": a.refusal_reason})


def suspended(a: Application, **_ctx) -> tuple[str, str]:
    return (_subject(a, _("clock suspended")),
            _("The time limit is suspended: %(reason)s. %(note)s Expected duration: %(days)s working days. "
              "%(left)s working days remain and will run again when it resumes.")
            % {"reason": a.get_suspension_reason_display(), "note": a.suspension_note,
               "days": a.suspension_expected_days or "—", "left": a.remaining_days_frozen})


def resumed(a: Application, **_ctx) -> tuple[str, str]:
    return (_subject(a, _("clock resumed")), _("The time limit runs again. Decision due by %(date)s.")
            % {"date": _date(a.due_at)})


def extended(a: Application, **_ctx) -> tuple[str, str]:
    return (_subject(a, _("time limit extended")),
            _("The time limit was extended by %(days)d working days, to %(date)s. Reason: %(reason)s")
            % {"days": a.extended_days, "date": _date(a.due_at), "reason": a.extension_reason})


def decided(a: Application, **_ctx) -> tuple[str, str]:
    return _decided_text(a.number, a.outcome, a.certificate_number)


def _decided_text(number: str, outcome: str, certificate_number: str) -> tuple[str, str]:
    outcomes = {
        "approved": _("Your application was approved. Certificate number: %(cert)s."),
        "denied": _("Your application was denied. The decision states the reasons and how to seek redress."),
        "deemed_approved": _("No decision was made within the time limit, so your application is approved by "
                             "operation of law. Certificate number: %(cert)s."),
    }
    return _subject_of(number, Status(outcome).label), outcomes[outcome] % {"cert": certificate_number}


def issued(a: Application, **_ctx) -> tuple[str, str]:
    return (_subject(a, _("certificate handed over")), _("Certificate %(cert)s was handed over.")
            % {"cert": a.certificate_number})


EMAILS = {
    "accepted": accepted, "correction_requested": correction_requested, "not_accepted": not_accepted,
    "suspended": suspended, "resumed": resumed, "extended": extended, "decided": decided, "issued": issued,
}


def applicant_message(application: Application, event: str) -> Message:
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = EMAILS[event](application)
        return Message(event=event, subject=subject, body=f"{body}\n\n{_link(application.pk)}",
                       email=application.applicant_email, user_id=application.applicant_id,
                       ref=application.number or "",
                       phone=application.applicant_phone if event in settings.SMS_EVENTS else "")


# Placeholders for texts resolved once and filled per row (digits: they survive URL reversing).
_NUMBER, _CERT, _ID = "\x00number\x00", "\x00cert\x00", "90817263544536"


class DecidedMessages:
    """The ``decided`` message from plain values (the sweep's rows), word for word the one
    ``applicant_message(application, "decided")`` writes — translated and reversed once for a
    whole batch of one outcome, then filled in per application (a batch of a thousand deemed
    approvals would otherwise switch the language and reverse the URL a thousand times)."""

    def __init__(self, outcome: str):
        with translation.override(settings.LANGUAGE_CODE):
            self.subject, self.body = _decided_text(_NUMBER, outcome, _CERT)
            self.link = _link(int(_ID))
        self.sms = "decided" in settings.SMS_EVENTS

    def __call__(self, *, application_id: int, number: str, certificate_number: str, email: str,
                 user_id: int | None, phone: str = "") -> Message:
        body = self.body.replace(_CERT, certificate_number).replace(_NUMBER, number)
        link = self.link.replace(_ID, str(application_id))
        return Message(event="decided", subject=self.subject.replace(_NUMBER, number), body=f"{body}\n\n{link}",
                       email=email, user_id=user_id, ref=number, phone=phone if self.sms else "")


def staff_message(user, event: str, subject: str, body: str, ref: str = "") -> Message:
    return Message(event=event, subject=subject, body=body, email=user.email if user else "",
                   user_id=user.pk if user else None, ref=ref)


# 项目经理制: the project manager hears when a key project becomes his, leaves him or leaves the
# green channel (绿色通道); the message opens the project's own view.


def _project_message(user, event: str, project, subject, body, **words) -> Message:
    """One message about ``project`` to ``user``: ``subject`` and ``body`` (lazy texts) filled
    with the project's words and ``words``, in the portal's language, with the project's link."""
    with translation.override(settings.LANGUAGE_CODE):
        words = {"code": project.code, "name": project.name, "enterprise": project.enterprise,
                 "days": project.stage_days, **words}
        link = settings.SITE_URL.rstrip("/") + reverse("project-detail", args=[project.code])
        return staff_message(user, event, str(subject) % words, f"{str(body) % words}\n\n{link}", ref=project.code)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def project_designated(project) -> list[Message]:
    """重点项目 designated: its manager learns that it is his."""
    return [_project_message(
        project.manager, "project_manager_assign", project,
        gettext_lazy("Key project %(code)s is yours to manage"),
        gettext_lazy("You are the project manager (项目经理) of the key project %(code)s %(name)s (%(enterprise)s): "
                     "you follow every application of it across the departments, each decided within %(days)d "
                     "working days (green channel), and hear of every alert."))]


def project_handed_over(project, *, previous, reason: str) -> list[Message]:
    """项目经理 named anew: the new manager learns what he takes over and why, the previous one
    that the project and its applications are no longer his."""
    words = {"reason": reason, "previous": _name(previous), "manager": _name(project.manager)}
    return [
        _project_message(
            project.manager, "project_manager_assign", project, gettext_lazy("Key project %(code)s is handed to you"),
            gettext_lazy("You are now the project manager (项目经理) of the key project %(code)s %(name)s "
                         "(%(enterprise)s), taking over from %(previous)s: you follow every application of it across "
                         "the departments and hear of every alert. Reason: %(reason)s"), **words),
        _project_message(
            previous, "project_manager_release", project, gettext_lazy("Key project %(code)s is handed to %(manager)s"),
            gettext_lazy("The key project %(code)s %(name)s and its applications pass from you to %(manager)s, who "
                         "follows them from now on. Reason: %(reason)s"), **words),
    ]


def project_closed(project, *, reason: str) -> list[Message]:
    """特事特办 ends: the manager learns that the project is off the green channel."""
    return [_project_message(
        project.manager, "project_close", project, gettext_lazy("Key project %(code)s is off the green channel"),
        gettext_lazy("The key project %(code)s %(name)s has left the green channel: its applications not yet accepted "
                     "run on their item's own limit; those under review keep theirs, and you follow them until they "
                     "are done. Reason: %(reason)s"), reason=reason)]
