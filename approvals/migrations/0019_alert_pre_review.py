"""电子监察 of 提前介入 预审: a pre-review's alert is an alert record like every other clock's; the
alerts raised before are recorded from the pre-reviews' own marks (yellow_at / red_at)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def record_raised_alerts(apps, schema_editor):
    PreReview = apps.get_model("projects", "PreReview")
    AlertRecord = apps.get_model("approvals", "AlertRecord")
    records = []
    for review in PreReview.objects.filter(models.Q(yellow_at__isnull=False) | models.Q(red_at__isnull=False)).values(
            "pk", "application_id", "application__service__department_id", "due_at", "yellow_at", "red_at"):
        for level in ("yellow", "red"):
            if review[f"{level}_at"] is not None:
                records.append(AlertRecord(
                    level=level, application_id=review["application_id"], pre_review_id=review["pk"],
                    department_id=review["application__service__department_id"], raised_at=review[f"{level}_at"],
                    due_at=review["due_at"], note="预审 (pre-review)"))
    AlertRecord.objects.bulk_create(records, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('approvals', '0018_intermediary_late'),
        ('centers', '0002_referral_late_alert'),
        ('organisation', '0003_service_commitments'),
        ('projects', '0002_pre_review_limit'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='alertrecord',
            name='alert_once_per_application',
        ),
        migrations.AddField(
            model_name='alertrecord',
            name='pre_review',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='alerts', to='projects.prereview'),
        ),
        migrations.AddConstraint(
            model_name='alertrecord',
            constraint=models.UniqueConstraint(condition=models.Q(('pre_review__isnull', True), ('referral__isnull', True), ('stage__isnull', True)), fields=('application', 'level'), name='alert_once_per_application'),
        ),
        migrations.AddConstraint(
            model_name='alertrecord',
            constraint=models.UniqueConstraint(condition=models.Q(('pre_review__isnull', False)), fields=('pre_review', 'level'), name='alert_once_per_pre_review'),
        ),
        migrations.RunPython(record_raised_alerts, migrations.RunPython.noop),
    ]
