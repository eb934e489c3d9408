"""People and organisations: name variants, the duplicate warning, merging and bulk import."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV

from .. import portraits
from ..choices import IN_CUSTODY_STATES, CustodyState
from ..duplicates import find_possible_duplicates
from ..models import Event, NameVariant, Organization, Person
from ..resources import PersonResource
from ..services import merge_people
from .display import PublicLinkMixin, timeline_html
from .events import StatusUpdateMixin
from .forms import MergeForm
from .mixins import LabelledTabularInline, LockedForResearchersInline, RecordAdmin, VersionedForm
from .widgets import PortraitInput, StaffDownload


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


class NameVariantInline(LockedForResearchersInline, LabelledTabularInline):
    model = NameVariant
    fields = ["name", "kind", "language", "note"]
    extra = 1


# The name-variant rows of a person's page as PersonForm reads them for the duplicate check: the
# page's inline (NameVariantInline) saves them, with the same prefix.
TypedVariants = forms.inlineformset_factory(Person, NameVariant, fields=["name"])


class PersonForm(VersionedForm):
    confirm_not_duplicate = forms.BooleanField(
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
        variants = self._typed_variants()
        if self.instance.pk and name == self.instance.name and not variants:
            return cleaned
        candidates = find_possible_duplicates(name, variants, exclude_pk=self.instance.pk)
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

    def _typed_variants(self) -> list[str]:
        """Spellings typed into the name-variant rows of this same page: added or changed, not deleted."""
        rows = TypedVariants(self.data, instance=self.instance)
        if not rows.is_valid():
            return []  # the page's own rows say what is wrong, and nothing is saved
        return [
            row.cleaned_data["name"]
            for row in rows.forms
            if row.has_changed() and row not in rows.deleted_forms and row.cleaned_data.get("name")
        ]


@admin.register(Person)
class PersonAdmin(StatusUpdateMixin, ImportMixin, PublicLinkMixin, RecordAdmin):
    form = PersonForm
    resource_classes = [PersonResource]
    import_formats = [CSV]
    list_display = ["name", "role", "identity", "custody_now", "location", "is_published"]
    list_filter = [CustodyListFilter, "role", "identity", "country", "is_published", "cases__themes", "cases__charges"]
    search_fields = ["name", "slug", "name_variants__name", "location"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["custody_now", "public_link", "portrait_preview", "timeline", "created_at", "updated_at"]
    formfield_overrides = {models.ImageField: {"widget": PortraitInput}}
    inlines = [NameVariantInline]
    related_history = [(NameVariant, "person")]
    actions = [*RecordAdmin.actions, "merge_two"]
    fieldsets = [
        (None, {"fields": [
            "name", "slug", "identity", "group_size", "group_size_is_minimum", "role", "country", "location",
            "summary", "summary_ru", "birth_year",
        ]}),
        (
            gettext_lazy("Name withheld for safety"),
            {"fields": ["name_withheld", "public_alias"], "description": gettext_lazy(
                "At the family's request: the public then sees only the alias, and the name and its variants "
                "appear nowhere public, search included."
            )},
        ),
        (
            gettext_lazy("Portrait"),
            {"fields": ["portrait", "portrait_preview", "portrait_credit", "portrait_consent"],
             "description": gettext_lazy(
                "Optional. Public only with consent, on a published record whose name is not withheld; place, time "
                "and camera details are removed from the file on upload."
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
        may_replace = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        if not may_replace or "portrait" in self.get_readonly_fields(request, obj):
            # Read-only, Django would link the file to its storage URL, and a private file has none:
            # the preview shows it instead.
            fieldsets = [
                (name, {**options, "fields": [f for f in options["fields"] if f != "portrait"]})
                for name, options in fieldsets
            ]
        return fieldsets

    def get_queryset(self, request):
        return super().get_queryset(request).with_custody()

    @admin.display(description=gettext_lazy("custody now, as published"), ordering="custody")
    def custody_now(self, person):
        if not person.pk:
            return "—"
        since = person.custody_since_display
        label = person.custody_display
        return f"{label} — {since}" if since else label

    @admin.display(description=gettext_lazy("current portrait"))
    def portrait_preview(self, person):
        download = StaffDownload.of_portrait(person)
        if download is None:
            return "—"
        return format_html('<img src="{}" alt="{}" class="portrait-preview">', download.url, person.name)

    def portrait_view(self, request, object_id):
        """The portrait as staff see it, published or not, after the same permission check as the form."""
        person = self.get_object(request, object_id)
        if person is None or not person.portrait:
            raise Http404
        if not self.has_view_permission(request, person):
            raise PermissionDenied
        response = FileResponse(person.portrait.open("rb"), content_type=portraits.content_type(person.portrait.name))
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

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
            path(
                "<path:object_id>/portrait/",
                self.admin_site.admin_view(self.portrait_view),
                name="cases_person_portrait",
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
