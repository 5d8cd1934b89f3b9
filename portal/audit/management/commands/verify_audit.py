from django.core.management.base import BaseCommand, CommandError

from portal.audit.services import audit_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail (全程留痕); report the first tampered row."

    def handle(self, *args, **options):
        report = audit_verify()
        if report.first_bad_id is not None or report.reason:
            where = f"row {report.first_bad_id}" if report.first_bad_id is not None else "chain head"
            raise CommandError(f"audit trail tampered at {where}: {report.reason} ({report.checked} rows verified before it)")
        self.stdout.write(self.style.SUCCESS(f"audit trail intact: {report.checked} rows verified"))
