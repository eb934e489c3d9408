"""Records no one edits by hand, shown read-only: custody spans derived from events, and what a
data load has added."""

from django.contrib import admin

from ..models import CustodySpan, ImportedItem


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
