"""全程留痕: the append-only, hash-chained record of every state change.

How the record is kept tamper-evident without one lock that every write waits for is
explained in ``portal.audit.services`` (writers, the sealer, the anchors, what
``verify_audit`` guarantees).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One state change: who, when, what object, from which status to which, why.

    ``hash`` covers every column of the row (its id, block, time, actor id and label, object,
    action, statuses, note and data) and the hash of the row before it in its block; the
    block is linked into the chain by the sealer (``AuditBlock``).
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
    # The block this row was written in (the id of the block's first row). Not indexed: the
    # verifier reads a block's rows by their id range (AuditBlock.id … AuditBlock.last_id).
    block = models.BigIntegerField(default=0)
    # Not indexed: the chain is checked by walking it (verify_audit), and an index on random
    # hashes would cost the sweep a random page per entry.
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


class AuditBlock(models.Model):
    """The rows one writer appended in one call (a request's one or two rows, a sweep batch's
    thousands), written with them and without any shared lock. ``digest`` is the hash of
    the block's last row (each row's hash covers the one before it, so it covers them all).

    The sealer later gives the block its place in the chain: ``seq`` (1, 2, 3, … in the
    order blocks were sealed) and ``hash``, which covers the block and the previous
    block's hash. Until then ``seq`` is null: the block is written but not yet sealed."""

    id = models.BigIntegerField(primary_key=True)  # the id of its first row
    last_id = models.BigIntegerField()
    count = models.IntegerField()
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit block")
        verbose_name_plural = _("audit blocks")
        indexes = [models.Index(fields=["id"], name="audit_block_unsealed_idx", condition=models.Q(seq__isnull=True))]

    def __str__(self) -> str:
        return f"block {self.id} (seq {self.seq})"


class AuditChainHead(models.Model):
    """The end of the sealed chain: written by the sealer only (one at a time, under an
    advisory lock), never by the writers, so no request waits for it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)  # rows sealed
    seq = models.BigIntegerField(default=0)  # blocks sealed
