"""Properties of the forgiving search (`cases.search`), on names hypothesis makes up.

Folding is idempotent (a folded name folds to itself, so a query already folded finds what its
original finds), and every recorded spelling of a person finds them.
"""

import pytest
from django.db import transaction
from hypothesis import example, given
from hypothesis import strategies as st

from cases.models import Person
from cases.search import CYRILLIC, fold, fold_by_words

from .factories import make_person

# Letters names are written in here: Latin with the accents the tracker meets, and the Cyrillic
# the folding table knows (Russian, Kazakh, Ukrainian).
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyzäöüéèçğışłñøßæœðıAEIOUKHSZJXCQWY"
CYRILLIC_LETTERS = "".join(CYRILLIC) + "".join(CYRILLIC).upper()
word = st.text(alphabet=LATIN_LETTERS + CYRILLIC_LETTERS, min_size=1, max_size=12)
names = st.lists(word, min_size=1, max_size=4).map(" ".join)


@given(st.text())
@example("Aaa")  # found by hypothesis: a run of three folded to "aa", then to "a"
@example("QH")  # found by hypothesis: "kh" made by one rule and read by an earlier one
def test_folding_a_folded_text_changes_nothing(text):
    assert fold(fold(text)) == fold(text)


@given(st.text())
@example("Convicted: a development in the demo case of Maks Bokaev.")
@example("Max  xiao-Bokaeff\tQH")
def test_folding_word_by_word_gives_what_folding_the_whole_text_gives(text):
    assert fold_by_words(text, {}) == fold(text)


@given(names)
def test_folding_a_name_gives_lower_case_ascii_words_one_space_apart(name):
    folded = fold(name)
    assert folded == " ".join(folded.split())
    assert folded.isascii() and folded == folded.lower()


@pytest.mark.django_db
@given(name=names, variants=st.lists(names, max_size=3))
@example(name="Maks Bokaev", variants=["Макс Бокаев", "Max Bokayev"])
def test_every_recorded_spelling_of_a_name_finds_the_person(name, variants):
    with transaction.atomic():
        person = make_person(name[:200], variants=[variant[:200] for variant in variants], slug="someone")
        for spelling in [name, *variants]:
            if fold(spelling):  # a spelling of only signs, such as "ъ", names no one
                assert person in Person.objects.published().search(spelling), spelling
        transaction.set_rollback(True)
