"""The history of a record whose many-to-many fields are tracked, whichever side changes them."""

from simple_history.models import HistoricalRecords


class HistoricalRecordsOfBothSides(HistoricalRecords):
    """HistoricalRecords that records a change to one of `m2m_fields` on this model's records even
    when it is made from the other side: `person.cases.add(case)` as `case.people.add(person)`.

    django-simple-history (3.13) records the change on the signal's `instance`, with this model's
    excluded fields. Reversed, that is the person: it builds a HistoricalPerson from the person's
    fields less the case's exclusions, so a derived field the person's history leaves out is a
    TypeError; another model's records get a "~" row of their own; and the case records nothing
    (upstream issues #1048 and #1408, open). Reversed, `model` is this model and `pk_set` names its
    records: each records the change as if it had been made on it. A clear names none, so the
    records linked before it are read first.
    """

    def m2m_changed(self, instance, action, attr, pk_set, reverse, model=None, using=None, **kwargs):
        if not reverse:
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
            return
        records = model._base_manager.using(using)
        if action == "pre_clear":
            linked = set(records.filter(**{attr: instance}).values_list("pk", flat=True))
            instance.__dict__.setdefault("_history_linked_before_clear", {})[attr] = linked
            return
        if action == "post_clear":
            pk_set = instance.__dict__.get("_history_linked_before_clear", {}).pop(attr, set())
        if action in {"post_add", "post_remove", "post_clear"}:
            for record in records.filter(pk__in=pk_set).order_by("pk"):
                super().m2m_changed(record, action, attr, None, reverse=False)
