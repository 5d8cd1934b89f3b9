from django.db import migrations, models


class Migration(migrations.Migration):
    """Idempotency records per caller (user or anonymous client) and key, with the request's
    hash. The old records (per user, key and endpoint, without a hash) are replay caches of
    past retries and cannot be carried over: they are dropped."""

    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM api_idempotencyrecord", migrations.RunSQL.noop),
        migrations.RemoveConstraint(model_name="idempotencyrecord", name="idempotency_unique"),
        migrations.RemoveField(model_name="idempotencyrecord", name="user"),
        migrations.AddField(model_name="idempotencyrecord", name="caller",
                            field=models.CharField(max_length=80, default=""), preserve_default=False),
        migrations.AddField(model_name="idempotencyrecord", name="request_hash",
                            field=models.CharField(max_length=64, default=""), preserve_default=False),
        migrations.AlterField(model_name="idempotencyrecord", name="status_code",
                              field=models.PositiveSmallIntegerField(null=True)),
        migrations.AlterField(model_name="idempotencyrecord", name="body", field=models.JSONField(null=True)),
        migrations.AddConstraint(model_name="idempotencyrecord", constraint=models.UniqueConstraint(
            fields=("caller", "key"), name="idempotency_caller_key_unique")),
    ]
