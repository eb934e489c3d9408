"""A record's address is made from its name in Latin letters, and no two records share one."""

import pytest

from cases.models import Source, Theme
from cases.models.base import unique_slug

from .factories import make_source

pytestmark = pytest.mark.django_db


def test_a_cyrillic_title_makes_an_address_in_latin_letters():
    assert unique_slug(Source, "Решение суда по делу Бокаева") == "reshenie-suda-po-delu-bokaeva"


def test_a_taken_address_gets_the_next_free_number():
    make_source("HRW report", slug="hrw-report")
    make_source("HRW report again", slug="hrw-report-2")
    assert unique_slug(Source, "HRW report") == "hrw-report-3"


def test_a_long_name_makes_an_address_that_fits_the_records_slug_field():
    name = "Persecution of members of unregistered opposition movements and of their relatives and their lawyers"
    first = unique_slug(Theme, name)
    Theme.objects.create(name=name, slug=first)
    second = unique_slug(Theme, name)
    assert second == f"{first}-2"
    assert len(second) <= Theme._meta.get_field("slug").max_length
