"""The daily round on the admin's home page: what awaits an Editor's review, and what became of a
Researcher's own records (still drafts, published, or sent back: unpublished again by an Editor).

Each list is read with a fixed number of queries, whatever the number of records.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Case, Event, Person, Source
from .permissions import can_publish

# The records an Editor reviews, in the order the home page lists them.
REVIEWED_MODELS: list[type[Model]] = [Event, Person, Case, Source]
SHOWN = 10  # rows per list; the full list is one click away


@dataclass
class RecordList:
    """Some records of one model, newest first, with how many there are in all and where to see them."""

    model: type[Model]
    count: int
    records: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def opts(self):
        return self.model._meta

    @property
    def changelist_url(self) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist") + "?is_published__exact=0"


STATES = {
    "draft": _("Draft, awaiting review"),
    "sent_back": _("Sent back: unpublished by an Editor"),
    "published": _("Published"),
}


def _with_subjects(model: type[Model], records: QuerySet) -> QuerySet:
    # What each record's name (__str__) reads.
    return records.select_related("case", "person", "theme") if model is Event else records


def _history_rows(model: type[Model]) -> QuerySet:
    return model.history.filter(id=OuterRef("pk"))


def awaiting_review(user) -> list[RecordList]:
    """Unpublished records of each kind `user` may publish, newest first, with who entered them and when."""
    lists = []
    for model in REVIEWED_MODELS:
        if not can_publish(user, model):
            continue
        drafts = model._default_manager.filter(is_published=False)
        entered_by = _history_rows(model).filter(history_type="+").values("history_user__username")[:1]
        rows = _with_subjects(model, drafts).annotate(entered_by=Subquery(entered_by)).order_by("-created_at", "-pk")
        lists.append(RecordList(model, drafts.count(), list(rows[:SHOWN])))
    return lists


def own_records(user) -> list[RecordList]:
    """The records `user` added, of each kind they may add but not publish, most recently changed first:
    each with its state (see STATES), when it last changed and by whom."""
    lists = []
    for model in REVIEWED_MODELS:
        opts = model._meta
        if can_publish(user, model) or not user.has_perm(f"{opts.app_label}.add_{opts.model_name}"):
            continue
        added = model.history.filter(history_type="+", history_user=user).values("id")
        latest = _history_rows(model).order_by("-history_date", "-history_id")
        mine = model._default_manager.filter(pk__in=added).annotate(
            ever_published=Exists(_history_rows(model).filter(is_published=True)),
            last_change=Subquery(latest.values("history_date")[:1]),
            last_change_by=Subquery(latest.values("history_user__username")[:1]),
        )
        counts = mine.aggregate(
            all=Count("pk"),
            draft=Count("pk", filter=Q(is_published=False, ever_published=False)),
            sent_back=Count("pk", filter=Q(is_published=False, ever_published=True)),
            published=Count("pk", filter=Q(is_published=True)),
        )
        rows = list(_with_subjects(model, mine).order_by("-last_change", "-pk")[:SHOWN])
        for row in rows:
            row.review_state = state_of(row)
            row.review_state_label = STATES[row.review_state]
        lists.append(RecordList(model, counts.pop("all"), rows, counts))
    return lists


def state_of(record) -> str:
    """A record's review state, from `is_published` and the `ever_published` annotation."""
    if record.is_published:
        return "published"
    return "sent_back" if record.ever_published else "draft"
