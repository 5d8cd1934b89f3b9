"""The outbox's channels: e-mail through Django's mail backend, SMS through an adapter
(settings.SMS_BACKEND). Development writes SMS to the console or a file; production
points the HTTP adapter at the operator's SMS gateway (the one thing tests fake)."""

import json
import logging
import sys
import urllib.request
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Deliver or raise; any exception counts as a failed attempt."""


class ConsoleSmsBackend:
    """Prints each SMS to standard output (the development default)."""

    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"SMS to {phone}: {text}\n")
        sys.stdout.flush()


class FileSmsBackend:
    """Appends each SMS as one JSON line to settings.SMS_FILE_PATH."""

    def send(self, phone: str, text: str) -> None:
        path = Path(settings.SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"at": timezone.now().isoformat(), "phone": phone, "text": text},
                                 ensure_ascii=False) + "\n")


class HttpSmsBackend:
    """POSTs ``{"phone": …, "text": …}`` as JSON to settings.SMS_GATEWAY_URL (bearer token
    SMS_GATEWAY_TOKEN); anything but a 2xx answer is a failed attempt."""

    def send(self, phone: str, text: str) -> None:
        request = urllib.request.Request(
            settings.SMS_GATEWAY_URL, method="POST",
            data=json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json",
                     **({"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"} if settings.SMS_GATEWAY_TOKEN else {})})
        with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:
            if not 200 <= response.status < 300:
                raise OSError(f"SMS gateway answered {response.status}")


def sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()


def deliver(row) -> None:
    """Send one outbox row on its channel (raises on failure)."""
    if row.channel == "sms":
        sms_backend().send(row.phone, f"{settings.SMS_SIGNATURE}{row.body}")
    else:
        send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.email], fail_silently=False)
