from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.report import load_report

DEFAULT_FILE = Path(settings.BASE_DIR) / "fixtures" / "kazakhstan-2018.yaml"


class Command(BaseCommand):
    help = "Add the report's people, cases and events that the database is missing. Never overwrites or deletes."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_FILE), help="The data file (YAML).")

    def handle(self, *args, path, **options):
        if not Path(path).is_file():
            raise CommandError(f"No data file at {path}")
        result = load_report(Path(path))
        if result.total_added:
            added = ", ".join(f"{count} {kind}" for kind, count in sorted(result.added.items()))
            self.stdout.write(self.style.SUCCESS(f"Added {added}."))
        else:
            self.stdout.write("Nothing to add: the report is already loaded.")
        for line in result.skipped:
            self.stdout.write(self.style.WARNING(f"Skipped {line}"))
