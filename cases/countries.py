"""Countries (ISO 3166-1): the `?country=` parameter, and the countries the public records cover."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, router
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


# The distinct countries of a table's published records, one index probe per country found (a
# "loose index scan" over the partial index on the country of published records): a few
# milliseconds however many records there are, where DISTINCT or UNION reads every record.
DISTINCT_PUBLISHED_COUNTRIES = """
    {name}(country) AS (
        SELECT (SELECT country FROM {table} WHERE is_published AND country > '' ORDER BY country LIMIT 1)
        UNION ALL
        SELECT (SELECT country FROM {table} WHERE is_published AND country > {name}.country ORDER BY country LIMIT 1)
        FROM {name} WHERE {name}.country IS NOT NULL
    )
"""


def public_country_codes() -> set[str]:
    """The country codes of published people and cases, in one query."""
    from .models import Case, Person
    from .models.base import previewed_record

    if previewed_record() is not None:
        # A preview shows unpublished records too (see `published()`): read them the slow way.
        def codes(records):
            return records.published().exclude(country="").order_by().values_list("country", flat=True)

        return set(codes(Person.objects).union(codes(Case.objects)))
    # Raw SQL passes no router: ask it where reads go (the replica, for an anonymous visitor).
    connection = connections[router.db_for_read(Person)]
    tables = {"people": Person._meta.db_table, "cases": Case._meta.db_table}
    found = ", ".join(
        DISTINCT_PUBLISHED_COUNTRIES.format(name=name, table=connection.ops.quote_name(table))
        for name, table in tables.items()
    )
    union = " UNION ".join(f"SELECT country FROM {name} WHERE country IS NOT NULL" for name in tables)
    sql = f"WITH RECURSIVE {found} {union}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {code for (code,) in cursor.fetchall()}


def public_countries() -> list[Country]:
    """The countries of published people and cases, by name in the current language."""
    return sorted((Country(code) for code in public_country_codes()), key=lambda country: str(country.name))


def country_choices() -> list[tuple[str, str]]:
    return [("", _("Any country")), *((country.code, str(country.name)) for country in public_countries())]


def names(countries_: list[Country]) -> str:
    """ "Kazakhstan", "Kazakhstan and Kyrgyzstan", "Kazakhstan, Kyrgyzstan and Uzbekistan"."""
    return str(get_text_list([str(country.name) for country in countries_], _("and")))
