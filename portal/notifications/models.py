from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Outbox: a message written in the same transaction as the change it reports,
    sent after commit by ``drain_outbox`` (healthchecks' Flip pattern), re-polled by beat,
    retried with backoff and finally marked failed for an administrator to resend.
    The new columns have database defaults, so writers that COPY only the old columns
    (portal.bulk) still store a pending e-mail."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to send")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL,
                               db_default=Channel.EMAIL)
    event = models.CharField(max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="notifications")
    email = models.EmailField(blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True, default="", db_default="")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    ref = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    status = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING,
                              db_default=State.PENDING)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["next_attempt_at", "id"], name="notification_due_idx",
                         condition=models.Q(status__in=["pending", "sending"])),
            models.Index(fields=["status", "channel"], name="notification_unsent_state_idx",
                         condition=~models.Q(status="sent")),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.event} → {self.email or self.phone}"


class InboxMessage(models.Model):
    """站内消息: every notice sent to a person also lands in his inbox on the portal, read or not,
    whether or not he has an e-mail address. Written by ``outbox.enqueue`` with the notice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_messages",
                             db_index=False)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    ref = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")
        indexes = [
            models.Index(fields=["user", "-id"], name="inbox_user_idx"),
            models.Index(fields=["user"], name="inbox_unread_idx", condition=models.Q(read_at__isnull=True)),
        ]
