"""全程留痕: the append-only, hash-chained record of every state change."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One state change: who, when, what object, from which status to which, why.

    ``hash`` covers the row's content and the previous row's hash, so editing or
    deleting any row breaks the chain at that row (``manage.py verify_audit``).
    """

    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", db_index=False)
    actor_label = models.CharField(_("actor"), max_length=150)
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    action = models.CharField(_("action"), max_length=60)
    from_status = models.CharField(max_length=40, blank=True)
    to_status = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    # Not indexed: the chain is checked by walking it in id order (verify_audit), and a
    # unique index on random hashes would cost the sweep a random page per entry.
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "id"], name="audit_object_idx"),
            models.Index(fields=["actor"], name="audit_actor_idx", condition=models.Q(actor__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id} {self.action}"


class AuditChainHead(models.Model):
    """A single row locked while a new event is appended, so the chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)
