from django.core.management.base import BaseCommand, CommandParser

from portal.workcalendar.loader import calendar_load
from portal.workcalendar.models import Source


class Command(BaseCommand):
    help = "Load the work calendar (working days, holidays, make-up days) from chinese-calendar and holidays."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", dest="years", help="load only this year (repeatable)")
        parser.add_argument(
            "--ahead", type=int, default=2, help="provisional years after the last official one (default 2)"
        )

    def handle(self, *args, years: list[int] | None, ahead: int, **options) -> None:
        result = calendar_load(years=years, provisional_years_ahead=ahead)
        for year, counts in result.items():
            kinds = ", ".join(f"{source} {counts[source]}" for source in Source.values if counts[source])
            self.stdout.write(f"{year}: {kinds}; {counts['updated']} rows written")
        official = [year for year, counts in result.items() if counts[Source.OFFICIAL]]
        provisional = [year for year, counts in result.items() if counts[Source.STATUTORY]]
        summary = f"{len(result)} years loaded"
        if official:
            summary += f"; official {official[0]}-{official[-1]}"
        if provisional:
            summary += "; provisional " + ", ".join(map(str, provisional))
        self.stdout.write(self.style.SUCCESS(summary))
