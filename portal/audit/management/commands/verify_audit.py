from django.core.management.base import BaseCommand, CommandError

from portal.audit.services import anchor_path, audit_verify


class Command(BaseCommand):
    help = ("Verify the audit trail (全程留痕): every row against its hash, the sealed chain, its head "
            "and the signed checkpoints of the anchor file; report the first tampered row and the rows "
            "not yet sealed.")

    def handle(self, *args, **options):
        report = audit_verify()
        if report.first_bad_id is not None or report.reason:
            where = f"row {report.first_bad_id}" if report.first_bad_id is not None else "chain head"
            raise CommandError(f"audit trail tampered at {where}: {report.reason} "
                               f"({report.checked} rows verified before it)")
        self.stdout.write(self.style.SUCCESS(
            f"audit trail intact: {report.checked} rows verified, {report.sealed_blocks} blocks sealed"))
        if report.anchored_seq is None:
            self.stdout.write(self.style.WARNING(
                f"no checkpoint in {anchor_path()}: rows removed from the end would not be noticed"))
        else:
            self.stdout.write(f"newest checkpoint ({anchor_path()}) covers block {report.anchored_seq} "
                              f"of {report.sealed_blocks}")
        if report.unsealed:
            self.stdout.write(self.style.WARNING(
                f"{report.unsealed} rows are written but not yet sealed (oldest from "
                f"{report.oldest_unsealed_at:%Y-%m-%d %H:%M:%S %Z}): they are checked against each other, "
                "not yet against the chain"))
