"""How several admin pages show the same things: a record's public page, citations and a timeline."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PublicLinkMixin:
    @admin.display(description=gettext_lazy("public page"))
    def public_link(self, obj):
        if not obj.pk:
            return "—"
        if not obj.is_published:
            preview = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_preview", args=[obj.pk])
            return format_html(
                '{} <a href="{}">{}</a>', _("Not published: the public sees nothing."), preview, _("Preview its page")
            )
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())


def quotes_html(citations) -> str:
    """Each citation's words with its source's title; prefetch `citations__source`."""
    quotes = format_html_join("", "<blockquote>“{}” — {}</blockquote>", ((c.quote, c.source.title) for c in citations))
    return quotes or _("No citation yet.")


def timeline_html(events) -> str:
    """Events as the public reads them, with what the public does not see marked as such."""
    rows = []
    for event in events:
        rows.append(
            format_html(
                '<li><a href="{}">{}</a> — {}{}{}</li>',
                reverse("admin:cases_event_change", args=[event.pk]),
                event.date.display,
                event.get_type_display(),
                "" if event.is_published else format_html(" <strong>({})</strong>", _("not published")),
                format_html("<p>{}</p>{}", event.description, quotes_html(event.citations.all())),
            )
        )
    if not rows:
        return _("No events yet.")
    return format_html('<ol class="timeline">{}</ol>', format_html_join("", "{}", ((row,) for row in rows)))
