"""Is this person already recorded? Names compared across transliterations (see DOMAIN.md).

A small local folding for now: when the public search's transliteration folding lands, this
module should compare with it instead, so staff and public agree on what "the same name" is.
"""

import re
import unicodedata

from .models import NameVariant, Person

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "ь": "",
    "э": "e", "ю": "iu", "я": "ia", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i",
}  # fmt: skip

# Latin spellings of the same sounds, folded to one (longest first).
LATIN = [
    ("shch", "sh"), ("sch", "sh"), ("kh", "h"), ("x", "ks"), ("zh", "j"), ("ts", "c"),
    ("yu", "iu"), ("ju", "iu"), ("ya", "ia"), ("ja", "ia"), ("yo", "e"), ("ye", "e"), ("y", "i"), ("q", "k"),
    ("w", "v"), ("eff", "ev"),
]  # fmt: skip
_LATIN = re.compile("|".join(re.escape(a) for a, _b in LATIN))
_LATIN_MAP = dict(LATIN)


def fold(name: str) -> str:
    """A spelling-insensitive key: "Yerimbetov", "Erimbetov" and "Еримбетов" give the same."""
    text = "".join(CYRILLIC.get(ch, ch) for ch in name.casefold())
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = _LATIN.sub(lambda m: _LATIN_MAP[m.group(0)], text)
    text = re.sub(r"(.)\1+", r"\1", text)  # doubled letters: "Aleksandr" / "Alexsandr"
    return " ".join(re.findall(r"[a-z]+", text))


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
    names = list(Person.objects.values_list("pk", "name"))
    names += list(NameVariant.objects.filter(person__isnull=False).values_list("person_id", "name"))
    hits: dict[int, int] = {}
    for pk, other in names:
        if pk == exclude_pk:
            continue
        words = frozenset(fold(other).split())
        for key in wanted:
            if _same_name(key, words):
                hits[pk] = min(hits.get(pk, 1), 0 if key == words else 1)
    people = Person.objects.in_bulk(hits)
    return sorted(people.values(), key=lambda p: (hits[p.pk], p.name))
