"""Load a report's data file (see fixtures/README.md) without touching researchers' work.

Every item is loaded at most once per dataset: an item already loaded is skipped, even
if a researcher has since edited or deleted it, and an item whose slug a researcher has
already used is left as the researcher made it.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from .dates import FuzzyDate
from .models import Case, Charge, Citation, Event, ImportedItem, NameVariant, Organization, Person, Source, Theme
from .search import rebuild_search_text


@dataclass
class LoadResult:
    added: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def count(self, kind: str):
        self.added[kind] = self.added.get(kind, 0) + 1

    @property
    def total_added(self) -> int:
        return sum(self.added.values())


class ReportLoader:
    def __init__(self, data: dict):
        self.data = data
        self.dataset = data["dataset"]
        # The country of every person and case the file holds, unless one names its own.
        self.country = data.get("country", "")
        self.result = LoadResult()
        self.loaded = set(ImportedItem.objects.filter(dataset=self.dataset).values_list("key", flat=True))

    def _once(self, key: str) -> bool:
        """True the first time `key` is seen in this dataset (and remember it)."""
        if key in self.loaded:
            return False
        ImportedItem.objects.create(dataset=self.dataset, key=key)
        self.loaded.add(key)
        return True

    def load(self) -> LoadResult:
        self.source = self._load_source(self.data["source"])
        for theme in self.data.get("themes", []):
            if self._once(f"theme:{theme['slug']}"):
                _, created = Theme.objects.get_or_create(slug=theme["slug"], defaults={"name": theme["name"]})
                created and self.result.count("themes")
        for charge in self.data.get("charges", []):
            if self._once(f"charge:{charge['slug']}"):
                _, created = Charge.objects.get_or_create(
                    slug=charge["slug"], defaults={"name": charge["name"], "article": charge.get("article", "")}
                )
                created and self.result.count("charges")
        for organization in self.data.get("organizations", []):
            self._load_named(
                Organization, organization, ("name", "kind", "location", "summary", "summary_ru"), "organization"
            )
        for person in self.data.get("people", []):
            self._load_named(
                Person,
                person,
                (
                    "name",
                    "identity",
                    "group_size",
                    "group_size_is_minimum",
                    "role",
                    "country",
                    "location",
                    "summary",
                    "summary_ru",
                ),
                "person",
                defaults={"country": self.country},
            )
        for case in self.data.get("cases", []):
            self._load_case(case)
        for event in self.data.get("context_events", []):
            self._load_event(event, case=None)
        # The citations were bulk-created, which sends no signals: the source counts what it supports here.
        Source.objects.filter(pk=self.source.pk).refresh_support()
        return self.result

    def _load_source(self, data: dict) -> Source:
        fields = {k: data.get(k, "") for k in ("title", "publisher", "url", "published", "language")}
        if self._once(f"source:{data['slug']}"):
            source, created = Source.objects.get_or_create(slug=data["slug"], defaults={**fields, "is_published": True})
            created and self.result.count("sources")
            return source
        # Loaded before: the researchers' copy (if they kept it) is the one to cite.
        return Source.objects.filter(slug=data["slug"]).first()

    def _load_named(self, model, data: dict, fields: tuple[str, ...], kind: str, defaults: dict | None = None):
        defaults = defaults or {}
        if not self._once(f"{kind}:{data['slug']}"):
            return
        if model.objects.filter(slug=data["slug"]).exists():
            self.result.skipped.append(f"{kind} {data['slug']}: a record with this slug already exists")
            return
        values = {**defaults, **{f: data[f] for f in fields if data.get(f) not in (None, "")}}
        record = model.objects.create(slug=data["slug"], is_published=True, **values)
        NameVariant.objects.bulk_create(
            NameVariant(
                **{kind: record}, name=v["name"], kind=v["kind"], note=v.get("note", ""), language=v.get("language", "")
            )
            for v in data.get("variants", [])
        )
        # bulk_create sends no signals: the search text has to learn the variants here.
        rebuild_search_text(model.objects.filter(pk=record.pk))
        self.result.count(str(model._meta.verbose_name_plural))

    def _load_case(self, data: dict):
        if self._once(f"case:{data['slug']}"):
            if Case.objects.filter(slug=data["slug"]).exists():
                self.result.skipped.append(f"case {data['slug']}: a record with this slug already exists")
            else:
                case = Case.objects.create(
                    slug=data["slug"],
                    title=data["title"],
                    title_ru=data.get("title_ru", ""),
                    kind=data["kind"],
                    country=data.get("country", self.country),
                    location=data.get("location", ""),
                    summary=data.get("summary", ""),
                    summary_ru=data.get("summary_ru", ""),
                    is_published=True,
                )
                case.themes.set(Theme.objects.filter(slug__in=data.get("themes", [])))
                case.charges.set(Charge.objects.filter(slug__in=data.get("charges", [])))
                case.organizations.set(Organization.objects.filter(slug__in=data.get("organizations", [])))
                case.people.set(Person.objects.filter(slug__in=data.get("people", [])))
                self.result.count("cases")
        case = Case.objects.filter(slug=data["slug"]).first()
        for event in data.get("events", []):
            self._load_event(event, case=case)

    def _load_event(self, data: dict, case: Case | None):
        if f"event:{data['key']}" in self.loaded:
            return
        if case is None and "theme" not in data or self.source is None:
            self.result.skipped.append(f"event {data['key']}: its case or source is missing")
            return
        self._once(f"event:{data['key']}")
        person = Person.objects.filter(slug=data["person"]).first() if data.get("person") else None
        event = Event(
            case=case,
            person=person,
            theme=Theme.objects.filter(slug=data["theme"]).first() if data.get("theme") else None,
            type=data["type"],
            custody=data.get("custody", ""),
            stage=data.get("stage", ""),
            sentence_months=data.get("sentence_months"),
            sentence_days=data.get("sentence_days"),
            sentence_served=data.get("sentence_served", ""),
            description=data["description"],
            is_published=True,
        )
        event.date = FuzzyDate.parse(str(data["date"]))
        event.full_clean()
        if event.publication_problems(sources=[self.source] if data["quotes"] else []):
            # The researchers have unpublished the report (or it gives no words for this).
            event.is_published = False
            self.result.skipped.append(
                f"publishing event {data['key']}: it is added unpublished, with no public source"
            )
        event.save()
        Citation.objects.bulk_create(Citation(event=event, source=self.source, quote=q) for q in data["quotes"])
        self.result.count("events")


@transaction.atomic
def load_report(path: Path) -> LoadResult:
    """Add what the database is missing from the data file at `path`; all or nothing."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return ReportLoader(data).load()
