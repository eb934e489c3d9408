"""How the admin shows a private file (a source's attachment, a person's portrait): by name, linked to
the staff view that hands it out."""

from dataclasses import dataclass

from django.contrib.admin.widgets import AdminFileWidget
from django.urls import reverse


@dataclass(frozen=True)
class StaffDownload:
    """An attachment as staff reach it: the private storage gives files no URL of their own."""

    url: str
    name: str

    @classmethod
    def of(cls, source) -> "StaffDownload | None":
        if not (source.pk and source.attachment):
            return None
        return cls(
            reverse("admin:cases_source_attachment", args=[source.pk]), source.attachment.name.rsplit("/", 1)[-1]
        )

    @classmethod
    def of_portrait(cls, person) -> "StaffDownload | None":
        if not (person.pk and person.portrait):
            return None
        return cls(reverse("admin:cases_person_portrait", args=[person.pk]), person.portrait.name.rsplit("/", 1)[-1])

    def __str__(self):
        return self.name


class AttachmentInput(AdminFileWidget):
    """Django's file input links the current file to its storage URL, which a private file lacks."""

    def is_initial(self, value):
        return bool(value and getattr(value, "instance", None) is not None and value.instance.pk)

    def format_value(self, value):
        return StaffDownload.of(value.instance) if self.is_initial(value) else None


class PortraitInput(AttachmentInput):
    def format_value(self, value):
        return StaffDownload.of_portrait(value.instance) if self.is_initial(value) else None
