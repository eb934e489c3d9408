"""Charges and themes: the vocabularies the public reads, with their history."""

from django.contrib import admin

from ..models import Charge, Theme
from .mixins import VocabularyAdmin


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
