from django.core.management.base import BaseCommand

from cases.caching import public_pages_changed
from cases.models import Case, Event, Organization, Person
from cases.search import rebuild_search_text


class Command(BaseCommand):
    help = (
        "Recompute the folded search text of every person, organisation, case and event "
        "(after a raw load or a bulk edit)."
    )

    def handle(self, *args, **options):
        for model in (Person, Organization, Case, Event):
            changed = rebuild_search_text(model.objects.all())
            self.stdout.write(f"{model._meta.verbose_name_plural}: {changed} updated.")
        # Bulk writes send no signals: retire the cached pages here.
        public_pages_changed()
        self.stdout.write(self.style.SUCCESS("Search text is up to date."))
