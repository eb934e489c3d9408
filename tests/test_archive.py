"""Backup and restore: `export_archive` writes everything, `import_archive` brings it back into an
empty database exactly, field by field, and refuses a damaged archive or a database in use."""

import json
import zipfile

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.archive import archived_models, export_archive, import_archive
from cases.choices import CustodyState, EventType
from cases.models import CustodySpan, ImportedItem, NameVariant, Person, Source

from .factories import make_case, make_charge, make_event, make_organization, make_person, make_source, make_theme
from .personas import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n"


def build_everything():
    """A record of every model: published and not, with history, users, groups, devices and an upload."""
    alice = make_staff("alice", "Researcher")
    erin = make_staff("erin", "Editor")
    TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    backup = StaticDevice.objects.create(user=alice, name="backup codes", confirmed=True)
    StaticToken.objects.create(device=backup, token="abcd1234")
    person = make_person("Maks Bokaev", variants=["Макс Бокаев"], country="KZ", summary_ru="Активист")
    draft = make_person("Draft Person", is_published=False, internal_notes="check the spelling")
    person.summary = "Corrected summary"
    person.save()  # a second history row
    case = make_case(
        "Prosecution of Maks Bokaev", people=[person, draft], organizations=[make_organization("Atajurt")],
        charges=[make_charge("inciting discord")], themes=[make_theme("Civil Society")],
    )  # fmt: skip
    source = make_source("Verdict", attachment=SimpleUploadedFile("verdict.pdf", PDF))
    convicted = {"type": EventType.CONVICTED, "custody": CustodyState.IMPRISONED}
    make_event(case, "2016-11-28", person=person, source=source, **convicted)
    ImportedItem.objects.create(dataset="hrw-2019-kz", key="people/maks-bokaev")
    LogEntry.objects.log_actions(erin.pk, [person], ADDITION)
    assert CustodySpan.objects.exists() and NameVariant.objects.exists()
    return alice


def snapshot() -> dict[str, list[dict]]:
    """Every archived table, row by row, with links by natural key (so it compares across databases)."""
    return {
        model._meta.label_lower: serializers.serialize(
            "python", model._default_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        for model in archived_models(with_secrets=True)
    }


def empty_database():
    """What a new database holds after `migrate`: nothing of ours (the roles' groups stay)."""
    for model in reversed(archived_models(with_secrets=True)):
        if model not in (Group, Group.permissions.through):
            model._base_manager.all()._raw_delete(model._base_manager.db)


@pytest.fixture
def everything(settings, tmp_path):
    build_everything()
    return snapshot()


def test_a_round_trip_brings_back_every_record_field_by_field(everything, settings, tmp_path):
    uploaded = Source.objects.get(slug="verdict").attachment.name
    export_archive(tmp_path / "backup.zip", with_secrets=True)
    empty_database()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "new-private-media"

    import_archive(tmp_path / "backup.zip")

    assert snapshot() == everything
    assert sum(len(rows) for rows in everything.values()) > 40
    assert Source.objects.get(slug="verdict").attachment.read() == PDF
    assert Source.objects.get(slug="verdict").attachment.name == uploaded
    assert get_user_model().objects.get(username="alice").check_password(PASSWORD)
    # New records carry on after the restored ones.
    assert make_person("After the restore").pk > max(row["pk"] for row in everything["cases.person"])


def test_without_secrets_no_password_hash_or_second_factor_leaves_the_database(everything, tmp_path):
    path = tmp_path / "backup"
    export_archive(path)
    archive = "".join(file.read_text() for file in path.glob("*.json"))
    alice = get_user_model().objects.get(username="alice")
    assert alice.password not in archive
    assert TOTPDevice.objects.get().key not in archive and "abcd1234" not in archive
    assert "Draft Person" in archive and "check the spelling" in archive
    assert "historicalperson" in archive

    empty_database()
    import_archive(path)
    restored = get_user_model().objects.get(username="alice")
    assert not restored.has_usable_password()
    assert not TOTPDevice.objects.exists()
    assert list(restored.groups.values_list("name", flat=True)) == ["Researcher"]
    assert Person.history.filter(name="Maks Bokaev").count() == 2


def test_the_manifest_names_the_format_the_migrations_and_every_file_with_its_checksum(everything, tmp_path):
    export_archive(tmp_path / "backup.zip")
    with zipfile.ZipFile(tmp_path / "backup.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format"] == "casetracker-archive" and manifest["format_version"] == 1
        assert "0001_initial" in manifest["migrations"]["cases"]
        assert set(manifest["files"]) == set(archive.namelist()) - {"manifest.json"}
        assert any(name.startswith("files/") for name in manifest["files"])
    counts = {entry["model"]: entry["count"] for entry in manifest["models"]}
    assert counts["cases.person"] == 2 and counts["auth.user"] == 2


def test_a_damaged_archive_is_refused_and_nothing_is_restored(everything, tmp_path):
    path = tmp_path / "backup"
    export_archive(path)
    people = path / "cases.person.json"
    people.write_text(people.read_text().replace("Maks Bokaev", "Maks Bokayev"))
    empty_database()
    with pytest.raises(CommandError, match="cases.person.json does not match its SHA-256"):
        call_command("import_archive", str(path))
    assert not Person.objects.exists()


def test_a_database_in_use_is_refused(everything, tmp_path):
    export_archive(tmp_path / "backup.zip")
    with pytest.raises(CommandError, match="This database is not empty: .*cases.person \\(2\\)"):
        call_command("import_archive", str(tmp_path / "backup.zip"))


def test_an_existing_path_is_not_overwritten(tmp_path):
    (tmp_path / "backup.zip").write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("export_archive", str(tmp_path / "backup.zip"))
