from django.core.management.base import BaseCommand, CommandError

from approvals import concerns


class Command(BaseCommand):
    help = ("Check that the departments each application concerns (涉及部门, what the departments' lists "
            "read) are what its item and its stages say; --repair makes them so (after data written "
            "around the portal, an import by SQL).")

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="add the missing rows and remove the extra ones")

    def handle(self, *args, repair=False, **options):
        if repair:
            done = concerns.repair()
            self.stdout.write(self.style.SUCCESS(
                f"departments concerned repaired: {done['added']} rows added, {done['removed']} removed"))
            return
        found = concerns.drift()
        if found["missing"] or found["extra"]:
            raise CommandError(
                "departments concerned differ from the items and stages: "
                f"missing (application, department) {found['missing']}, extra {found['extra']} "
                "(at most 20 of each shown); run with --repair")
        self.stdout.write(self.style.SUCCESS("departments concerned match the items and stages"))
