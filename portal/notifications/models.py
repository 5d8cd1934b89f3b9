from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Outbox: a message written in the same transaction as the change it reports,
    sent once after commit by ``drain_outbox`` (healthchecks' Flip pattern)."""

    event = models.CharField(max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="notifications")
    email = models.EmailField(blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    ref = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["id"]
        indexes = [models.Index(fields=["id"], name="notification_unsent_idx", condition=models.Q(sent_at__isnull=True))]
