"""Countries (ISO 3166-1): the `?country=` parameter, and the countries the public records cover."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.fields import Country


class CountryCodeField(forms.CharField):
    """An ISO 3166-1 alpha-2 code, in either case ("kz" is KZ); any other text is a form error."""

    def to_python(self, value) -> str:
        return super().to_python(value).strip().upper()

    def bound_data(self, data, initial):
        # So the list of countries shows "kz" from the address as chosen.
        return data.strip().upper() if isinstance(data, str) else data

    def validate(self, value):
        super().validate(value)
        if value and value not in countries:
            raise ValidationError(
                _("“%(code)s” is not a country code: use ISO 3166-1, two letters such as KZ."),
                code="invalid_country",
                # As params, not formatted in: the API formats the message again, and the text may hold a "%".
                params={"code": value},
            )

    @property
    def choices(self):
        # Every country, so a filter on a country with no records yet still names it (active filters).
        return list(countries)


def public_countries() -> list[Country]:
    """The countries of published people and cases, by name in the current language."""
    from .models import Case, Person

    def codes(records):
        return records.published().exclude(country="").order_by().values_list("country", flat=True)

    # One query: UNION also removes the duplicates.
    return sorted(
        (Country(code) for code in codes(Person.objects).union(codes(Case.objects))),
        key=lambda country: str(country.name),
    )


def country_choices() -> list[tuple[str, str]]:
    return [("", _("Any country")), *((country.code, str(country.name)) for country in public_countries())]


def names(countries_: list[Country]) -> str:
    """ "Kazakhstan", "Kazakhstan and Kyrgyzstan", "Kazakhstan, Kyrgyzstan and Uzbekistan"."""
    return str(get_text_list([str(country.name) for country in countries_], _("and")))
