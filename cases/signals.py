"""Keep derived data (custody spans, search text, the cached pages' generation) in step with every write
path (admin, services, shell)."""

from django.db.models import ProtectedError, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .caching import public_pages_changed
from .custody import refresh_custody_tally, refresh_span_tallies, sync_custody_spans, tally_keys_of_spans
from .figures_on_a_date import refresh_figures_on_a_date
from .models import (
    Case,
    CategoryTally,
    Charge,
    Citation,
    Event,
    FigureShare,
    ImportedItem,
    NameVariant,
    Organization,
    Person,
    PersonCategory,
    PublicGeneration,
    SliceCategoryTally,
    Source,
    Theme,
)
from .models.figures import Holder, Part
from .models.people import CURRENT_CUSTODY
from .search import build_search_text, rebuild_search_text, refresh_search_text
from .statistics import lock_tally, refresh_category_tally, refresh_charge_people, refresh_person_categories


def _pks(people) -> set[int]:
    return set(people.order_by().values_list("pk", flat=True))


@receiver(pre_save, sender=Event)
def fold_event_description(sender, instance, **kwargs):
    # Read from the row alone, so a raw load (loaddata) is folded too.
    instance.search_text = build_search_text(instance.search_names())


@receiver(pre_save, sender=Event)
def remember_people_before_change(sender, instance, raw=False, **kwargs):
    instance._people_before = set()
    instance._case_before = None
    if instance.pk and not raw:
        previous = Event.objects.filter(pk=instance.pk).select_related("case").first()
        if previous is not None:
            instance._people_before = _pks(previous.affected_people())
            instance._case_before = previous.case_id


@receiver(pre_delete, sender=Event)
def remember_tally_keys_before_delete(sender, instance, **kwargs):
    # The spans the event set go with it (on delete cascade) before sync_custody_spans could read
    # which of the statistics' months and status days they counted in.
    instance._tally_keys_before = tally_keys_of_spans(_pks(instance.affected_people()))


@receiver(post_save, sender=Event)
@receiver(post_delete, sender=Event)
def event_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    people = _pks(instance.affected_people()) | getattr(instance, "_people_before", set())
    sync_custody_spans(people, tally_keys=getattr(instance, "_tally_keys_before", ()))
    refresh_figures_on_a_date(people)
    # The case it is in now and any it was moved out of.
    cases = {instance.case_id, getattr(instance, "_case_before", None)} - {None}
    if cases:
        Case.objects.filter(pk__in=cases).refresh_latest_event()
        _organizations_of(cases).refresh_latest_event()
    # Deleted, its citations went first and recounted their sources (citation_changed).
    _sources_cited(Citation.objects.filter(event=instance.pk)).refresh_support()


def _sources_cited(citations) -> QuerySet[Source]:
    return Source.objects.filter(pk__in=citations.values("source"))


@receiver(pre_save, sender=Case)
def remember_publication(sender, instance, raw=False, **kwargs):
    instance._published_before = None
    if instance.pk and not raw:
        instance._published_before = Case.objects.filter(pk=instance.pk).values_list("is_published", flat=True).first()


@receiver(post_save, sender=Case)
def case_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        # What the spans and the tallies read of a case is its publication: an edit of its text
        # recounts nothing (recounting its categories reads every case of a large theme).
        if instance.__dict__.pop("_published_before", None) != instance.is_published:
            people = _pks(instance.affected_people())
            sync_custody_spans(people)
            _recount_categories(Case.objects.filter(pk=instance.pk))
            _recount_person_categories({instance.pk}, people)
            _organizations_of([instance.pk]).refresh_latest_event()
        # Its publication, title and time of change are what the sources list shows of it.
        _sources_cited(Citation.objects.filter(event__case=instance.pk)).refresh_support()


def _recount_person_categories(cases: set[int], people=()) -> None:
    """Recount the charges and themes of these cases' people and of `people` (PersonCategory), which
    cases name several people (SharedCaseLink), and the statistics on a date of all of them."""
    refresh_figures_on_a_date(refresh_person_categories(cases, people), cases)


def _recount_categories(cases) -> None:
    """Recount the statistics' charge and theme rows (CategoryTally) of these cases."""
    for model, field in ((Charge, "charges"), (Theme, "themes")):
        refresh_category_tally(model, set(cases.filter(**{f"{field}__isnull": False}).values_list(field, flat=True)))


@receiver(m2m_changed, sender=Case.charges.through)
@receiver(m2m_changed, sender=Case.themes.through)
def case_categories_changed(sender, instance, action, reverse, pk_set, model, **kwargs):
    category = Charge if sender is Case.charges.through else Theme
    if reverse:
        # `instance` is a charge or theme whose list of cases changed.
        if action == "pre_clear":
            instance._cases_before_clear = set(instance.cases.values_list("pk", flat=True))
        if action in {"post_add", "post_remove", "post_clear"}:
            refresh_category_tally(category, {instance.pk})
            _recount_person_categories(set(pk_set or ()) | instance.__dict__.pop("_cases_before_clear", set()))
        return
    field = "charges" if category is Charge else "themes"
    if action == "pre_clear":
        instance._categories_before_clear = set(getattr(instance, field).values_list("pk", flat=True))
    elif action in {"post_add", "post_remove"}:
        refresh_category_tally(category, set(pk_set or ()))
    elif action == "post_clear":
        refresh_category_tally(category, instance.__dict__.pop("_categories_before_clear", set()))
    if action in {"post_add", "post_remove", "post_clear"}:
        _recount_person_categories({instance.pk})


def _organizations_of(cases) -> QuerySet[Organization]:
    """The organisations these cases (keys, or a query of them) name."""
    return Organization.objects.filter(
        pk__in=Case.organizations.through.objects.filter(case__in=cases).values("organization")
    )


@receiver(m2m_changed, sender=Case.organizations.through)
def case_organizations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """An organisation's latest event is its published cases' newest: recounted for those whose cases
    changed, from either side."""
    if reverse:
        # `instance` is an organisation whose list of cases changed.
        if action in {"post_add", "post_remove", "post_clear"}:
            Organization.objects.filter(pk=instance.pk).refresh_latest_event()
        return
    if action == "pre_clear":
        instance._organizations_before_clear = set(instance.organizations.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove"}:
        Organization.objects.filter(pk__in=pk_set or ()).refresh_latest_event()
    elif action == "post_clear":
        cleared = instance.__dict__.pop("_organizations_before_clear", set())
        Organization.objects.filter(pk__in=cleared).refresh_latest_event()


@receiver(pre_delete, sender=Case)
def remember_case_categories(sender, instance, **kwargs):
    instance._people = _pks(instance.people.all())
    instance._organizations = set(instance.organizations.values_list("pk", flat=True))
    instance._categories = {
        model: set(getattr(instance, field).values_list("pk", flat=True))
        for model, field in ((Charge, "charges"), (Theme, "themes"))
    }


@receiver(post_delete, sender=Case)
def case_deleted(sender, instance, **kwargs):
    for model, among in getattr(instance, "_categories", {}).items():
        refresh_category_tally(model, among)
    _recount_person_categories({instance.pk}, getattr(instance, "_people", ()))
    Organization.objects.filter(pk__in=getattr(instance, "_organizations", ())).refresh_latest_event()


@receiver(post_delete, sender=Charge)
@receiver(post_delete, sender=Theme)
def category_deleted(sender, instance, **kwargs):
    CategoryTally.objects.filter(kind=sender._meta.model_name, category_id=instance.pk).delete()
    SliceCategoryTally.objects.filter(kind=sender._meta.model_name, category_id=instance.pk).delete()
    # Its cases' links went with it; whether a case names several people did not change.
    rows = PersonCategory.objects.filter(kind=sender._meta.model_name, category_id=instance.pk)
    people = set(rows.values_list("person", flat=True))
    rows.delete()
    cases_part = Part.CHARGE_CASES if sender is Charge else Part.THEME_CASES
    shared = FigureShare.objects.filter(holder=Holder.CASE, part=cases_part, key=instance.pk)
    refresh_figures_on_a_date(people, set(shared.values_list("holder_id", flat=True)))


# What the spans, the tallies, the cases' latest events and the sources' support read of a person:
# their publication, their weight, and the country and role the statistics are kept by. Their event
# periods copy the publication and weight (PersonEventPeriod.PERSON_COPIES), rewritten by
# sync_custody_spans.
COUNTED_FIELDS = ("is_published", "identity", "group_size", "group_size_is_minimum", "country", "role")
# What the first people of a charge are listed by: the public name.
NAMED_FIELDS = ("name", "name_withheld", "public_alias")


@receiver(pre_save, sender=Person)
def remember_counted_fields(sender, instance, raw=False, **kwargs):
    instance._counted_before = None
    if instance.pk and not raw:
        instance._counted_before = (
            Person.objects.filter(pk=instance.pk).values_list(*COUNTED_FIELDS, *NAMED_FIELDS).first()
        )


@receiver(post_save, sender=Person)
def person_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        # No spans yet: the person joins the tally's row of their (unknown) custody.
        refresh_custody_tally({(instance.current_custody, instance.current_report_end)})
        return
    before = instance.__dict__.pop("_counted_before", None) or ()
    if tuple(before[: len(COUNTED_FIELDS)]) != tuple(getattr(instance, field) for field in COUNTED_FIELDS):
        # A save that changes none of them (a summary, a portrait) recounts nothing: recounting a
        # person's categories reads every case of a large theme (about a second at 100,000 people).
        # A person's own events count only while the person is published (Event.objects.published);
        # the tallies count their publication and group size.
        sync_custody_spans([instance.pk])
        # Their own events are public only while they are.
        their_cases = Event.objects.filter(person=instance).values("case")
        Case.objects.filter(pk__in=their_cases).refresh_latest_event()
        _organizations_of(their_cases).refresh_latest_event()
        _recount_categories(Case.objects.filter(people=instance.pk))
        refresh_figures_on_a_date([instance.pk])
        _sources_cited(Citation.objects.filter(event__person=instance.pk)).refresh_support()
    elif tuple(before[len(COUNTED_FIELDS) :]) != tuple(getattr(instance, field) for field in NAMED_FIELDS):
        # A new spelling moves them in the lists by name alone: nothing counted changes (a rename
        # recounted a large theme's cases, about a second at 100,000 people).
        lock_tally(CategoryTally)
        refresh_charge_people(set(Charge.objects.filter(cases__people=instance.pk).values_list("pk", flat=True)))


@receiver(pre_delete, sender=Person)
def remember_tally_rows(sender, instance, **kwargs):
    instance._tally_row = Person.objects.filter(pk=instance.pk).values_list(*CURRENT_CUSTODY).first()
    instance._span_tally_keys = tally_keys_of_spans([instance.pk])


@receiver(post_delete, sender=Person)
def person_deleted(sender, instance, **kwargs):
    if getattr(instance, "_tally_row", None):
        refresh_custody_tally({instance._tally_row})
    refresh_span_tallies(getattr(instance, "_span_tally_keys", set()))
    refresh_figures_on_a_date([instance.pk])


@receiver(m2m_changed, sender=Case.people.through)
def case_people_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:
        # `instance` is a person whose list of cases changed.
        if action == "pre_clear":
            instance._cases_before_clear = set(instance.cases.values_list("pk", flat=True))
        if action in {"post_add", "post_remove", "post_clear"}:
            sync_custody_spans([instance.pk])
            cases = set(pk_set or ()) | instance.__dict__.pop("_cases_before_clear", set())
            _recount_categories(Case.objects.filter(pk__in=cases))
            # The others those cases name may now share them, or no longer.
            _recount_person_categories(cases, [instance.pk])
        return
    if action == "pre_clear":
        instance._people_before_clear = set(instance.people.values_list("pk", flat=True))
        return
    if action in {"post_add", "post_remove"}:
        changed = set(pk_set or ())
    elif action == "post_clear":
        changed = instance.__dict__.pop("_people_before_clear", set())
    else:
        return
    sync_custody_spans(changed)
    _recount_categories(Case.objects.filter(pk=instance.pk))
    # After the category tally, as every write path takes the tallies' locks in one order.
    _recount_person_categories({instance.pk}, changed)


@receiver(pre_delete, sender=Person)
def refuse_deleting_a_person_in_a_case(sender, instance, **kwargs):
    """Deleting a person would silently take them out of their cases: refuse, whatever the path."""
    cases = list(instance.cases.all())
    if cases:
        raise ProtectedError(
            _("%(person)s is in %(count)d case(s): take them out of each case (or merge them) first.")
            % {"person": instance, "count": len(cases)},
            set(cases),
        )


@receiver(post_save, sender=Person)
@receiver(post_save, sender=Organization)
@receiver(post_save, sender=Case)
def searchable_saved(sender, instance, raw=False, **kwargs):
    # A raw load (loaddata) has no variants yet: `manage.py rebuild_search_text` follows it.
    if not raw:
        refresh_search_text([instance])


@receiver(pre_save, sender=NameVariant)
def remember_variant_owner(sender, instance, raw=False, **kwargs):
    instance._owners_before = set()
    if instance.pk and not raw:
        instance._owners_before = set(NameVariant.objects.filter(pk=instance.pk).values_list("person", "organization"))


@receiver(post_save, sender=NameVariant)
@receiver(post_delete, sender=NameVariant)
def name_variant_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # The owner it has now and any it had before (a variant moved to another record).
    owners = {(instance.person_id, instance.organization_id)} | getattr(instance, "_owners_before", set())
    people = Person.objects.filter(pk__in=[person for person, _ in owners if person])
    organizations = Organization.objects.filter(pk__in=[organization for _, organization in owners if organization])
    # Read the owners afresh: an instance's cached variants may predate this change.
    rebuild_search_text(people)
    rebuild_search_text(organizations)
    # A name on a public page changed; a withheld name's variants are not public.
    people.filter(name_withheld=False).touch()
    organizations.touch()


# Parts of a public record stored in other tables: a change to them is a change to the record's
# public page (see Publishable.staff_only_fields for the changes that are not).


@receiver(pre_save, sender=Citation)
def remember_source_before_change(sender, instance, raw=False, **kwargs):
    instance._source_before = None
    if instance.pk and not raw:
        instance._source_before = Citation.objects.filter(pk=instance.pk).values_list("source", flat=True).first()


@receiver(post_save, sender=Citation)
@receiver(post_delete, sender=Citation)
def citation_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        Event.objects.filter(pk=instance.event_id).touch()
        # The source it cites now and any it cited before, after the touch: it dates what they support.
        sources = {instance.source_id, getattr(instance, "_source_before", None)} - {None}
        Source.objects.filter(pk__in=sources).refresh_support()


@receiver(m2m_changed, sender=Case.people.through)
@receiver(m2m_changed, sender=Case.organizations.through)
@receiver(m2m_changed, sender=Case.charges.through)
@receiver(m2m_changed, sender=Case.themes.through)
def case_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse and action == "pre_clear":
        # A person's (or a charge's) cases are cleared: `pk_set` will name none and their links will
        # be gone, so they are touched now, in the clear's transaction.
        Case.objects.filter(pk__in=instance.cases.values("pk")).touch()
    elif action in {"post_add", "post_remove", "post_clear"}:
        # Reversed (a person's or a charge's list of cases changed), `pk_set` names the cases.
        cases = Case.objects.filter(pk__in=pk_set or ()) if reverse else Case.objects.filter(pk=instance.pk)
        cases.touch()


# Every record of this app may show on a public page (vocabularies, sources, custody spans …): any
# write retires the cached pages. Writes that send no signal (bulk_create, update(), raw SQL) call
# public_pages_changed() themselves, as the data commands do.
NOT_PUBLIC = {ImportedItem, PublicGeneration}


def _shown_in_public(sender) -> bool:
    return sender._meta.app_label == "cases" and sender not in NOT_PUBLIC


@receiver(post_save)
@receiver(post_delete)
def record_changed(sender, raw=False, using=None, **kwargs):
    if _shown_in_public(sender):
        public_pages_changed(using or "default")


@receiver(m2m_changed)
def record_links_changed(sender, action, using=None, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and _shown_in_public(sender):
        public_pages_changed(using or "default")
