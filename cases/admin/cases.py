"""Cases: their events as the public reads them, the status update, and the stale-cases dashboard."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Case, Event, Person
from ..watchlist import known_dates, stale_cases
from .display import PublicLinkMixin, quotes_html
from .events import StatusUpdateMixin
from .forms import StaleCasesForm
from .mixins import RecordAdmin


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

    def get_view_on_site_url(self, obj=None):
        # As on the event's own page: an unpublished one is seen in the preview.
        if obj is not None and obj.pk and not obj.is_published:
            return reverse("admin:cases_event_preview", args=[obj.pk]) + f"#event-{obj.pk}"
        return super().get_view_on_site_url(obj)

    @admin.display(description=gettext_lazy("date"))
    def date_display(self, event):
        return event.date.display

    @admin.display(description=gettext_lazy("citations"))
    def citations_summary(self, event):
        return quotes_html(event.citations.all())


@admin.register(Case)
class CaseAdmin(StatusUpdateMixin, PublicLinkMixin, RecordAdmin):
    list_display = ["title", "kind", "stage_now", "subjects", "is_published"]
    list_filter = ["kind", "country", "themes", "charges", "is_published"]
    search_fields = ["title", "slug", "people__name", "people__name_variants__name", "organizations__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["people", "organizations", "charges"]
    filter_horizontal = ["themes"]
    readonly_fields = ["stage_now", "people_now", "public_link", "created_at", "updated_at"]
    inlines = [EventInline]
    fieldsets = [
        (None, {"fields": ["title", "title_ru", "slug", "kind", "country", "location", "summary", "summary_ru"]}),
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
