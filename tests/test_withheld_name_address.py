"""A withheld name stays out of the public address, whatever its script, length or spelling."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import NameVariant

from .factories import make_person

pytestmark = pytest.mark.django_db

ALIAS = "Name withheld — a trade unionist"


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Реалнейм Казахов", "realneim-kazakhov"), ("Bo Li", "bo-li"), ("Ян Ли", "yan-li")],
    ids=["cyrillic", "short-words", "short-cyrillic-words"],
)
def test_an_address_spelling_the_withheld_name_is_refused(name, slug):
    person = make_person(name, slug=slug, name_withheld=True, public_alias=ALIAS)
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert "would reveal the withheld name" in refused.value.message_dict["slug"][0]


def test_an_address_spelling_a_variant_of_the_withheld_name_is_refused():
    person = make_person(
        "Zhanara Akhmetova",
        slug="sultanova-teacher",
        variants=["Жанара Султанова"],
        name_withheld=True,
        public_alias=ALIAS,
    )
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert "sultanova" in refused.value.message_dict["slug"][0]
    person.slug = "teacher-from-almaty"
    person.full_clean()


def test_a_variant_in_the_address_of_a_withheld_name_is_refused():
    person = make_person("Zhanara Akhmetova", slug="sultanova-teacher", name_withheld=True, public_alias=ALIAS)
    with pytest.raises(ValidationError) as refused:
        NameVariant(person=person, name="Zhanara Sultanova").full_clean()
    assert "public address" in refused.value.message_dict["name"][0]
