"""Is this person already recorded? Names compared across transliterations (see DOMAIN.md).

Uses the public search's folding (cases.search.fold), so staff and public agree on what
"the same name" is. Candidates come from the indexed `search_text`; people whose name is
withheld keep only their alias there, so they are compared by their real names here.
"""

from django.db.models import Q

from .models import Person
from .search import fold


def _same_name(a: frozenset, b: frozenset) -> bool:
    # Equal words in any order ("Tungishbaev Murat"), or one name inside the other when the
    # shorter has at least two words (a patronymic left out).
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    return a == b or (len(shorter) >= 2 and shorter <= longer)


def find_possible_duplicates(name: str, variants=(), exclude_pk: int | None = None) -> list[Person]:
    """People whose name or a name variant matches `name` or one of `variants`, closest first."""
    wanted = [frozenset(fold(n).split()) for n in (name, *variants) if n and n.strip()]
    wanted = [key for key in wanted if key]
    if not wanted:
        return []
    # Anyone sharing the longest word of one of the names (usually the surname) is a candidate.
    narrowing = Q(name_withheld=True)
    for key in wanted:
        narrowing |= Q(search_text__contains=max(key, key=len))
    candidates = Person.objects.filter(narrowing).exclude(pk=exclude_pk).prefetch_related("name_variants")
    hits: dict[Person, int] = {}
    for person in candidates:
        for other in (person.name, *(variant.name for variant in person.name_variants.all())):
            words = frozenset(fold(other).split())
            for key in wanted:
                if _same_name(key, words):
                    hits[person] = min(hits.get(person, 1), 0 if key == words else 1)
    return sorted(hits, key=lambda p: (hits[p], p.name))
