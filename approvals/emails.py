"""One function per e-mail about an application (healthchecks' hc/lib/emails.py).
Each returns the message; ``approvals.notifications`` puts it in the outbox."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from approvals.models import Application
from portal.notifications.outbox import Message


def _link(application: Application) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("application-detail", args=[application.pk])


def _date(value) -> str:
    return timezone.localdate(value).isoformat() if value else "—"


def _subject(application: Application, what: str) -> str:
    return _("Application %(number)s: %(what)s") % {"number": application.number, "what": what}


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
    outcomes = {
        "approved": _("Your application was approved. Certificate number: %(cert)s."),
        "denied": _("Your application was denied. The decision states the reasons and how to seek redress."),
        "deemed_approved": _("No decision was made within the time limit, so your application is approved by "
                             "operation of law. Certificate number: %(cert)s."),
    }
    return (_subject(a, a.get_status_display()), outcomes[a.outcome] % {"cert": a.certificate_number})


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
        return Message(event=event, subject=subject, body=f"{body}\n\n{_link(application)}",
                       email=application.applicant_email, user_id=application.applicant_id,
                       ref=application.number or "")


def staff_message(user, event: str, subject: str, body: str, ref: str = "") -> Message:
    return Message(event=event, subject=subject, body=body, email=user.email if user else "",
                   user_id=user.pk if user else None, ref=ref)
