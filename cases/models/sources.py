"""The documents facts are cited from."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..dates import FuzzyDate
from .base import Publishable


def validate_edtf(value: str):
    try:
        FuzzyDate.parse(value)
    except ValueError as error:
        raise ValidationError(str(error)) from error


class Source(Publishable):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    published = models.CharField(
        _("publication date"),
        max_length=30,
        blank=True,
        validators=[validate_edtf],
        help_text=_("As precise as known, in EDTF: 2019-01-17, 2019-01 or 2019."),
    )
    language = models.CharField(
        _("language"), max_length=10, default="en", help_text=_("Language code of the document, such as en, ru or kk.")
    )

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title", "pk"]

    def __str__(self):
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    def get_absolute_url(self):
        return reverse("cases:source-detail", args=[self.slug])

    @property
    def published_date(self) -> FuzzyDate | None:
        return FuzzyDate.parse(self.published) if self.published else None
