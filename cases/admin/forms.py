"""Forms of the researchers' own admin pages: status update, merge, stale-cases dashboard."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..choices import CaseStage, CustodyState, DatePrecision, EventType, SentenceServed
from ..models import Case, Event, Person, Source
from ..models.events import QUOTE_MAX_LENGTH
from ..services import record_status_update
from ..widgets import DateInput

NO_CHANGE = [("", _("No change"))]
# The new source's fields the form offers, each as `new_source_<field>`.
NEW_SOURCE_FIELDS = ["title", "publisher", "url", "published", "language"]


class StatusUpdateForm(forms.Form):
    """One short form for what a researcher reads in a source: what happened, when, and who says so."""

    case = forms.ModelChoiceField(queryset=Case.objects.none(), label=_("Case"))
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("Person"),
        empty_label=_("Everyone in the case"),
        help_text=_("The one person this concerns, if it does not concern everyone in the case."),
    )
    date_start = forms.DateField(
        label=_("Date"),
        widget=DateInput,
        help_text=_("Any day inside the period for a month, part of a year or a year; the first day for a range."),
    )
    date_precision = forms.ChoiceField(label=_("How precise"), choices=DatePrecision.choices, initial=DatePrecision.DAY)
    date_end = forms.DateField(label=_("Latest date"), required=False, widget=DateInput, help_text=_("For a range."))
    type = forms.ChoiceField(
        label=_("What happened"),
        choices=[("", "—"), *EventType.choices],
        error_messages={"required": _("Choose what happened.")},
    )
    custody = forms.ChoiceField(label=_("Custody afterwards"), choices=NO_CHANGE + CustodyState.choices, required=False)
    stage = forms.ChoiceField(label=_("Case stage afterwards"), choices=NO_CHANGE + CaseStage.choices, required=False)
    sentence_months = forms.IntegerField(label=_("Sentence (months)"), min_value=1, required=False)
    sentence_days = forms.IntegerField(label=_("Sentence (days)"), min_value=1, required=False)
    parole_eligible_on = forms.DateField(label=_("Eligible for parole from"), required=False, widget=DateInput)
    sentence_served = forms.ChoiceField(
        label=_("Part of the sentence served by this date"),
        choices=[("", _("Not said"))] + SentenceServed.choices,
        required=False,
        help_text=Event._meta.get_field("sentence_served").help_text,
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ModelChoiceField(
        queryset=Source.objects.order_by("title"),
        required=False,
        label=_("Source"),
        help_text=_("Pick the source, or add a new one below."),
    )
    new_source_title = forms.CharField(label=_("New source: title"), required=False, max_length=300)
    new_source_publisher = forms.CharField(label=_("publisher"), required=False, max_length=200)
    new_source_url = forms.URLField(label=_("URL"), required=False, max_length=500, assume_scheme="https")
    new_source_published = forms.CharField(
        label=_("publication date"), required=False, max_length=30, help_text=_("2019-01-17, 2019-01 or 2019.")
    )
    new_source_language = forms.CharField(label=_("language"), required=False, max_length=10, initial="en")
    quote = forms.CharField(
        label=_("Quote"),
        required=False,
        max_length=QUOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The source's words, copied exactly. Needed before the update can be published."),
    )
    location = forms.CharField(label=_("Where in the source"), required=False, max_length=200)
    confirm_warnings = forms.BooleanField(
        label=_("I have checked the warnings above: record it anyway"), required=False
    )
    publish = forms.BooleanField(label=_("Publish now"), required=False)

    SECTIONS = [
        (_("What happened"), ["case", "person", "type", "description"]),
        (_("When"), ["date_start", "date_precision", "date_end"]),
        (_("What it changes"), ["custody", "stage", "sentence_months", "sentence_days", "parole_eligible_on",
                                "sentence_served"]),
        (_("Who says so"), ["source", "quote", "location", "new_source_title", "new_source_publisher",
                            "new_source_url", "new_source_published", "new_source_language"]),
        (_("Save"), ["confirm_warnings", "publish"]),
    ]  # fmt: skip

    EVENT_FIELDS = [
        "case", "person", "date_start", "date_precision", "date_end", "type", "custody", "stage",
        "sentence_months", "sentence_days", "parole_eligible_on", "sentence_served", "description",
    ]  # fmt: skip

    def __init__(self, *args, cases, people, can_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["person"].queryset = people
        if cases.count() == 1:
            self.fields["case"].initial = cases.first()
        if not can_publish:
            del self.fields["publish"]
        self.warnings: list[str] = []

    def sections(self):
        """The fields in the order a researcher reads a source, as (title, bound fields)."""
        for title, names in self.SECTIONS:
            fields = [self[name] for name in names if name in self.fields]
            if not self.warnings:
                fields = [field for field in fields if field.name != "confirm_warnings"]
            if fields:
                yield title, fields

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        picked, added = cleaned.get("source"), cleaned.get("new_source_title")
        if picked and added:
            raise ValidationError(_("Pick an existing source or add a new one, not both."))
        if (picked or added) and not cleaned.get("quote"):
            self.add_error("quote", _("Copy the words of the source that say this."))
        if cleaned.get("quote") and not (picked or added):
            self.add_error("source", _("Say which source these words come from."))
        return cleaned

    def record(self) -> Event | None:
        """Record the update (cases.services.record_status_update) from the valid form. None when it
        is refused or has doubts to confirm: the form then says why."""
        cleaned = self.cleaned_data
        new_source = None
        if cleaned.get("new_source_title"):
            # What is left empty takes the model's default.
            new_source = {f: value for f in NEW_SOURCE_FIELDS if (value := cleaned.get(f"new_source_{f}"))}
        try:
            update = record_status_update(
                **{name: cleaned.get(name) for name in self.EVENT_FIELDS},
                is_published=bool(cleaned.get("publish")),
                source=cleaned.get("source"),
                new_source=new_source,
                quote=cleaned.get("quote", ""),
                location=cleaned.get("location", ""),
                warnings_confirmed=bool(cleaned.get("confirm_warnings")),
            )
        except ValidationError as error:
            for field, messages in error.update_error_dict({}).items():
                name = "publish" if field == "is_published" else field
                self.add_error(name if name in self.fields else None, messages)
            return None
        if update.event is None:
            self.warnings = update.warnings
            self.add_error(
                None,
                ValidationError(
                    format_html(
                        "{}<ul>{}</ul>",
                        _("Please check before recording:"),
                        format_html_join("", "<li>{}</li>", ((w,) for w in self.warnings)),
                    ),
                    code="warnings",
                ),
            )
        return update.event


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        label=_("Keep this record"),
        help_text=_("The other record's cases, events and name variants move to it; the other is deleted."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = people


class StaleCasesForm(forms.Form):
    months = forms.IntegerField(
        label=_("No update for at least (months)"), min_value=1, max_value=120, initial=6, required=False
    )
