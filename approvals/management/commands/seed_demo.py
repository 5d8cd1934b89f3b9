"""The demo world of SPEC §7: idempotent, refuses a production configuration unless forced."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from approvals.demo import demo_applications_generate, demo_world_seed
from portal.workcalendar.loader import calendar_load


class Command(BaseCommand):
    help = "Load the demo world (centers, departments, staff, four service items) and the work calendar."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even against a production configuration")
        parser.add_argument("--applications", type=int, default=0,
                            help="also generate N historical applications across states")

    def handle(self, *args, force=False, applications=0, **options):
        if settings.PRODUCTION and not force:
            raise CommandError("refusing to load demo accounts into a production configuration (use --force)")
        counts = calendar_load()
        official = sorted(year for year, c in counts.items() if c.get("official"))
        self.stdout.write(f"work calendar: {len(counts)} years loaded"
                          + (f" (official {official[0]}-{official[-1]})" if official else ""))
        summary = demo_world_seed()
        self.stdout.write(f"demo world: {summary}")
        if applications:
            demo_applications_generate(count=applications, progress=self.stderr)
        self.stdout.write(self.style.SUCCESS("demo world ready; password for every account: demo-pass-2026"))
