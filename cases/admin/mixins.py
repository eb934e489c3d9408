"""What every record's admin shares: history, review before publication, and edit versions."""

import copy

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.admin import SimpleHistoryAdmin

from ..permissions import can_publish, is_locked_for, may_preview
from ..services import set_published
from ..views.preview import preview_response
from .pagination import EstimatedCountPaginator

# Never worth showing in a list of what changed.
UNINTERESTING_FIELDS = {"version", "updated_at", "created_at"}


def describe_changes_since(obj, version: int) -> list[str]:
    """What was saved to `obj` after `version`, as "who: field: old → new" lines, from its history."""
    history = type(obj).history.filter(id=obj.pk)
    base = history.filter(version=version).order_by("-history_date").first()
    later = list(history.filter(version__gt=version).order_by("history_date").select_related("history_user"))
    if base is None or not later:
        return []
    editors = sorted({str(record.history_user or _("an unknown user")) for record in later})
    delta = later[-1].diff_against(base, excluded_fields=UNINTERESTING_FIELDS)
    lines = []
    for change in delta.changes:
        field = type(obj)._meta.get_field(change.field)
        lines.append(f"{field.verbose_name}: “{change.old}” → “{change.new}”")
    return [_("Saved meanwhile by %(who)s.") % {"who": ", ".join(editors)}, *lines]


def refuse_malformed_ids(model, object_id, version_id=None):
    """A record or version id that cannot exist is not found, like one that does not exist."""
    try:
        model._meta.pk.to_python(unquote(object_id))
        if version_id is not None:
            model.history.model._meta.pk.to_python(unquote(version_id))
    except ValidationError as error:
        raise Http404 from error


class VersionedForm(forms.ModelForm):
    """Carries the version the editor started from; a save from an older version is refused.

    The refusal re-displays the form with everything the user typed, lists what the other save
    changed, and moves the form to the new version: saving again then keeps the user's values.
    """

    # Not named "version": Django refuses a form field named after a non-editable model field.
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # From the stored row: a form opened on a copy from history (a revert) starts from now.
            self.fields["edit_version"].initial = self._stored_version(lock=False)

    def _stored_version(self, lock: bool) -> int | None:
        rows = type(self.instance)._base_manager.filter(pk=self.instance.pk)
        if lock and transaction.get_connection(router.db_for_write(type(self.instance))).in_atomic_block:
            rows = rows.select_for_update()  # held until the save commits: no one slips in between
        return rows.values_list("version", flat=True).first()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        stored = self._stored_version(lock=True)
        started_from = cleaned.get("edit_version")
        if stored is None or started_from == stored:
            return cleaned
        self.data = self.data.copy()
        self.data[self.add_prefix("edit_version")] = stored
        changes = describe_changes_since(self.instance, started_from) if started_from else []
        raise ValidationError(
            format_html(
                "{}<ul>{}</ul>{}",
                _("Someone else saved this record while you were editing it."),
                format_html_join("", "<li>{}</li>", ((line,) for line in changes)),
                _(
                    "Your version is kept in the form below and nothing has been saved. Compare it with the "
                    "changes above, then save again to keep yours."
                ),
            ),
            code="stale_version",
        )


class LockedForResearchersInline:
    """An inline on a published record is read-only for those who may not publish it."""

    def _parent_locked(self, request, obj):
        return is_locked_for(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return not self._parent_locked(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._parent_locked(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._parent_locked(request, obj) and super().has_delete_permission(request, obj)


class LabelledTabularInline(admin.TabularInline):
    """A table of inline rows whose every control has a name: a column heading alone is not a label."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for field in formset.form.base_fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))
        return formset


class LockedNoticeMixin:
    """A record its user may not change says so on its page, and what they can do instead."""

    locked_notice = ""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if is_locked_for(request.user, obj):
            messages.info(request, self.locked_notice)
            if getattr(self, "notes_field", None) and self.has_change_permission(request, obj):
                # Nothing to save but the notes: one button that says so (templates/admin/cases/change_form.html).
                context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False)
                context["notes_only"] = True
        return super().render_change_form(request, context, add, change, form_url, obj)


class RecordAdmin(LockedNoticeMixin, SimpleHistoryAdmin):
    """The admin of a publishable record (see README, "Review and publication")."""

    form = VersionedForm
    change_list_template = "admin/cases/record_change_list.html"
    # No COUNT of a whole large table, neither for the list nor for "N total" beside a filtered one.
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # Half Django's hundred: rendering a row's cells, not the database, is most of a page's time.
    list_per_page = 50
    object_history_template = "admin/cases/object_history.html"
    # Parts edited inline on this record's page, whose history shows on its history page:
    # (model, name of the foreign key to this record).
    related_history: list[tuple[type, str]] = []
    actions = ["publish_selected", "unpublish_selected"]
    # Researchers may always write here, even on a published record, to flag what needs review.
    notes_field = "internal_notes"
    locked_notice = gettext_lazy(
        "This record is published: only an Editor can change it. Write what needs correcting in "
        "the internal notes and an Editor will review it."
    )

    def get_search_results(self, request, queryset, search_term):
        """Django's search (every word in one of `search_fields`, case-insensitively), as one set of
        matching ids per word: each field's matches come from its own table, by its trigram index on
        PostgreSQL (migration 0014). Django's joins repeat a record once per match, so the list turns
        DISTINCT over every column, and an OR across joined tables reads every row of each: seconds
        at 100,000 people."""
        search_fields = self.get_search_fields(request)
        if not search_term or not search_fields:
            return super().get_search_results(request, queryset, search_term)
        records = queryset.model._default_manager.order_by()
        for word in smart_split(search_term):
            if word[0] in "\"'" and word[0] == word[-1] and len(word) > 1:
                word = unescape_string_literal(word)
            matches = [records.filter(**{f"{field}__icontains": word}).values("pk") for field in search_fields]
            queryset = queryset.filter(pk__in=matches[0].union(*matches[1:], all=True))
        return queryset, False

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # The Published control first, with what it means for this record now.
        rest = [
            (name, {**options, "fields": [f for f in options["fields"] if f != "is_published"]})
            for name, options in fieldsets
        ]
        fieldsets = [self.publication_fieldset, *[(name, options) for name, options in rest if options["fields"]]]
        if not any("edit_version" in flatten_fieldsets([fieldset]) for fieldset in fieldsets):
            name, options = fieldsets[0]
            fieldsets = [(name, {**options, "fields": [*options["fields"], "edit_version"]}), *fieldsets[1:]]
        return fieldsets

    # Publication ---------------------------------------------------------------------------

    publication_fieldset = (gettext_lazy("Publication"), {"fields": ["publication_state", "is_published"]})

    def has_publish_permission(self, request):
        return can_publish(request.user, self.model)

    @admin.display(description=gettext_lazy("state"))
    def publication_state(self, obj):
        if obj is None or obj.pk is None:
            return _("New: it starts unpublished, for an Editor to review.")
        if obj.is_published:
            return _("Published: the public sees it.")
        if type(obj).history.filter(id=obj.pk, is_published=True).exists():
            state = _("Sent back: it was published, and an Editor unpublished it. The public sees nothing of it.")
        else:
            state = _("Draft: not published yet. The public sees nothing of it until an Editor publishes it.")
        return format_html(
            '{} <a href="{}">{}</a>', state, self.get_view_on_site_url(obj), _("Preview its public page")
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "publication_state"]
        if not self.has_publish_permission(request):
            readonly.append("is_published")
        if is_locked_for(request.user, obj):
            editable = {f.name for f in self.model._meta.get_fields() if getattr(f, "editable", False)}
            readonly += sorted(editable - {self.notes_field, "is_published", "id"} - set(readonly))
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if is_locked_for(request.user, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def _publish(self, request, queryset, published: bool):
        result = set_published(queryset, published)
        if result.changed:
            message = (
                ngettext("%(count)d record published.", "%(count)d records published.", len(result.changed))
                if published
                else ngettext("%(count)d record unpublished.", "%(count)d records unpublished.", len(result.changed))
            )
            self.message_user(request, message % {"count": len(result.changed)}, messages.SUCCESS)
        refusal = (
            _("Not published: “%(record)s”. %(reason)s")
            if published
            else _("Not unpublished: “%(record)s”. %(reason)s")
        )
        for record, reason in result.refused:
            self.message_user(request, refusal % {"record": record, "reason": reason}, messages.ERROR)

    @admin.action(description=gettext_lazy("Publish selected records"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._publish(request, queryset, True)

    @admin.action(description=gettext_lazy("Unpublish selected records"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._publish(request, queryset, False)

    # History -------------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        refuse_malformed_ids(self.model, object_id)
        parts = []
        for model, foreign_key in self.related_history:
            records = model.history.filter(**{f"{foreign_key}_id": object_id}).select_related("history_user")
            for record in records.order_by("-history_date")[:200]:
                previous = record.prev_record
                changes = record.diff_against(previous).changes if previous else []
                parts.append((model._meta.verbose_name, record, changes))
        context = {**(extra_context or {}), "related_history": parts}
        return super().history_view(request, object_id, context)

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name="{}_{}_deleted".format(*info)),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            *super().get_urls(),
        ]

    # Preview -------------------------------------------------------------------------------

    def preview_url(self, obj) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk])

    def get_view_on_site_url(self, obj=None):
        # An unpublished record has no public page yet: "View on site" shows what it will be.
        if obj is not None and obj.pk and not obj.is_published:
            fragment = obj.get_absolute_url().partition("#")[2]
            return self.preview_url(obj) + (f"#{fragment}" if fragment else "")
        return super().get_view_on_site_url(obj)

    def preview_view(self, request, object_id):
        """The record's public page as it will read once published, for Editors and its Researcher."""
        refuse_malformed_ids(self.model, object_id)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not may_preview(request.user, obj):
            raise PermissionDenied
        language = request.GET.get("language", settings.LANGUAGE_CODE)
        if language not in dict(settings.LANGUAGES):
            message = _("There is no page in the language “%(language)s”; the languages are: %(languages)s.") % {
                "language": language,
                "languages": ", ".join(dict(settings.LANGUAGES)),
            }
            return self.admin_site._bad_request(request, message)
        return preview_response(request, obj, language)

    def deleted_view(self, request):
        """Deleted records, newest first, each with its history page, where an Editor can bring it back."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        existing = self.model._default_manager.values("pk")
        deletions = (
            self.model.history.filter(history_type="-")
            .exclude(id__in=existing)
            .select_related("history_user")
            .order_by("-history_date")[:100]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(records)s") % {"records": self.model._meta.verbose_name_plural},
            "opts": self.model._meta,
            "deletions": deletions,
            "can_restore": self.has_delete_permission(request),
        }
        return TemplateResponse(request, "admin/cases/deleted.html", context)

    def revert_disabled(self, request, obj=None):
        # A revert changes the record: the same rules as an edit. Bringing back a deleted record
        # is a deletion undone, so it is the Editors' too.
        current = self.model._default_manager.filter(pk=obj.pk).first() if obj is not None else None
        if obj is not None and current is None:
            return not self.has_delete_permission(request)
        locked = is_locked_for(request.user, obj) or is_locked_for(request.user, current)
        return locked or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        refuse_malformed_ids(self.model, object_id, version_id)
        version = self.model.history.filter(id=unquote(object_id), history_id=unquote(version_id)).first()
        if version is None:
            raise Http404
        if request.method == "POST" and self.revert_disabled(request, version.instance):
            raise PermissionDenied
        # simple-history builds the form with `self.prepopulated_fields`, which names the slug even
        # where it is read-only (a published record, for a Researcher or a Viewer): give it a copy
        # of this admin for this request that prepopulates only what this user may edit.
        view = copy.copy(self)
        view.prepopulated_fields = self.get_prepopulated_fields(request, version.instance)
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super(RecordAdmin, view).history_form_view(request, object_id, version_id, extra_context)


class VocabularyAdmin(LockedNoticeMixin, SimpleHistoryAdmin):
    """A vocabulary the public reads (charges, themes): with history, and once a published case
    uses a value, changed only by those who may publish cases (see cases.permissions)."""

    locked_notice = gettext_lazy(
        "Published cases use this, so the public reads it: only an Editor can change it. Tell an "
        "Editor what needs correcting."
    )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not is_locked_for(request.user, obj)

    def history_view(self, request, object_id, extra_context=None):
        refuse_malformed_ids(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        refuse_malformed_ids(self.model, object_id, version_id)
        # A revert is a change: django-simple-history lets anyone who may read the history post one.
        if request.method == "POST" and not self.has_change_permission(
            request, self.model._default_manager.filter(pk=unquote(object_id)).first()
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
