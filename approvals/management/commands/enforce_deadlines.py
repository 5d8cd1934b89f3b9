from django.core.management.base import BaseCommand

from portal.sweep import sweep


class Command(BaseCommand):
    help = "Run one deadline sweep in the foreground (what the Celery beat entry runs)."

    def handle(self, *args, **options):
        report = sweep()
        for name, count in report.as_dict().items():
            self.stdout.write(f"{name}: {count}")
