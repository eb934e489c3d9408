"""Bulk import of people and events from CSV (django-import-export).

Every imported record starts unpublished, and an import only adds: a row naming an existing
slug is an error, never a silent overwrite of a record an Editor may have published. An
import with any bad row saves nothing (IMPORT_EXPORT_USE_TRANSACTIONS).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .dates import FuzzyDate
from .models import Case, Citation, Event, NameVariant, Person, Source
from .models.base import slug_from


class OnlyNew:
    """Every row makes a new record: updates go through the admin's review rules instead."""

    def get_instance(self, instance_loader, row):
        return None


class SlugWidget(widgets.ForeignKeyWidget):
    """A related record named by its slug, with a message that says which one is missing."""

    def __init__(self, model):
        super().__init__(model, field="slug")

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("No %(model)s has the slug “%(slug)s”.") % {"model": self.model._meta.verbose_name, "slug": value}
            ) from None


class PersonResource(OnlyNew, resources.ModelResource):
    variants = fields.Field(
        column_name="variants", attribute=None, readonly=True, widget=widgets.CharWidget()
    )  # "Name one; Name two", saved after the person

    class Meta:
        model = Person
        fields = [
            "name",
            "slug",
            "identity",
            "role",
            "country",
            "location",
            "summary",
            "birth_year",
            "internal_notes",
            "variants",
        ]
        import_id_fields = ["slug"]
        clean_model_instances = True
        skip_unchanged = False

    def before_import_row(self, row, **kwargs):
        if not row.get("slug") and row.get("name"):
            # Not made unique: a name whose slug is taken is an error to see, never a silent second record.
            row["slug"] = slug_from(row["name"])

    def after_save_instance(self, instance, row, **kwargs):
        names = [name.strip() for name in (row.get("variants") or "").split(";") if name.strip()]
        NameVariant.objects.bulk_create(NameVariant(person=instance, name=name) for name in names)


class FuzzyDateField(fields.Field):
    """One `date` column in EDTF or "early 2018", stored as the interval and precision it allows."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        text = str(row.get(self.column_name) or "").strip()
        if not text:
            raise ValueError(_("Give the date, such as 2018-08-17, 2018-03, 2018 or 2018-03/2018-11."))
        instance.date = FuzzyDate.parse(text)


class EventResource(OnlyNew, resources.ModelResource):
    case = fields.Field(column_name="case", attribute="case", widget=SlugWidget(Case))
    person = fields.Field(column_name="person", attribute="person", widget=SlugWidget(Person))
    date = FuzzyDateField(column_name="date", attribute="date_start")
    source = fields.Field(column_name="source", attribute=None, readonly=True, widget=widgets.CharWidget())
    quote = fields.Field(column_name="quote", attribute=None, readonly=True, widget=widgets.CharWidget())

    class Meta:
        model = Event
        fields = [
            "case", "person", "date", "type", "custody", "stage", "sentence_months", "sentence_days",
            "description", "internal_notes", "source", "quote",
        ]  # fmt: skip
        import_id_fields = []
        clean_model_instances = True
        skip_unchanged = False

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        source_slug, quote = (row.get("source") or "").strip(), (row.get("quote") or "").strip()
        if bool(source_slug) != bool(quote):
            errors.setdefault("source", []).append(_("Give both the source's slug and its quote, or neither."))
        elif source_slug:
            instance._import_source = Source.objects.filter(slug=source_slug).first()
            if instance._import_source is None:
                errors.setdefault("source", []).append(_("No source has the slug “%(slug)s”.") % {"slug": source_slug})
            elif len(quote) > Citation._meta.get_field("quote").validators[0].limit_value:
                errors.setdefault("quote", []).append(_("The quote is too long."))
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        source = getattr(instance, "_import_source", None)
        if source is not None:
            Citation.objects.create(event=instance, source=source, quote=row["quote"].strip())
