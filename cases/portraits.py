"""What a person's portrait may be, and how it is kept: a JPEG, PNG or WebP photograph under a size
limit (`PORTRAIT_MAX_MB`), re-encoded on upload so that nothing but the pixels is stored.

A photograph from a phone carries where and when it was taken (EXIF, GPS), the camera's serial
number and sometimes a thumbnail of the uncropped picture: for a person at risk that can be
dangerous, so the file is decoded and written again from its pixels alone.
"""

import io
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .attachments import refuse_larger_than

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Larger pictures are scaled down: a portrait is shown small, and a smaller file keeps less detail.
LONGEST_SIDE = 1200
# A picture with more pixels than this is refused before it is decoded (a "decompression bomb").
MAX_PIXELS = 40_000_000
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def _open(upload) -> Image.Image:
    """The picture in `upload`, decoded; refused before decoding when it has too many pixels."""
    upload.seek(0)
    image = Image.open(upload)
    if image.width * image.height > MAX_PIXELS:
        raise ValidationError(
            _("This picture has too many pixels: scale it down to at most %(pixels)s million."),
            code="too_many_pixels",
            params={"pixels": MAX_PIXELS // 1_000_000},
        )
    image.load()
    return image


def validate_portrait(value):
    """A clear form error for a file too large, not a picture, or a picture of a refused type."""
    if getattr(value, "_committed", True):
        return  # a stored portrait was checked and re-encoded when it came in
    refuse_larger_than(
        value, settings.PORTRAIT_MAX_MB, _("This picture is %(size)s; a portrait may be at most %(limit)s.")
    )
    try:
        image = _open(value.file)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("“%(name)s” is not a picture that can be read: upload a JPEG, PNG or WebP photograph."),
            code="not_image",
            params={"name": value.name},
        ) from error
    finally:
        value.file.seek(0)
    if image.format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("A portrait must be a JPEG, PNG or WebP picture, not %(format)s."),
            code="type",
            params={"format": image.format},
        )


def reencoded(upload, name: str) -> ContentFile:
    """The picture in `upload` written again from its pixels: no EXIF, GPS, XMP, ICC profile,
    comment or thumbnail; turned upright first, since the orientation tag goes with the rest."""
    image = _open(upload)
    kind = ACCEPTED_FORMATS[image.format]
    image = ImageOps.exif_transpose(image)
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    if kind == "jpg":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    # A new image holds the pixels alone: `info` (where metadata hides) starts empty.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    options = {"quality": 88} if kind in ("jpg", "webp") else {"optimize": True}
    clean.save(buffer, format=image_format(kind), **options)
    return ContentFile(buffer.getvalue(), name=f"{PurePath(name).stem}.{kind}")


def image_format(kind: str) -> str:
    return {extension: format for format, extension in ACCEPTED_FORMATS.items()}[kind]


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(PurePath(name).suffix.lstrip(".").lower(), "application/octet-stream")
