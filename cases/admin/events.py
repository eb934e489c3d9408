"""Events: their page with its citations, the status update that records one from a case or a
person, and bulk import."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV

from ..models import Citation, Event
from ..permissions import can_publish
from ..resources import EventResource
from .forms import StatusUpdateForm
from .mixins import LockedForResearchersInline, RecordAdmin, VersionedForm


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
        if request.method == "POST" and form.is_valid() and (event := form.record()):
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
            {
                "fields": [
                    ("custody", "stage"),
                    ("sentence_months", "sentence_days"),
                    "parole_eligible_on",
                    "sentence_served",
                ]
            },
        ),
        (None, {"fields": ["description", "is_published"]}),
        (gettext_lazy("For the team only"), {"fields": ["internal_notes"]}),
        (gettext_lazy("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=gettext_lazy("date"), ordering="date_start")
    def date_display(self, event):
        return event.date.display
