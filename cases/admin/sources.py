"""Sources: provenance, the private attachment and its staff-only download, and the rule that a
source an event stands on stays published."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import FileResponse, Http404
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from ..models import Source
from .display import PublicLinkMixin
from .mixins import RecordAdmin, VersionedForm
from .widgets import AttachmentInput, StaffDownload


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
    list_display = ["title", "publisher", "published_display", "language", "reliability", "is_published"]
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

    @admin.display(description=gettext_lazy("publication date"), ordering="published")
    def published_display(self, source):
        return source.published_date.display if source.published_date else "—"

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
