"""Roll up the supervision figures now; ``--rebuild`` starts again from the source tables."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from supervision.rollup import rollup_rebuild, rollup_step


class Command(BaseCommand):
    help = "Roll up the closed days of the supervision figures (the deadline sweep does this too)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="forget the rollup and build it again")

    def handle(self, *args, rebuild=False, **options):
        now = timezone.now()
        days = rollup_rebuild(now) if rebuild else rollup_step(now, batch=1)
        self.stdout.write(f"supervision rollup: {days} days rolled up")
