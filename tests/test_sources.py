"""A source keeps what a citation needs to survive; its attachment stays with the team."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import Source
from cases.models.sources import Reliability

from .factories import make_source

pytestmark = pytest.mark.django_db

DOCUMENT = b"%PDF-1.4 The court finds him guilty."


@pytest.fixture
def uploaded(researcher_client):
    data = {
        "title": "Verdict of the Almaty court", "slug": "verdict", "publisher": "Almaty court",
        "url": "https://example.org/verdict", "published": "2018-10-02", "language": "ru",
        "retrieved_on": "2018-10-05", "archived_url": "https://web.archive.org/web/2018/https://example.org/verdict",
        "reliability": Reliability.HIGH, "internal_notes": "Sent by the lawyer.",
        "attachment": SimpleUploadedFile("verdict.pdf", DOCUMENT, content_type="application/pdf"),
    }  # fmt: skip
    response = researcher_client.post(reverse("admin:cases_source_add"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return Source.objects.get(slug="verdict")


def test_an_uploaded_attachment_gets_its_sha256(uploaded, settings):
    assert uploaded.attachment_sha256 == hashlib.sha256(DOCUMENT).hexdigest()
    path = uploaded.attachment.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert uploaded.retrieved_on.isoformat() == "2018-10-05" and uploaded.archived_url.startswith("https://web.")


def test_staff_download_the_attachment_through_the_admin(uploaded, researcher_client):
    response = researcher_client.get(reverse("admin:cases_source_attachment", args=[uploaded.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == DOCUMENT
    filename = uploaded.attachment.name.rsplit("/", 1)[-1]
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "no-store" in response["Cache-Control"]


def test_the_public_never_reaches_the_attachment(uploaded, client, editor_client):
    editor_client.post(
        reverse("admin:cases_source_changelist"), {"action": "publish_selected", "_selected_action": [uploaded.pk]}
    )
    client.logout()
    page = client.get(uploaded.get_absolute_url())
    assert page.status_code == 200
    assert uploaded.attachment.name not in page.content.decode()
    assert "verdict.pdf" not in page.content.decode()
    assert client.get("/" + uploaded.attachment.name).status_code == 404
    assert client.get("/media/" + uploaded.attachment.name).status_code == 404
    download = client.get(reverse("admin:cases_source_attachment", args=[uploaded.pk]))
    assert download.status_code == 302 and download.url.startswith(reverse("admin:login"))


def test_the_reliability_grade_is_a_controlled_scale():
    source = make_source()
    assert source.reliability == Reliability.UNKNOWN
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.filter(pk=source.pk).update(reliability="good")


def test_removing_the_attachment_clears_its_hash(uploaded):
    uploaded.attachment = None
    uploaded.save()
    assert uploaded.attachment_sha256 == ""


def source_form(source, **changes):
    data = {
        "title": source.title, "slug": source.slug, "publisher": source.publisher, "url": source.url,
        "published": source.published, "language": source.language, "reliability": source.reliability,
        "internal_notes": source.internal_notes, "edit_version": source.version,
    }  # fmt: skip
    data.update(changes)
    return data


def test_a_source_with_an_attachment_opens_with_its_download_link_and_saves_keeping_it(uploaded, researcher_client):
    url = reverse("admin:cases_source_change", args=[uploaded.pk])
    page = researcher_client.get(url)
    assert page.status_code == 200
    download = reverse("admin:cases_source_attachment", args=[uploaded.pk])
    assert page.content.decode().count(f'href="{download}"') == 2  # by the file input, and the download row
    assert researcher_client.post(url, source_form(uploaded, publisher="Almaty city court")).status_code == 302
    source = Source.objects.get(pk=uploaded.pk)
    assert source.publisher == "Almaty city court"
    assert source.attachment.name == uploaded.attachment.name and source.attachment_sha256 == uploaded.attachment_sha256


def test_a_published_source_with_an_attachment_shows_its_download_link_read_only(uploaded, researcher_client):
    Source.objects.filter(pk=uploaded.pk).update(is_published=True)
    page = researcher_client.get(reverse("admin:cases_source_change", args=[uploaded.pk]))
    assert page.status_code == 200
    assert f'href="{reverse("admin:cases_source_attachment", args=[uploaded.pk])}"' in page.content.decode()
