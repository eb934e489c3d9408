from django.core.management.base import BaseCommand

from cases.caching import public_pages_changed
from cases.custody import rebuild_all_custody_spans


class Command(BaseCommand):
    help = (
        "Recompute every person's custody spans from the published events, their copied custody now, "
        "and the headcount and statistics tallies."
    )

    def handle(self, *args, **options):
        count = rebuild_all_custody_spans()
        # Bulk writes send no signals: retire the cached pages here.
        public_pages_changed()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt custody spans and tallies for {count} people."))
