"""One function per e-mail to an applicant (healthchecks' hc/lib/emails.py)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from approvals.models import Application
from django.utils.timezone import localdate as local_date


def _send(application: Application, subject: str, body: str) -> bool:
    if not application.applicant_email:
        return False
    link = settings.SITE_URL.rstrip("/") + reverse("application-detail", args=[application.pk])
    send_mail(subject, f"{body}\n\n{link}", settings.DEFAULT_FROM_EMAIL, [application.applicant_email])
    return True


def accepted(application: Application) -> bool:
    return _send(
        application,
        _("Application %(number)s accepted") % {"number": application.number},
        _("Your application for %(service)s was accepted. Decision due by %(date)s. Tracking code: %(code)s.")
        % {"service": application.service.name, "date": local_date(application.due_at),
           "code": application.tracking_code},
    )


def correction_requested(application: Application) -> bool:
    return _send(
        application,
        _("Application %(number)s: materials to complete") % {"number": application.number},
        _("Some materials are missing or need correction. The one-time notice lists all of them."),
    )


def not_accepted(application: Application) -> bool:
    return _send(
        application,
        _("Application %(number)s not accepted") % {"number": application.number},
        _("Your application was not accepted. Reason: %(reason)s") % {"reason": application.refusal_reason},
    )


EMAILS = {"accepted": accepted, "correction_requested": correction_requested, "not_accepted": not_accepted}


def send_event_email(application: Application, event: str) -> bool:
    with translation.override(settings.LANGUAGE_CODE):
        return EMAILS[event](application)
