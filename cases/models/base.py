"""What every public record shares: a publication switch and timestamps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def choices_constraint(field: str, choices: type[models.TextChoices], name: str, blank: bool = False):
    """A named CHECK that keeps a vocabulary column to its codes, whatever writes it."""
    allowed = list(choices.values) + ([""] if blank else [])
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": allowed}), name=name)


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Publishable(models.Model):
    is_published = models.BooleanField(
        _("published"),
        default=False,
        db_index=True,
        help_text=_("Only published records appear on public pages, feeds, exports and the API."),
    )
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        help_text=_(
            "For the team only: contacts, risks, how a fact was verified. Never shown on any public page, "
            "feed, export or the API."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True


class ImportedItem(models.Model):
    """Remembers what a data load has added, so a reload neither duplicates nor resurrects it."""

    dataset = models.CharField(_("dataset"), max_length=100)
    key = models.CharField(_("key"), max_length=200, help_text=_("The item's key inside the dataset."))
    loaded_at = models.DateTimeField(_("loaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")
        constraints = [models.UniqueConstraint(fields=["dataset", "key"], name="cases_importeditem_unique_key")]

    def __str__(self):
        return f"{self.dataset}: {self.key}"


__all__ = ["ImportedItem", "Publishable", "PublishableQuerySet", "choices_constraint"]
