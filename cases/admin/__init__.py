"""The researchers' workspace: every record with its history, review before publication, a
one-form status update, duplicate warnings and merge, bulk import and the stale-cases dashboard."""

from django import forms as django_forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV

from ..choices import IN_CUSTODY_STATES, CustodyState
from ..duplicates import find_possible_duplicates
from ..models import (
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
from ..permissions import can_publish
from ..resources import EventResource, PersonResource
from ..services import merge_people, record_status_update
from ..watchlist import known_dates, stale_cases
from .forms import MergeForm, StaleCasesForm, StatusUpdateForm
from .mixins import LockedForResearchersInline, RecordAdmin, VersionedForm, VocabularyAdmin
from .widgets import AttachmentInput, StaffDownload


class CustodyListFilter(admin.SimpleListFilter):
    title = gettext_lazy("custody now")
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


class NameVariantInline(LockedForResearchersInline, admin.TabularInline):
    model = NameVariant
    fields = ["name", "kind", "note"]
    extra = 1


class PublicLinkMixin:
    @admin.display(description=gettext_lazy("public page"))
    def public_link(self, obj):
        if not obj.pk:
            return "—"
        if not obj.is_published:
            return _("Not published: the public sees nothing.")
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())


def timeline_html(events) -> str:
    """Events as the public reads them, with what the public does not see marked as such."""
    rows = []
    for event in events:
        quotes = format_html_join(
            "", "<blockquote>“{}” — {}</blockquote>", ((c.quote, c.source.title) for c in event.citations.all())
        )
        rows.append(
            format_html(
                '<li><a href="{}">{}</a> — {}{}{}</li>',
                reverse("admin:cases_event_change", args=[event.pk]),
                event.date.display,
                event.get_type_display(),
                "" if event.is_published else format_html(" <strong>({})</strong>", _("not published")),
                format_html("<p>{}</p>{}", event.description, quotes or _("No citation yet.")),
            )
        )
    if not rows:
        return _("No events yet.")
    return format_html('<ol class="timeline">{}</ol>', format_html_join("", "{}", ((row,) for row in rows)))


class StatusUpdateMixin:
    """ "Add status update": one short form from a case or a person (see cases/admin/forms.py)."""

    change_form_template = "admin/cases/change_form_with_status_update.html"

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/status-update/",
                self.admin_site.admin_view(self.status_update_view),
                name="{}_{}_status_update".format(*info),
            ),
            *super().get_urls(),
        ]

    def status_update_choices(self, obj):
        raise NotImplementedError

    def status_update_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not (self.has_view_permission(request, obj) and request.user.has_perm("cases.add_event")):
            raise PermissionDenied
        cases, people = self.status_update_choices(obj)
        form = StatusUpdateForm(
            request.POST or None, cases=cases, people=people, can_publish=can_publish(request.user, Event)
        )
        if request.method == "POST" and form.is_valid():
            try:
                event = record_status_update(**form.service_arguments())
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                state = _("published") if event.is_published else _("saved unpublished, for an Editor to review")
                self.message_user(request, _("Status update recorded, %(state)s.") % {"state": state})
                return HttpResponseRedirect(reverse(f"admin:cases_{self.model._meta.model_name}_change", args=[obj.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add status update: %(record)s") % {"record": obj},
            "opts": self.model._meta,
            "original": obj,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/cases/status_update.html", context, status=400 if form.errors else 200)


class PersonForm(VersionedForm):
    confirm_not_duplicate = django_forms.BooleanField(
        label=gettext_lazy("This is a different person from the ones listed above"), required=False
    )

    class Meta:
        model = Person
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if not name or cleaned.get("confirm_not_duplicate"):
            return cleaned
        if self.instance.pk and name == self.instance.name and not self._new_variants():
            return cleaned
        candidates = find_possible_duplicates(name, self._new_variants(), exclude_pk=self.instance.pk)
        if candidates:
            links = format_html_join(
                "",
                '<li><a href="{}" target="_blank" rel="noopener">{}</a></li>',
                ((reverse("admin:cases_person_change", args=[p.pk]), p.name) for p in candidates),
            )
            raise ValidationError(
                format_html(
                    "{}<ul>{}</ul>{}",
                    _("This may be someone already recorded:"),
                    links,
                    _("If so, add what you know to that record. If not, tick the box below and save again."),
                ),
                code="possible_duplicate",
            )
        return cleaned

    def _new_variants(self) -> list[str]:
        """Spellings typed into the name-variant rows of this same page."""
        prefix, names = "name_variants-", []
        for key, value in self.data.items():
            if key.startswith(prefix) and key.endswith("-name") and value.strip():
                row = key[: -len("-name")]
                if not self.data.get(f"{row}-DELETE"):
                    names.append(value.strip())
        return names


@admin.register(Person)
class PersonAdmin(StatusUpdateMixin, ImportMixin, PublicLinkMixin, RecordAdmin):
    form = PersonForm
    resource_classes = [PersonResource]
    import_formats = [CSV]
    list_display = ["name", "role", "identity", "custody_now", "location", "is_published"]
    list_filter = [CustodyListFilter, "role", "identity", "is_published", "cases__themes", "cases__charges"]
    search_fields = ["name", "slug", "name_variants__name", "location"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["custody_now", "public_link", "timeline", "created_at", "updated_at"]
    inlines = [NameVariantInline]
    related_history = [(NameVariant, "person")]
    actions = [*RecordAdmin.actions, "merge_two"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "identity", "group_size", "role", "location", "summary", "birth_year"]}),
        (
            gettext_lazy("Name withheld for safety"),
            {"fields": ["name_withheld", "public_alias"], "description": gettext_lazy(
                "At the family's request: the public then sees only the alias, and the name and its variants "
                "appear nowhere public, search included."
            )},
        ),
        (gettext_lazy("As the public sees it"), {"fields": ["custody_now", "public_link", "is_published"]}),
        (gettext_lazy("Timeline"), {"fields": ["timeline"]}),
        (gettext_lazy("For the team only"), {"fields": ["internal_notes"]}),
        (gettext_lazy("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]  # fmt: skip

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.method == "POST" and "name" not in self.get_readonly_fields(request, obj):
            # The duplicate confirmation appears once there is something to confirm.
            fieldsets = [*fieldsets, (None, {"fields": ["confirm_not_duplicate"]})]
        return fieldsets

    def get_queryset(self, request):
        return super().get_queryset(request).with_custody()

    @admin.display(description=gettext_lazy("custody now, as published"), ordering="custody")
    def custody_now(self, person):
        if not person.pk:
            return "—"
        since = person.custody_since
        label = person.custody_display
        return f"{label} ({_('since')} {since.display})" if since else label

    @admin.display(description=gettext_lazy("events"))
    def timeline(self, person):
        if not person.pk:
            return "—"
        events = Event.objects.concerning(person).distinct().prefetch_related("citations__source").in_date_order()
        return timeline_html(events)

    def status_update_choices(self, person):
        return person.cases.all(), Person.objects.filter(pk=person.pk)

    def get_deleted_objects(self, objs, request):
        """A person in a case is protected like one with events: the case must not lose them silently."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for person in objs:
            for case in person.cases.all():
                protected.append(
                    _("Case: %(case)s (take %(person)s out of it, or merge them, first)")
                    % {"case": case, "person": person}
                )
        return deleted, counts, perms_needed, protected

    # Merging duplicates (Editors) ---------------------------------------------------------

    def has_merge_permission(self, request):
        return request.user.has_perm("cases.merge_person")

    @admin.action(description=gettext_lazy("Merge the two selected people"), permissions=["merge"])
    def merge_two(self, request, queryset):
        if queryset.count() != 2:
            self.message_user(request, _("Select exactly two people to merge."), messages.WARNING)
            return None
        first, second = queryset.order_by("pk").values_list("pk", flat=True)
        return HttpResponseRedirect(reverse("admin:cases_person_merge", args=[first, second]))

    def get_urls(self):
        return [
            path(
                "merge/<int:first>/<int:second>/",
                self.admin_site.admin_view(self.merge_view),
                name="cases_person_merge",
            ),
            *super().get_urls(),
        ]

    def merge_view(self, request, first, second):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        people = Person.objects.filter(pk__in=[first, second])
        if first == second or people.count() != 2:
            raise Http404
        form = MergeForm(request.POST or None, people=people)
        if request.method == "POST" and form.is_valid():
            keep = form.cleaned_data["keep"]
            duplicate = people.exclude(pk=keep.pk).get()
            try:
                merge_people(keep, duplicate)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(
                    request, _("%(duplicate)s was merged into %(keep)s.") % {"duplicate": duplicate, "keep": keep}
                )
                return HttpResponseRedirect(reverse("admin:cases_person_change", args=[keep.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge two records of the same person"),
            "opts": self.model._meta,
            "form": form,
            "people": people.prefetch_related("name_variants", "cases"),
        }
        return TemplateResponse(request, "admin/cases/person/merge.html", context, status=400 if form.errors else 200)


@admin.register(Organization)
class OrganizationAdmin(PublicLinkMixin, RecordAdmin):
    list_display = ["name", "kind", "location", "is_published"]
    list_filter = ["kind", "is_published", "cases__themes"]
    search_fields = ["name", "slug", "name_variants__name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["public_link", "created_at", "updated_at"]
    inlines = [NameVariantInline]
    related_history = [(NameVariant, "organization")]


class EventInline(admin.TabularInline):
    """The case's events, read here; each is changed on its own page (and added as a status update)."""

    model = Event
    fk_name = "case"
    extra = 0
    show_change_link = True
    fields = ["date_display", "type", "person", "custody", "stage", "citations_summary", "is_published"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person").prefetch_related("citations__source")

    @admin.display(description=gettext_lazy("date"))
    def date_display(self, event):
        return event.date.display

    @admin.display(description=gettext_lazy("citations"))
    def citations_summary(self, event):
        quotes = format_html_join(
            "", "<blockquote>“{}” — {}</blockquote>", ((c.quote, c.source.title) for c in event.citations.all())
        )
        return quotes or _("No citation yet.")


@admin.register(Case)
class CaseAdmin(StatusUpdateMixin, PublicLinkMixin, RecordAdmin):
    list_display = ["title", "kind", "stage_now", "subjects", "is_published"]
    list_filter = ["kind", "themes", "charges", "is_published"]
    search_fields = ["title", "slug", "people__name", "people__name_variants__name", "organizations__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["people", "organizations", "charges"]
    filter_horizontal = ["themes"]
    readonly_fields = ["stage_now", "people_now", "public_link", "created_at", "updated_at"]
    inlines = [EventInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "location", "summary"]}),
        (gettext_lazy("Subjects and charges"), {"fields": ["people", "organizations", "charges", "themes"]}),
        (gettext_lazy("As the public sees it"), {"fields": ["stage_now", "people_now", "public_link", "is_published"]}),
        (gettext_lazy("For the team only"), {"fields": ["internal_notes"]}),
        (gettext_lazy("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_stage().prefetch_related("people", "organizations")

    @admin.display(description=gettext_lazy("stage now, as published"), ordering="stage")
    def stage_now(self, case):
        return case.stage_display or "—" if case.pk else "—"

    @admin.display(description=gettext_lazy("custody now, as published"))
    def people_now(self, case):
        if not case.pk:
            return "—"
        people = Person.objects.filter(cases=case).with_custody()
        return (
            format_html_join(
                "",
                "<p>{}: {}</p>",
                ((p.public_name if p.is_published else _("(not published)"), p.custody_display) for p in people),
            )
            or "—"
        )

    @admin.display(description=gettext_lazy("subjects"))
    def subjects(self, case):
        return ", ".join(str(s) for s in [*case.people.all(), *case.organizations.all()])

    def status_update_choices(self, case):
        return Case.objects.filter(pk=case.pk), case.people.all()

    # The stale-cases dashboard ------------------------------------------------------------

    def get_urls(self):
        return [
            path("stale/", self.admin_site.admin_view(self.stale_view), name="cases_case_stale"),
            *super().get_urls(),
        ]

    def stale_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = StaleCasesForm(request.GET or None)
        valid = form.is_valid() if form.is_bound else True
        months = (form.cleaned_data.get("months") if form.is_bound and valid else None) or 6
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cases that need attention"),
            "opts": self.model._meta,
            "form": form,
            "months": months,
            "cases": stale_cases(months, today) if valid else [],
            "dates": known_dates() if valid else [],
            "today": today,
        }
        return TemplateResponse(request, "admin/cases/case/stale.html", context, status=200 if valid else 400)


class CitationFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if not self.instance.is_published:
            return
        # The sources the event will cite after the save: its stored citations (a read-only
        # inline submits none of them) as this page changes or deletes them, plus new ones.
        stored = {c.pk: c.source for c in self.instance.citations.select_related("source")} if self.instance.pk else {}
        for form in self.initial_forms:
            if self._should_delete_form(form):
                stored.pop(form.instance.pk, None)
            elif form.has_changed() and (source := form.cleaned_data.get("source")):
                stored[form.instance.pk] = source
        added = [
            form.cleaned_data["source"]
            for form in self.extra_forms
            if form.has_changed() and not self._should_delete_form(form) and form.cleaned_data.get("source")
        ]
        if problems := self.instance.publication_problems(sources=[*stored.values(), *added]):
            raise ValidationError(problems)


class EventForm(VersionedForm):
    class Meta:
        model = Event
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        # On the change page the citations come with the form and CitationFormSet checks them;
        # a revert from history brings none, and the event keeps the citations it has.
        citations_on_page = f"{Event.citations.rel.get_accessor_name()}-TOTAL_FORMS" in self.data
        publishing = cleaned.get("is_published") and not citations_on_page
        if publishing and (problems := self.instance.publication_problems()):
            self.add_error("is_published", problems)
        return cleaned


class CitationInline(LockedForResearchersInline, admin.StackedInline):
    model = Citation
    formset = CitationFormSet
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["source", "quote", "location"]


@admin.register(Event)
class EventAdmin(ImportMixin, RecordAdmin):
    form = EventForm
    resource_classes = [EventResource]
    import_formats = [CSV]
    list_display = ["date_display", "type", "case", "person", "custody", "stage", "is_published"]
    list_filter = ["type", "custody", "stage", "date_precision", "is_published", "case__themes"]
    search_fields = ["description", "case__title", "person__name", "citations__quote"]
    autocomplete_fields = ["case", "person", "theme"]
    list_select_related = ["case", "person"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [CitationInline]
    related_history = [(Citation, "event")]
    fieldsets = [
        (None, {"fields": ["case", "person", "theme", "type"]}),
        (gettext_lazy("When"), {"fields": [("date_start", "date_end", "date_precision")]}),
        (
            gettext_lazy("What it changes"),
            {"fields": [("custody", "stage"), ("sentence_months", "sentence_days"), "parole_eligible_on"]},
        ),
        (None, {"fields": ["description", "is_published"]}),
        (gettext_lazy("For the team only"), {"fields": ["internal_notes"]}),
        (gettext_lazy("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=gettext_lazy("date"), ordering="date_start")
    def date_display(self, event):
        return event.date.display


def https_unless_said(field, **kwargs):
    """Form fields for a source: an address typed without a scheme is taken as https://."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class SourceForm(VersionedForm):
    class Meta:
        model = Source
        fields = "__all__"
        formfield_callback = https_unless_said

    def clean(self):
        cleaned = super().clean()
        # Against the stored row: the form may hold an old version from history (a revert).
        was_public = Source.objects.published().filter(pk=self.instance.pk).exists()
        unpublishing = was_public and cleaned.get("is_published") is False
        if unpublishing and (problems := self.instance.unpublishing_problems()):
            self.add_error("is_published", problems)
        return cleaned


@admin.register(Source)
class SourceAdmin(PublicLinkMixin, RecordAdmin):
    form = SourceForm
    list_display = ["title", "publisher", "published", "language", "reliability", "is_published"]
    list_filter = ["reliability", "publisher", "language", "is_published"]
    search_fields = ["title", "publisher", "url"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}, models.FileField: {"widget": AttachmentInput}}
    readonly_fields = ["public_link", "attachment_link", "attachment_sha256", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "publisher", "url", "published", "language"]}),
        (
            gettext_lazy("Provenance"),
            {
                "fields": [
                    "retrieved_on",
                    "archived_url",
                    "reliability",
                    "attachment",
                    "attachment_link",
                    "attachment_sha256",
                ]
            },
        ),  # fmt: skip
        (gettext_lazy("As the public sees it"), {"fields": ["public_link", "is_published"]}),
        (gettext_lazy("For the team only"), {"fields": ["internal_notes"]}),
        (gettext_lazy("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        may_replace = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        if may_replace and "attachment" not in self.get_readonly_fields(request, obj):
            return fieldsets
        # Read-only, Django would link the file to its storage URL, and a private file has none:
        # the download link shows it instead.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "attachment"]})
            for name, options in fieldsets
        ]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/attachment/",
                self.admin_site.admin_view(self.attachment_view),
                name="cases_source_attachment",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("download"))
    def attachment_link(self, source):
        download = StaffDownload.of(source)
        return format_html('<a href="{}">{}</a>', download.url, download.name) if download else "—"

    def attachment_view(self, request, object_id):
        """Attachments are staff-only: served here after a permission check, never from a public URL."""
        source = self.get_object(request, object_id)
        if source is None or not source.attachment:
            raise Http404
        if not self.has_view_permission(request, source):
            raise PermissionDenied
        response = FileResponse(
            source.attachment.open("rb"), as_attachment=True, filename=source.attachment.name.rsplit("/", 1)[-1]
        )
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(Charge)
class ChargeAdmin(VocabularyAdmin):
    list_display = ["name", "article"]
    search_fields = ["name", "article"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(VocabularyAdmin):
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
