from django.core.management.base import BaseCommand

from cases.custody import rebuild_all_custody_spans


class Command(BaseCommand):
    help = "Recompute every person's custody spans from the published events."

    def handle(self, *args, **options):
        count = rebuild_all_custody_spans()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt custody spans for {count} people."))
