"""The researchers' workspace: every model, with the derived status shown as the public sees it."""

from django.contrib import admin
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .choices import IN_CUSTODY_STATES, CustodyState
from .models import (
    Case,
    Charge,
    Citation,
    CustodySpan,
    Event,
    ImportedItem,
    NameVariant,
    Organization,
    Person,
    Source,
    Theme,
)


class CustodyListFilter(admin.SimpleListFilter):
    title = _("custody now")
    parameter_name = "custody"

    def lookups(self, request, model_admin):
        return [("in_custody", _("In custody (any form)")), *CustodyState.choices]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "in_custody":
            return queryset.filter(custody__in=IN_CUSTODY_STATES)
        if value in CustodyState.values:
            return queryset.filter(custody=value)
        return queryset


class NameVariantInline(admin.TabularInline):
    model = NameVariant
    fields = ["name", "kind", "note"]
    extra = 1


class PublicLinkMixin:
    @admin.display(description=_("public page"))
    def public_link(self, obj):
        if not obj.pk:
            return "—"
        if not obj.is_published:
            return _("Not published: the public sees nothing.")
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())


@admin.register(Person)
class PersonAdmin(PublicLinkMixin, admin.ModelAdmin):
    list_display = ["name", "role", "identity", "custody_now", "location", "is_published"]
    list_filter = [CustodyListFilter, "role", "identity", "is_published", "cases__themes", "cases__charges"]
    search_fields = ["name", "slug", "name_variants__name", "location"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["custody_now", "public_link", "created_at", "updated_at"]
    inlines = [NameVariantInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "identity", "group_size", "role", "location", "summary"]}),
        (_("Status"), {"fields": ["custody_now", "public_link", "is_published"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_custody()

    @admin.display(description=_("custody now"), ordering="custody")
    def custody_now(self, person):
        if not person.pk:
            return "—"
        since = person.custody_since
        label = person.custody_display
        return f"{label} ({_('since')} {since.display})" if since else label


@admin.register(Organization)
class OrganizationAdmin(PublicLinkMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "location", "is_published"]
    list_filter = ["kind", "is_published", "cases__themes"]
    search_fields = ["name", "slug", "name_variants__name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["public_link", "created_at", "updated_at"]
    inlines = [NameVariantInline]


class EventInline(admin.StackedInline):
    model = Event
    fk_name = "case"
    extra = 0
    show_change_link = True
    fields = [
        ("date_start", "date_end", "date_precision"),
        ("type", "person"),
        ("custody", "stage"),
        ("sentence_months", "sentence_days"),
        "description",
        "citations_summary",
        "is_published",
    ]
    readonly_fields = ["citations_summary"]
    autocomplete_fields = ["person"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person").prefetch_related("citations__source")

    @admin.display(description=_("citations"))
    def citations_summary(self, event):
        if not event.pk:
            return _("Save first, then add citations from the event's own page.")
        quotes = format_html_join(
            "", "<blockquote>“{}” — {}</blockquote>", ((c.quote, c.source.title) for c in event.citations.all())
        )
        return quotes or _("No citation yet: open the event to add one.")


@admin.register(Case)
class CaseAdmin(PublicLinkMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "stage_now", "subjects", "is_published"]
    list_filter = ["kind", "themes", "charges", "is_published"]
    search_fields = ["title", "slug", "people__name", "people__name_variants__name", "organizations__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["people", "organizations", "charges"]
    filter_horizontal = ["themes"]
    readonly_fields = ["stage_now", "public_link", "created_at", "updated_at"]
    inlines = [EventInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "location", "summary"]}),
        (_("Subjects and charges"), {"fields": ["people", "organizations", "charges", "themes"]}),
        (_("Status"), {"fields": ["stage_now", "public_link", "is_published"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_stage().prefetch_related("people", "organizations")

    @admin.display(description=_("stage now"), ordering="stage")
    def stage_now(self, case):
        return case.stage_display or "—" if case.pk else "—"

    @admin.display(description=_("subjects"))
    def subjects(self, case):
        return ", ".join(str(s) for s in [*case.people.all(), *case.organizations.all()])


class CitationInline(admin.StackedInline):
    model = Citation
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["source", "quote", "location"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["date_display", "type", "case", "person", "custody", "stage", "is_published"]
    list_filter = ["type", "custody", "stage", "date_precision", "is_published", "case__themes"]
    search_fields = ["description", "case__title", "person__name", "citations__quote"]
    autocomplete_fields = ["case", "person", "theme"]
    list_select_related = ["case", "person"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [CitationInline]
    fieldsets = [
        (None, {"fields": ["case", "person", "theme", "type"]}),
        (_("When"), {"fields": [("date_start", "date_end", "date_precision")]}),
        (_("What it changes"), {"fields": [("custody", "stage"), ("sentence_months", "sentence_days")]}),
        (None, {"fields": ["description", "is_published"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("date"), ordering="date_start")
    def date_display(self, event):
        return event.date.display


@admin.register(Source)
class SourceAdmin(PublicLinkMixin, admin.ModelAdmin):
    list_display = ["title", "publisher", "published", "language", "is_published"]
    list_filter = ["publisher", "language", "is_published"]
    search_fields = ["title", "publisher", "url"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["public_link", "created_at", "updated_at"]


@admin.register(Charge)
class ChargeAdmin(admin.ModelAdmin):
    list_display = ["name", "article"]
    search_fields = ["name", "article"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CustodySpan)
class CustodySpanAdmin(admin.ModelAdmin):
    """Derived from events: read it here, change it by changing events."""

    list_display = ["person", "state", "valid_from", "valid_until", "event"]
    list_filter = ["state"]
    search_fields = ["person__name"]
    list_select_related = ["person", "event"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):
    list_display = ["dataset", "key", "loaded_at"]
    list_filter = ["dataset"]
    search_fields = ["key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
