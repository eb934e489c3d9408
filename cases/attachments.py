"""What a source's attachment may be: a document of a type the team reads, recognised by its
content, under a size limit (`ATTACHMENT_MAX_MB`).

The name's extension says what the file claims to be, and its content must agree: its first bytes,
or for an office document or web archive built on ZIP or gzip, what is inside. Web pages (HTML,
SVG) and programs are refused, whatever they are named.
"""

import gzip
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Enough of the start of a file to recognise any type below.
HEAD_SIZE = 8192
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc, .xls and .ppt
# Bytes that never occur in text: control characters other than tab, line feed, form feed,
# carriage return and escape.
NOT_TEXT = bytes(set(range(32)) - set(b"\t\n\f\r\x1b"))


def starts_with(*signatures: bytes):
    return lambda upload, head: head.startswith(signatures)


def riff(kind: bytes):
    return lambda upload, head: head[:4] == b"RIFF" and head[8:12] == kind


def iso_media(*brands: bytes):
    return lambda upload, head: head[4:8] == b"ftyp" and head[8:12] in brands


def plain_text(upload, head) -> bool:
    # A file that starts with markup is a page a browser would render, not text to read.
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.translate(None, NOT_TEXT) == head and not start.startswith(b"<")


def mime_web_page(upload, head) -> bool:
    """MHTML: a saved page as one MIME message."""
    head = head.lower()
    return plain_text(upload, head) and b"mime-version:" in head and b"multipart/related" in head


def in_zip(read):
    """A check of a ZIP file by `read(archive)`; a damaged archive is not one."""

    def check(upload, head):
        if not head.startswith(b"PK\x03\x04"):
            return False
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                return read(archive)
        except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error):
            return False

    return check


def zip_with(*members: str):
    """A ZIP file holding each of `members`, a file or (ending in /) a folder."""

    def read(archive):
        names = archive.namelist()
        return all(any(name == wanted or name.startswith(wanted) for name in names) for wanted in members)

    return in_zip(read)


def opendocument(kind: str):
    expected = f"application/vnd.oasis.opendocument.{kind}".encode()

    def read(archive):
        with archive.open("mimetype") as mimetype:
            return mimetype.read(len(expected) + 1) == expected

    return in_zip(read)


def gzipped(inner):
    def check(upload, head):
        if not head.startswith(b"\x1f\x8b"):
            return False
        upload.seek(0)
        try:
            with gzip.GzipFile(fileobj=upload) as unpacked:
                inner_head = unpacked.read(HEAD_SIZE)
        except (OSError, EOFError, zlib.error):
            return False
        return inner(upload, inner_head)

    return check


# Extension → how the content is recognised.
ACCEPTED = {
    # Documents
    "pdf": starts_with(b"%PDF-"),
    "txt": plain_text,
    "csv": plain_text,
    "rtf": starts_with(b"{\\rtf"),
    "doc": starts_with(OLE2),
    "xls": starts_with(OLE2),
    "ppt": starts_with(OLE2),
    "docx": zip_with("[Content_Types].xml", "word/"),
    "xlsx": zip_with("[Content_Types].xml", "xl/"),
    "pptx": zip_with("[Content_Types].xml", "ppt/"),
    "odt": opendocument("text"),
    "ods": opendocument("spreadsheet"),
    "odp": opendocument("presentation"),
    # Images: photographs and scans
    "jpg": starts_with(b"\xff\xd8\xff"),
    "jpeg": starts_with(b"\xff\xd8\xff"),
    "png": starts_with(b"\x89PNG\r\n\x1a\n"),
    "gif": starts_with(b"GIF87a", b"GIF89a"),
    "webp": riff(b"WEBP"),
    "tif": starts_with(b"II*\x00", b"MM\x00*"),
    "tiff": starts_with(b"II*\x00", b"MM\x00*"),
    "heic": iso_media(b"heic", b"heix", b"mif1", b"msf1"),
    # Archived web pages
    "warc": starts_with(b"WARC/"),
    "warc.gz": gzipped(starts_with(b"WARC/")),
    "wacz": zip_with("datapackage.json"),
    "mht": mime_web_page,
    "mhtml": mime_web_page,
}


def extension(name: str) -> str | None:
    """The accepted extension `name` ends with (the longest: `warc.gz` before `gz`), or None."""
    name = name.lower()
    matches = [ext for ext in ACCEPTED if name.endswith(f".{ext}")]
    return max(matches, key=len, default=None)


def refuse_larger_than(value, limit_mb: int, message: str) -> None:
    """A form error when an upload is over `limit_mb`; `message` names its %(size)s and the %(limit)s."""
    limit = limit_mb * 1024 * 1024
    if value.size > limit:
        raise ValidationError(
            message, code="too_large", params={"size": filesizeformat(value.size), "limit": filesizeformat(limit)}
        )


def validate_attachment(value):
    if getattr(value, "_committed", True):
        return  # a stored file was checked when it came in
    refuse_larger_than(
        value, settings.ATTACHMENT_MAX_MB, _("This file is %(size)s; an attachment may be at most %(limit)s.")
    )
    ext = extension(value.name)
    if ext is None:
        raise ValidationError(
            _("Attach a document of one of these types: %(types)s."),
            code="type",
            params={"types": ", ".join(f".{ext}" for ext in sorted(ACCEPTED))},
        )
    upload = value.file
    try:
        upload.seek(0)
        head = upload.read(HEAD_SIZE)
        recognised = ACCEPTED[ext](upload, head)
    finally:
        upload.seek(0)
    if not recognised:
        raise ValidationError(
            _("The content of “%(name)s” is not a .%(ext)s document, as its name says: attach the document itself."),
            code="content",
            params={"name": value.name, "ext": ext},
        )
