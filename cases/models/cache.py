"""The generation of the public pages: one number that goes up after every change the public could see."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicGeneration(models.Model):
    """A single row read by every anonymous request (cases.caching): cached pages are kept under its
    number, so moving it on retires them all at once, in every server process, whatever the cache."""

    number = models.PositiveBigIntegerField(
        _("number"), default=1, help_text=_("Goes up by one after every committed change to public records.")
    )
    changed_at = models.DateTimeField(
        _("changed"), default=timezone.now, help_text=_("When the number last went up: the pages' Last-Modified.")
    )

    class Meta:
        verbose_name = _("public pages generation")
        verbose_name_plural = _("public pages generations")

    def __str__(self):
        return f"{self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
