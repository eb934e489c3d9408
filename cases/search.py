"""Forgiving public search: names folded to one phonetic skeleton, whatever the script or spelling.

"Bokayev", "Бокаев", "Bökaev" and "BOKAEV" all fold to `bokaev`. Each searchable record keeps
its folded public names in `search_text` (kept in step by cases.signals); a query is folded the
same way and matched as substrings, so it works on any database. On PostgreSQL, pg_trgm adds
near misses (strict word similarity over 0.5: "Sekirbaeva" for Sekerbaeva, "Kuramsin" for
Kuramshin), ranked below the names that hold the query as typed, by similarity; a GIN index
serves both.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.db import connection, connections, transaction
from django.db.models import Case, F, FloatField, IntegerField, OrderBy, Q, QuerySet, Value, When

if TYPE_CHECKING:
    from .models.base import SearchableQuerySet

# A query longer than any name is trimmed rather than refused.
MAX_QUERY_LENGTH = 200
# Below this many folded characters a trigram match is mostly noise.
MIN_FUZZY_LENGTH = 4
# A name this similar to a query (pg_trgm word similarity) is offered as "Did you mean …?".
SUGGESTION_SIMILARITY = 0.3
# Names are stored between bars, words between single spaces: `|maks bokaev|maks bokaev|`.
NAME_SEPARATOR = "|"

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh letters usually lose their marks in Latin script.
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Ukrainian and Belarusian, for names that come through those spellings.
    "є": "ye", "ї": "yi", "ґ": "g", "ў": "u",
}  # fmt: skip

# Latin letters that Unicode decomposition does not reduce to a plain letter.
LATIN = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d"})

# Applied in order to lower-case ASCII words. Where spellings alternate, the canonical form is
# chosen so that a name cut short ("Bokay", "Semyo", "Baurz") still falls inside the full one.
RULES = [
    (r"eff\b", "ev"),  # Smirnoff, Bokaeff
    (r"shch|sch", "sh"),  # щ
    (r"dzh|dj", "zh"),  # дж: Dzhambul, Djambul
    (r"j(?=[aeiouy])", "zh"),  # Kazakh Latin and English j before a vowel is ж: Janar, Baurjan
    (r"j", "y"),  # elsewhere й: Sergej
    (r"kh", "h"),  # х: Kharlamov, Harlamov
    (r"gh", "g"),  # ғ
    (r"\bx", "h"),  # х written x at the start of a name (Uzbek and Kazakh Latin)
    (r"x", "ks"),  # Max, Alexander
    (r"c(?!h)", "ts"),  # ц: Tsoi, Coi
    (r"q", "k"),  # Kazakh Latin қ
    (r"w", "v"),  # German transliteration: Smirnow
    (r"yo", "e"),  # ё: Semyonova, Semenova
    (r"ye", "e"),  # е after a vowel or at the start: Yelena, Bokayev
    (r"y", "i"),  # й, ы; ya/ia, yu/iu
    (r"ie", "e"),  # ье, ие: Vasiliev, Vasilyev, Васильев
    (r"eksander\b", "eksandr"),  # Alexander, Aleksandr
    (r"([a-z])\1+", r"\1"),  # double letters and longer runs: Abbas, Dmitriy → dmitri, "Aaa" → a
]
_RULES = [(re.compile(pattern), replacement) for pattern, replacement in RULES]
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def latin(text: str) -> str:
    """`text` in lower case, Cyrillic transliterated by the table above and accents dropped.

    What a slug is made from (`Жанара Ахметова` → `zhanara akhmetova`), and the first step of `fold`.
    """
    text = unicodedata.normalize("NFC", text or "").lower()
    # Cyrillic first: decomposition would turn й into и plus a breve.
    text = "".join(CYRILLIC.get(char, char) for char in text)
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return text.translate(LATIN)


def fold(text: str) -> str:
    """The phonetic skeleton of `text`: lower-case ASCII words, one space apart."""
    text = _NOT_ALPHANUMERIC.sub(" ", latin(text))
    # Again until nothing changes: a rule can make what an earlier one reads ("qh" → "kh" → "h"),
    # and a folded query must find what its unfolded self finds. No rule makes what it reads, so
    # this ends; it takes a second pass only for names such as those.
    while True:
        folded = text
        for pattern, replacement in _RULES:
            folded = pattern.sub(replacement, folded)
        if folded == text:
            return " ".join(text.split())
        text = folded


def revealed_words(slug: str, names: Iterable[str]) -> list[str]:
    """The folded words of `names` that `slug` gives away, whatever the script or spelling.

    A word of one or two letters gives itself away as a whole word of the slug (`bo-li` for
    Bo Li); a longer one anywhere in it, even run together with others (`realneimkazakhov`).
    """
    slug_words = fold(slug).split()
    run_together = "".join(slug_words)
    words = dict.fromkeys(word for name in names for word in fold(name).split())
    return [word for word in words if word in slug_words or (len(word) > 2 and word in run_together)]


def fold_by_words(text: str, folded_words: dict[str, str]) -> str:
    """`fold(text)`, one word at a time, each word folded once and kept in `folded_words`: no rule
    reaches across a space, so this is the same, and far quicker for a million texts of few words."""
    parts = []
    for word in text.split():
        if (folded := folded_words.get(word)) is None:
            folded = folded_words[word] = fold(word)
        if folded:
            parts.append(folded)
    return " ".join(parts)


def build_search_text(names: Iterable[str], fold: Callable[[str], str] = fold) -> str:
    """What a record stores in `search_text`: its distinct folded names, each between bars."""
    folded = list(dict.fromkeys(name for name in map(fold, names) if name))
    if not folded:
        return ""
    return NAME_SEPARATOR + NAME_SEPARATOR.join(folded) + NAME_SEPARATOR


def refresh_search_text(records: Iterable) -> int:
    """Recompute `search_text` for `records` (from their `search_names()`) and save what changed."""
    changed = []
    for record in records:
        text = build_search_text(record.search_names())
        if text != record.search_text:
            record.search_text = text
            changed.append(record)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["search_text"], batch_size=500)
    return len(changed)


def rebuild_search_text(queryset: QuerySet, batch_size: int = 500) -> int:
    """Recompute `search_text` for every record of `queryset`, a batch at a time; returns how many changed."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), batch_size):
        batch = queryset.model.objects.filter(pk__in=ids[start : start + batch_size]).with_search_names()
        changed += refresh_search_text(batch)
    return changed


def _query_terms(text: str) -> tuple[str, list[str]]:
    """The folded query and the terms each match must contain."""
    folded = fold((text or "")[:MAX_QUERY_LENGTH])
    terms = folded.split()
    # The last word may be cut short inside a spelling that folds differently when whole
    # ("Dmitri" for Dmitriev, folded `dmitrev`): let it match without a final i.
    if terms and len(terms[-1]) > 3 and terms[-1].endswith("i"):
        terms[-1] = terms[-1][:-1]
    return folded, terms


def _term_matches(term: str) -> Q:
    if len(term) == 1:
        # A single letter would match nearly everything: it matches the start of a word.
        return Q(search_text__contains=f" {term}") | Q(search_text__contains=f"{NAME_SEPARATOR}{term}")
    return Q(search_text__contains=term)


def words_match(text: str) -> Q | None:
    """A filter on `search_text` that every word of `text` satisfies, or None if `text` folds to nothing."""
    _folded, terms = _query_terms(text)
    if not terms:
        return None
    matches = Q()
    for term in terms:
        matches &= _term_matches(term)
    return matches


def suggestions(queryset: QuerySet, text: str, limit: int = 3) -> list:
    """The records of `queryset` whose folded names come nearest to `text`, for "Did you mean …?".

    Only on PostgreSQL (pg_trgm word similarity): elsewhere, none. `queryset` decides which
    records may be offered, so give it published records only.
    """
    folded, _terms = _query_terms(text)
    if connection.vendor != "postgresql" or len(folded) < MIN_FUZZY_LENGTH:
        return []
    from django.contrib.postgres.search import TrigramWordSimilarity

    # The similarity's operator, with its bar set for this transaction, is what reads the names'
    # trigram index; a bar on the similarity's value computed it for every name (0.1 s at 100,000).
    with transaction.atomic(using=queryset.db):
        with connections[queryset.db].cursor() as cursor:
            bar = str(SUGGESTION_SIMILARITY)
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [bar])
        return list(
            queryset.filter(search_text__trigram_word_similar=folded)
            .annotate(suggestion_similarity=TrigramWordSimilarity(folded, "search_text"))
            .order_by("-suggestion_similarity", "pk")[:limit]
        )


# The annotation a search ranks its rows by, which tells a list that it is a search (cases.paging).
SEARCH_RANK = "search_rank"
# The annotation of a search that also finds near misses: their similarity to the query.
SEARCH_SIMILARITY = "search_similarity"


def searched_keys(queryset: "SearchableQuerySet", limit: int) -> list:
    """The keys of the first `limit` records of a search (`search`), in the queryset's order.

    PostgreSQL takes a near-miss search's matches for about twice their number (a name test and a
    near-miss test, counted as independent). Sorted by the records' own columns (latest change,
    name), it then walks the sort's index and compares each name until it has `limit` matches: for
    a name that 4 % of 100,000 people have ("Ardak"), 27,000 comparisons (0.1 s). Without index
    walks it reads the matches from the names' trigram index, as a search by closeness does, and
    sorts them (8 ms); GIN indexes serve only such bitmap reads, so the search loses no index it
    had. A search by closeness, or sorted by a joined record (a custody span on a date), walks no
    index of its own, and keeps its look-ups of other tables by index."""
    keys = queryset.values_list("pk", flat=True)[:limit]
    if not _may_walk_a_sort_index(queryset):
        return list(keys)
    with transaction.atomic(using=queryset.db):
        with connections[queryset.db].cursor() as cursor:
            cursor.execute("SELECT set_config('enable_indexscan', 'off', true)")
        found = list(keys)
        # Rolling back the read (it wrote nothing) undoes the setting, inside a request's own
        # transaction too, where it would otherwise last until that transaction's end.
        transaction.set_rollback(True, using=queryset.db)
    return found


def _may_walk_a_sort_index(queryset: "SearchableQuerySet") -> bool:
    """Whether PostgreSQL may read this search in its order by walking an index of the searched
    records while comparing each name: a search that finds near misses, sorted by its own columns."""
    if SEARCH_SIMILARITY not in queryset.query.annotations:
        return False
    ordering = queryset.query.order_by
    if not ordering or ordering[0] == SEARCH_RANK:
        return False
    return not queryset.sorted_by_a_join()


def search(queryset: "SearchableQuerySet", text: str) -> "SearchableQuerySet":
    """Records of `queryset` whose public names match `text`, closest first.

    Every word of the query must occur in one of the record's folded names; on PostgreSQL a
    near miss (trigram strict word similarity over 0.5, for a query of MIN_FUZZY_LENGTH or more)
    matches too. Ordered by where the query occurs as typed: a whole name, whole words of a name,
    the start of a name, the start of a word, inside a word; then the rest (words found apart,
    near misses), on PostgreSQL the most similar first; then by `sort_name`. A query that folds to
    nothing (only punctuation) finds nothing.
    """
    if not (text or "").strip():
        return queryset
    folded, _terms = _query_terms(text)
    matches = words_match(text)
    if matches is None:
        return queryset.none()
    # A shorter query's similarity says little and costs most, for it matches most names.
    fuzzy = connection.vendor == "postgresql" and len(folded) >= MIN_FUZZY_LENGTH
    if fuzzy:
        matches |= Q(search_text__trigram_strict_word_similar=folded)
    bar = NAME_SEPARATOR
    as_typed = Q(search_text__contains=folded)
    rank = Case(
        When(search_text__contains=f"{bar}{folded}{bar}", then=Value(0)),
        When(
            Q(search_text__contains=f"{bar}{folded} ")
            | Q(search_text__contains=f" {folded} ")
            | Q(search_text__contains=f" {folded}{bar}"),
            then=Value(1),
        ),
        When(search_text__contains=f"{bar}{folded}", then=Value(2)),
        When(search_text__contains=f" {folded}", then=Value(3)),
        When(as_typed, then=Value(4)),
        default=Value(5),
        output_field=IntegerField(),
    )
    queryset = queryset.filter(matches).annotate(**{SEARCH_RANK: rank})
    ordering: list[str | OrderBy] = [SEARCH_RANK, "sort_name", "pk"]
    if fuzzy:
        from django.contrib.postgres.search import TrigramStrictWordSimilarity

        # Only the names that do not hold the query as typed are compared, once each: comparing
        # every match took 0.1 s for a fragment 19,000 cases hold ("baev").
        similarity = Case(
            When(as_typed, then=Value(None)),
            default=TrigramStrictWordSimilarity(folded, "search_text"),
            output_field=FloatField(),
        )
        queryset = queryset.annotate(**{SEARCH_SIMILARITY: similarity})
        ordering.insert(1, F(SEARCH_SIMILARITY).desc(nulls_last=True))
    return queryset.with_sort_name().order_by(*ordering)
