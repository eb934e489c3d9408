import time

from django.core.management.base import BaseCommand, CommandError

from cases import demo
from cases.caching import public_pages_changed


class Command(BaseCommand):
    help = (
        "Fill the database with a clearly marked demo world of N people (synthetic names, cases, events, "
        "sources), or remove it with --delete. Deterministic for a seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, help="How many people to make (about 1.5 cases each).")
        parser.add_argument("--seed", type=int, default=1, help="The same seed makes the same world (default 1).")
        parser.add_argument(
            "--countries", type=int, default=5, help=f"Over how many countries (1–{len(demo.COUNTRIES)})."
        )
        parser.add_argument("--delete", action="store_true", help="Remove every demo record (first, with --people).")

    def handle(self, *args, people=None, seed=1, countries=5, delete=False, **options):
        if people is None and not delete:
            raise CommandError("Give --people N to make a demo world, or --delete to remove it.")
        if people is not None and people < 1:
            raise CommandError("--people must be at least 1.")
        if not 1 <= countries <= len(demo.COUNTRIES):
            raise CommandError(f"--countries must be between 1 and {len(demo.COUNTRIES)}.")
        started = time.perf_counter()
        if delete:
            deleted = demo.delete()
            # Bulk writes send no signals: retire the cached public pages here.
            public_pages_changed()
            self.stdout.write("Deleted demo " + ", ".join(f"{label}: {count:,}" for label, count in deleted.items()))
        if people is None:
            return
        if (existing := demo.existing_parameters()) is not None:
            raise CommandError(f"A demo world ({existing}) is already here: add --delete to replace it.")
        counts = demo.generate(
            people,
            seed,
            countries,
            log=lambda message: self.stdout.write(f"  {time.perf_counter() - started:6.1f} s  {message}"),
        )
        public_pages_changed()
        self.stdout.write(
            self.style.SUCCESS(
                "Made demo "
                + ", ".join(f"{label}: {count:,}" for label, count in counts.items())
                + f" in {time.perf_counter() - started:.0f} s."
            )
        )
