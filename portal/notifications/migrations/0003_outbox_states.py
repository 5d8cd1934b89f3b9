# The outbox gets channels, states, backoff and a last error (issue 9 item 7).

from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def states_from_the_old_columns(apps, schema_editor):
    """Sent rows are "sent"; unsent rows after the old limit of 5 attempts are "failed";
    the rest are due now."""
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.filter(sent_at__isnull=False).update(status="sent")
    Notification.objects.filter(sent_at__isnull=True, attempts__gte=5).update(status="failed")
    Notification.objects.filter(sent_at__isnull=True).update(next_attempt_at=F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_inbox'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='notification',
            name='notification_unsent_idx',
        ),
        migrations.AddField(
            model_name='notification',
            name='channel',
            field=models.CharField(choices=[('email', 'e-mail'), ('sms', 'SMS')], db_default='email', default='email', max_length=8, verbose_name='channel'),
        ),
        migrations.AddField(
            model_name='notification',
            name='claimed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='notification',
            name='last_error',
            field=models.CharField(blank=True, db_default='', default='', max_length=300, verbose_name='last error'),
        ),
        migrations.AddField(
            model_name='notification',
            name='next_attempt_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='next attempt'),
        ),
        migrations.AddField(
            model_name='notification',
            name='phone',
            field=models.CharField(blank=True, db_default='', default='', max_length=20, verbose_name='mobile number'),
        ),
        migrations.AddField(
            model_name='notification',
            name='status',
            field=models.CharField(choices=[('pending', 'waiting to send'), ('sending', 'sending'), ('sent', 'sent'), ('failed', 'failed')], db_default='pending', default='pending', max_length=8, verbose_name='state'),
        ),
        migrations.RunPython(states_from_the_old_columns, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('status__in', ['pending', 'sending'])), fields=['next_attempt_at', 'id'], name='notification_due_idx'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('status', 'sent'), _negated=True), fields=['status', 'channel'], name='notification_unsent_state_idx'),
        ),
    ]
