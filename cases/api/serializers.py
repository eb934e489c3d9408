"""JSON shapes of the public API. Querysets are prepared by the views; nothing here queries."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from ..models import Case, Charge, Citation, Event, Organization, Person, Source


class PublicUrlsMixin(serializers.Serializer):
    """`url`: the public page; `api_url`: this record in the API."""

    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    api_view_name: str = ""

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())

    def get_api_url(self, obj) -> str:
        return reverse(self.api_view_name, args=[obj.slug], request=self.context["request"])


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["title", "publisher", "url", "published", "language"]


class CitationSerializer(serializers.ModelSerializer):
    source = SourceSerializer()

    class Meta:
        model = Citation
        fields = ["quote", "location", "source"]


class EventSerializer(serializers.ModelSerializer):
    date = serializers.CharField(source="date.edtf", help_text="EDTF: 2018-08-17, 2018-03, 2018-40, 2018-03/2018-11")
    date_display = serializers.CharField(source="date.display")
    citations = CitationSerializer(many=True, source="public_citations")
    # Null for an event that concerns the whole case, or a context event under a theme.
    person = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "date",
            "date_start",
            "date_end",
            "date_precision",
            "date_display",
            "type",
            "person",
            "custody",
            "stage",
            "sentence_months",
            "sentence_days",
            "description",
            "citations",
        ]


class ChargeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Charge
        fields = ["slug", "name", "article"]


class CaseWithEventsSerializer(serializers.ModelSerializer):
    charges = ChargeSerializer(many=True, source="charge_list")
    events = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["slug", "title", "kind", "charges", "events"]

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, case):
        # `public_events` is prefetched by the view; a person sees only the events that concern them.
        events = case.public_events
        subject = self.context.get("person")
        if subject is not None:
            events = [e for e in events if e.person_id in (None, subject.pk)]
        return EventSerializer(events, many=True, context=self.context).data


class CountryField(serializers.CharField):
    """ISO 3166-1 alpha-2, or null when the record names no country."""

    def __init__(self, **kwargs):
        super().__init__(
            allow_null=True, read_only=True, help_text="ISO 3166-1 alpha-2 code (KZ), or null when not recorded."
        )

    def to_representation(self, value):
        return value.code or None

    def get_attribute(self, instance):
        return instance.country


def variant_names(obj) -> list[str]:
    return [variant.name for variant in obj.public_name_variants]


class PersonSerializer(PublicUrlsMixin, serializers.ModelSerializer):
    api_view_name = "api:person-detail"
    name = serializers.CharField(source="public_name")
    name_variants = serializers.SerializerMethodField()
    custody = serializers.CharField(help_text="Custody state on `as_of`, or the latest known.")
    in_custody = serializers.BooleanField()
    status_date = serializers.SerializerMethodField(help_text="EDTF date of the event that set `custody`.")
    custody_began = serializers.SerializerMethodField(
        help_text="EDTF date `custody` began; null when its first report only says it held already."
    )
    custody_on_record_since = serializers.SerializerMethodField(help_text="EDTF date of the first report of `custody`.")
    custody_began_by = serializers.SerializerMethodField(
        help_text="EDTF date `custody` began by at the latest, when its beginning is not known but a report says "
        "how much of the sentence was served by its date (one third of six years by 2018-03: 2016-03); else null."
    )
    custody_last_reported = serializers.SerializerMethodField(
        help_text="EDTF date of the latest report of `custody` (null when no report supports it)."
    )
    custody_confirmed = serializers.BooleanField(
        help_text="Whether the latest report is recent enough to confirm `custody`: ended no more than "
        "CUSTODY_CONFIRMED_MONTHS (default 12) months before `as_of`, or today. False for `unknown`."
    )
    sentence_months = serializers.IntegerField(allow_null=True, help_text="The sentence served in this custody.")
    sentence_days = serializers.IntegerField(allow_null=True)
    expected_end = serializers.SerializerMethodField(
        help_text="EDTF: when the sentence would end, computed from the known start of custody (never reported), "
        "or the range `custody_began_by` allows; null when the start is neither known nor estimated."
    )

    country = CountryField()

    class Meta:
        model = Person
        fields = [
            "slug", "name", "name_variants", "identity", "group_size", "group_size_is_minimum", "country", "custody",
            "in_custody", "status_date", "custody_began", "custody_on_record_since", "custody_began_by",
            "custody_last_reported", "custody_confirmed", "sentence_months", "sentence_days", "expected_end", "url",
            "api_url",
        ]  # fmt: skip

    def get_name_variants(self, obj) -> list[str]:
        return variant_names(obj)

    def get_status_date(self, obj) -> str | None:
        return obj.custody_since.edtf if obj.custody_since else None

    def get_custody_began(self, obj) -> str | None:
        return obj.custody_began.edtf if obj.custody_began else None

    def get_custody_on_record_since(self, obj) -> str | None:
        return obj.custody_on_record_since.edtf if obj.custody_on_record_since else None

    def get_custody_began_by(self, obj) -> str | None:
        return obj.custody_began_by.edtf if obj.custody_began_by else None

    def get_expected_end(self, obj) -> str | None:
        return obj.expected_end.edtf if obj.expected_end else None

    def get_custody_last_reported(self, obj) -> str | None:
        return obj.custody_last_reported.edtf if obj.custody_last_reported else None


class PersonDetailSerializer(PersonSerializer):
    cases = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = PersonSerializer.Meta.fields + ["role", "location", "summary", "cases"]

    @extend_schema_field(CaseWithEventsSerializer(many=True))
    def get_cases(self, obj):
        return CaseWithEventsSerializer(obj.public_cases, many=True, context={**self.context, "person": obj}).data


class OrganizationSerializer(PublicUrlsMixin, serializers.ModelSerializer):
    api_view_name = "api:organization-detail"
    name_variants = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["slug", "name", "name_variants", "kind", "url", "api_url"]

    def get_name_variants(self, obj) -> list[str]:
        return variant_names(obj)


class OrganizationDetailSerializer(OrganizationSerializer):
    cases = CaseWithEventsSerializer(many=True, source="public_cases")

    class Meta(OrganizationSerializer.Meta):
        fields = OrganizationSerializer.Meta.fields + ["location", "summary", "cases"]


class SubjectSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(source="public_name")


class CaseSerializer(PublicUrlsMixin, serializers.ModelSerializer):
    api_view_name = "api:case-detail"
    stage = serializers.CharField(allow_null=True, help_text="Case stage on `as_of`, or the latest known.")
    themes = serializers.SerializerMethodField()
    charges = ChargeSerializer(many=True, source="charge_list")
    people = SubjectSerializer(many=True, source="public_people")
    organizations = SubjectSerializer(many=True, source="public_organizations")
    country = CountryField()

    class Meta:
        model = Case
        fields = [
            "slug",
            "title",
            "kind",
            "country",
            "stage",
            "themes",
            "charges",
            "people",
            "organizations",
            "url",
            "api_url",
        ]

    def get_themes(self, case) -> list[str]:
        """The slugs of its themes."""
        return [theme.slug for theme in case.theme_list]


class CaseDetailSerializer(CaseSerializer):
    events = EventSerializer(many=True, source="public_events")

    class Meta(CaseSerializer.Meta):
        fields = CaseSerializer.Meta.fields + ["location", "summary", "events"]


class EventListSerializer(EventSerializer):
    # An event has a case, a theme (context outside any case), or both: either may be null.
    case = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    theme = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = EventSerializer.Meta.fields + ["case", "theme", "url"]

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())
