from django.db import models


class IdempotencyRecord(models.Model):
    """A create request with an ``Idempotency-Key``: claimed before the work (unique per caller
    and key), then the first answer, replayed on retries (``portal.api.idempotency``)."""

    caller = models.CharField(max_length=80)
    key = models.CharField(max_length=128)
    endpoint = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="idempotency_caller_key_unique"),
        ]
