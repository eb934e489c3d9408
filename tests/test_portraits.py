"""A person's portrait: re-encoded on upload with no metadata left, refused with a clear form error
when it is too large or not a photograph, and public only on a published record with consent."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from cases.choices import VariantKind
from cases.models import NameVariant, Person

from .factories import make_person
from .personas import make_staff, sign_in
from .test_permission_matrix import person_form

pytestmark = pytest.mark.django_db

SECRET_PLACE = {1: "N", 2: (43.0, 14.0, 5.0), 3: "E", 4: (76.0, 53.0, 0.0)}  # GPS: a street in Almaty


def photograph(kind: str = "JPEG", size=(40, 30), **save_options) -> bytes:
    """A small picture carrying what a phone writes into one: maker, time, place and orientation."""
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"
    exif[0x0132] = "2018:03:01 10:00:00"
    exif[0x0112] = 6  # taken sideways: shown turned a quarter
    exif[0x8825] = SECRET_PLACE
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, kind, exif=exif, **save_options)
    return buffer.getvalue()


def upload(client, person, name: str, content: bytes, **changes):
    data = person_form(person, portrait=SimpleUploadedFile(name, content), portrait_credit="Family archive", **changes)
    return client.post(reverse("admin:cases_person_change", args=[person.pk]), data)


def stored_bytes(person) -> bytes:
    person.refresh_from_db()
    with person.portrait.open("rb") as stored:
        return stored.read()


def test_the_uploaded_photograph_keeps_its_pixels_and_loses_place_time_and_camera(editor_client):
    person = make_person("Ardak Ashim")
    original = photograph(comment=b"secret comment")
    assert b"SecretPhoneMaker" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)

    response = upload(editor_client, person, "IMG_2041.jpg", original)

    assert response.status_code == 302
    stored = stored_bytes(person)
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "JPEG"
    assert dict(picture.getexif()) == {} and "exif" not in picture.info and "comment" not in picture.info
    assert b"SecretPhoneMaker" not in stored and b"Exif" not in stored and b"secret comment" not in stored
    assert picture.size == (30, 40), "turned upright before the orientation tag was dropped"
    assert "IMG_2041" not in person.portrait.name and person.portrait.name.startswith("portraits/")


def test_a_png_loses_its_text_chunks_and_exif_too(editor_client):
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "taken at the safe house")
    person = make_person("Ardak Ashim")
    upload(editor_client, person, "face.png", photograph("PNG", pnginfo=text))

    stored = stored_bytes(person)
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "PNG" and picture.info.get("Comment") is None and dict(picture.getexif()) == {}
    assert b"safe house" not in stored and b"SecretPhoneMaker" not in stored


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("face.jpg", b"<!DOCTYPE html><script>alert(1)</script>", "Upload a valid image"),
        ("face.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "Upload a valid image"),
        ("face.bmp", None, "must be a JPEG, PNG or WebP picture, not BMP"),
    ],
)
def test_anything_but_a_jpeg_png_or_webp_photograph_is_refused_with_a_form_error(editor_client, name, content, message):
    if content is None:
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4)).save(buffer, "BMP")
        content = buffer.getvalue()
    person = make_person("Ardak Ashim")
    response = upload(editor_client, person, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.get(pk=person.pk).portrait


def test_a_picture_over_the_size_limit_is_refused_with_the_limit_named(editor_client, settings):
    settings.PORTRAIT_MAX_MB = 0
    person = make_person("Ardak Ashim")
    response = upload(editor_client, person, "face.jpg", photograph())
    assert response.status_code == 200
    assert "a portrait may be at most 0\xa0bytes" in response.content.decode()
    assert not Person.objects.get(pk=person.pk).portrait


def test_a_picture_of_too_many_pixels_is_refused_before_it_is_decoded(editor_client, monkeypatch):
    monkeypatch.setattr("cases.portraits.MAX_PIXELS", 100)
    person = make_person("Ardak Ashim")
    response = upload(editor_client, person, "face.jpg", photograph(size=(20, 20)))
    assert "too many pixels" in response.content.decode()


def with_portrait(**fields) -> Person:
    fields.setdefault("portrait_consent", True)
    person = make_person("Ardak Ashim", **fields)
    NameVariant.objects.create(person=person, name="Ардак Ашим", kind=VariantKind.CYRILLIC, language="ru")
    person.portrait.save("face.jpg", ContentFile(photograph()))
    return person


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_consented_portrait_of_a_published_person_is_shown_with_its_credit_and_a_named_alt(client, language):
    person = with_portrait(portrait_credit="Family archive")
    with translation.override(language):
        page = client.get(person.get_absolute_url()).content.decode()
        address = reverse("cases:person-portrait", args=[person.slug])
    alt = "Portrait of Ardak Ashim" if language == "en" else "Портрет: Ардак Ашим (Ardak Ashim)"
    assert f'<img src="{address}" alt="{alt}' in page
    assert "Family archive" in page
    response = client.get(address)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "no-cache"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


@pytest.mark.parametrize(
    "fields",
    [
        {"portrait_consent": False},
        {"is_published": False},
        {"name_withheld": True, "public_alias": "Name withheld — a trade unionist"},
    ],
    ids=["without consent", "unpublished", "name withheld"],
)
def test_a_portrait_without_consent_of_an_unpublished_or_withheld_person_is_nowhere_public(client, fields):
    person = with_portrait(**fields)
    assert client.get(reverse("cases:person-portrait", args=[person.slug])).status_code == 404
    if person.is_published:
        page = client.get(person.get_absolute_url()).content.decode()
        assert "portrait" not in page.lower()


def test_a_person_without_a_portrait_has_no_portrait_address(client):
    person = make_person("Ardak Ashim", portrait_consent=True)
    assert client.get(reverse("cases:person-portrait", args=[person.slug])).status_code == 404


def test_the_portrait_address_answers_404_under_russian_too(client):
    person = with_portrait(portrait_consent=False)
    with translation.override("ru"):
        address = reverse("cases:person-portrait", args=[person.slug])
    assert address.startswith("/ru/") and client.get(address).status_code == 404


@pytest.mark.parametrize("role", ["Viewer", "Researcher", "Editor"])
def test_staff_see_a_portrait_in_the_admin_through_the_staff_view_only(client, role):
    person = with_portrait(portrait_consent=False, is_published=False)
    sign_in(client, make_staff(role.lower(), role))
    page = client.get(reverse("admin:cases_person_change", args=[person.pk]))
    staff_address = reverse("admin:cases_person_portrait", args=[person.pk])
    assert page.status_code == 200 and staff_address in page.content.decode()
    response = client.get(staff_address)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_the_staff_portrait_view_is_closed_to_the_public(client):
    person = with_portrait()
    response = client.get(reverse("admin:cases_person_portrait", args=[person.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_portrait_and_its_consent_are_in_the_persons_history(editor_client):
    person = make_person("Ardak Ashim")
    upload(editor_client, person, "face.jpg", photograph(), portrait_consent="on")
    latest = Person.objects.get(pk=person.pk).history.latest()
    assert latest.portrait.startswith("portraits/") and latest.portrait_consent is True
    assert latest.portrait_credit == "Family archive"


def test_a_file_that_is_no_picture_is_refused_by_the_model_too_whatever_its_name():
    person = Person(name="Ardak Ashim", slug="ardak-ashim", portrait=SimpleUploadedFile("face.jpg", b"%PDF-1.7"))
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert "is not a picture that can be read" in refused.value.message_dict["portrait"][0]
