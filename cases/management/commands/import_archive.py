from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_archive into an empty database migrated to the same state "
        "(`manage.py migrate` first). Checks every file against the manifest's SHA-256; restores all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The archive: a .zip file or a folder.")

    def handle(self, *args, path, **options):
        try:
            summary = import_archive(path)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        rows = sum(summary.rows.values())
        self.stdout.write(
            self.style.SUCCESS(f"{rows} rows of {len(summary.rows)} tables and {summary.files} files restored.")
        )
