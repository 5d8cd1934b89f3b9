"""The demo world of SPEC §7: idempotent, refuses a production configuration unless forced."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from approvals.demo import demo_applications_generate, demo_world_seed
from portal.workcalendar.loader import calendar_load


class Command(BaseCommand):
    help = "Load the demo world (centers, departments, staff, four service items) and the work calendar."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even against a production configuration")
        parser.add_argument("--applications", type=int, default=0,
                            help="also generate N historical applications across states (20 to 400 days old: "
                                 "for benchmarks and long trends)")
        parser.add_argument("--history", action="store_true",
                            help="also seed a believable last month (decisions, ratings, a complaint) for the "
                                 "supervision pages; once (make run)")

    def handle(self, *args, force=False, applications=0, history=False, **options):
        if settings.PRODUCTION and not force:
            raise CommandError("refusing to load demo accounts into a production configuration (use --force)")
        counts = calendar_load()
        official = sorted(year for year, c in counts.items() if c.get("official"))
        self.stdout.write(f"work calendar: {len(counts)} years loaded"
                          + (f" (official {official[0]}-{official[-1]})" if official else ""))
        summary = demo_world_seed()
        for dotted in settings.DEMO_SEED_ADDITIONS:
            summary.update(import_string(dotted)())
        self.stdout.write(f"demo world: {summary}")
        if history:
            self.stdout.write(f"last month: {import_string(settings.DEMO_HISTORY)()}")
        if applications:
            demo_applications_generate(count=applications, progress=self.stderr)
        self.stdout.write(self.style.SUCCESS("demo world ready; password for every account: demo-pass-2026"))
