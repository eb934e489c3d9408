"""A source's attachment is a document of a type the team reads, recognised by its content, under a size limit."""

import gzip
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Source

pytestmark = pytest.mark.django_db

WEB_PAGE = b"<!DOCTYPE html><script>alert(document.cookie)</script>"


def zipped(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


DOCUMENTS = {
    "verdict.pdf": b"%PDF-1.7\n1 0 obj",
    "letter.txt": "Приговор: семь лет.\r\n".encode(),
    "people.csv": b"name,year\nMax Bokayev,2016\n",
    "letter.rtf": b"{\\rtf1\\ansi The verdict}",
    "letter.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
    "letter.docx": zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),
    "table.xlsx": zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}),
    "slides.pptx": zipped({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p:presentation/>"}),
    "letter.odt": zipped({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office/>"}),
    "table.ods": zipped({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}),
    "photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "scan.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "scan.gif": b"GIF89a\x01\x00\x01\x00",
    "scan.webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
    "scan.tiff": b"II*\x00\x08\x00\x00\x00",
    "photo.heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00",
    "page.warc": b"WARC/1.1\r\nWARC-Type: warcinfo\r\n",
    "page.warc.gz": gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n"),
    "page.wacz": zipped({"datapackage.json": "{}", "archive/data.warc.gz": ""}),
    "page.mhtml": b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n",
}


def attach(name: str, content: bytes) -> Source:
    return Source(title="Verdict", slug="verdict", attachment=SimpleUploadedFile(name, content))


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_document_type_is_accepted_with_its_own_content_and_refused_with_a_web_page(name):
    attach(name, DOCUMENTS[name]).full_clean()
    with pytest.raises(ValidationError) as refused:
        attach(name, WEB_PAGE).full_clean()
    assert "is not a" in refused.value.message_dict["attachment"][0]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("page.html", "Attach a document of one of these types: .csv, .doc, .docx"),
        ("drawing.svg", "Attach a document of one of these types"),
        ("page.txt", "is not a .txt document, as its name says"),
        ("verdict.pdf", "is not a .pdf document, as its name says"),
    ],
)
def test_the_admin_refuses_a_web_page_whatever_its_name_with_a_message(researcher_client, name, message):
    data = {"title": "Verdict", "slug": "verdict", "language": "ru", "reliability": "unknown"}
    data["attachment"] = SimpleUploadedFile(name, WEB_PAGE, content_type="application/pdf")
    response = researcher_client.post(reverse("admin:cases_source_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Source.objects.exists()


def test_an_attachment_over_the_configured_size_is_refused_with_a_message(researcher_client, settings):
    settings.ATTACHMENT_MAX_MB = 1
    data = {"title": "Verdict", "slug": "verdict", "language": "ru", "reliability": "unknown"}
    data["attachment"] = SimpleUploadedFile("verdict.pdf", b"%PDF-1.7\n" + b"0" * 1024 * 1024)
    response = researcher_client.post(reverse("admin:cases_source_add"), data)
    assert response.status_code == 200
    assert "an attachment may be at most 1.0\xa0MB" in response.content.decode()
    assert not Source.objects.exists()
