"""Who may do what to a record, beyond Django's add/change/delete/view.

Researchers add and edit; Editors also publish, merge and delete; Viewers read. A published
record is the public's: a Researcher may add internal notes to it but not change it (see
README, "Review and publication"). So is a charge or theme a published case uses.
"""

from django.db import models

from .models import Case, Charge, Theme
from .models.base import Publishable


def publish_permission(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


def can_publish(user, model: type[models.Model]) -> bool:
    return user.has_perm(publish_permission(model))


def is_locked_for(user, obj: models.Model | None) -> bool:
    """Whether `obj` is public and `user` may not change what the public sees of it."""
    if obj is None or obj.pk is None:
        return False
    if isinstance(obj, Publishable):
        return obj.is_published and not can_publish(user, type(obj))
    if isinstance(obj, Charge | Theme):
        # Public through the published cases that use it: changed by those who may publish them.
        return not can_publish(user, Case) and obj.is_public
    return False


def may_preview(user, record: Publishable) -> bool:
    """Editors preview any record's public page before publishing it; a Researcher the records they
    wrote (added or changed, as its history says)."""
    if can_publish(user, type(record)):
        return True
    opts = record._meta
    may_write = user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    return may_write and type(record).history.filter(id=record.pk, history_user=user).exists()
