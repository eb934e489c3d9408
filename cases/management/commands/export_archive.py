from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.archive import ArchiveError, export_archive


class Command(BaseCommand):
    help = (
        "Write the whole database (published or not, history, users and groups) and the uploaded files to an "
        "archive: PATH.zip, or a new folder PATH. Password hashes and second-factor secrets only with --with-secrets."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A new .zip file, or a new folder for any other name.")
        parser.add_argument(
            "--with-secrets",
            action="store_true",
            help="Include password hashes and TOTP and backup-code secrets: keep such an archive as safe as the server",
        )

    def handle(self, *args, path, with_secrets, **options):
        try:
            summary = export_archive(path, with_secrets=with_secrets)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        rows = sum(summary.rows.values())
        tables = len(summary.rows)
        message = f"{rows} rows of {tables} tables and {summary.files} files written to {path}."
        self.stdout.write(self.style.SUCCESS(message))
