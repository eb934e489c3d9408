"""Backups: the whole database and its uploaded files as a versioned JSON archive, and back.

An archive is a .zip file (or a folder): one JSON file per model, the uploaded files under
`files/`, and `manifest.json` with the format version, the migrations applied, each model's
row count and the SHA-256 of every other file. Rows keep their primary keys, so history and
links come back exactly; content types, permissions, users and groups are named by natural
key, so an archive loads into any database migrated to the same state.
"""

import datetime
import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "casetracker-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES = "files/"

# Rebuilt by `migrate` itself (content types, permissions), or short-lived state not worth
# restoring (sessions, sign-in attempts and lockouts).
NOT_ARCHIVED = {"contenttypes", "sessions", "axes", "auth.permission"}
# What would let someone sign in as a researcher: archived only when asked for.
SECRET_MODELS = {"otp_totp.totpdevice", "otp_static.staticdevice", "otp_static.statictoken"}
SECRET_FIELDS = {"auth.user": "password"}


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, less its rounding of times to milliseconds: a restore gives back every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class ArchiveError(Exception):
    """An archive that cannot be written or restored, with what to do about it."""


def archived_models(with_secrets: bool) -> list[type[models.Model]]:
    """Every model whose rows are archived, each after the models its natural keys point to.

    Many-to-many links are rows of their own tables (auto-created through models), so restoring
    them is a raw insert like any other row and sets off no signal.
    """
    chosen = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.app_label in NOT_ARCHIVED or label in NOT_ARCHIVED or model._meta.proxy:
            continue
        if label in SECRET_MODELS and not with_secrets:
            continue
        chosen.append(model)
    by_app: dict = {}
    for model in chosen:
        by_app.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)
    return serializers.sort_dependencies(by_app.items(), allow_cycles=True)


def own_fields(model) -> list[str]:
    """The fields serialised with the row: many-to-many links travel in their own tables."""
    return [field.name for field in model._meta.local_fields if not field.primary_key]


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[DEFAULT_DB_ALIAS]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def app_version() -> str:
    try:
        return version("casetracker")
    except PackageNotFoundError:
        return "unknown"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_fields(model) -> list[models.FileField]:
    return [field for field in model._meta.local_fields if isinstance(field, models.FileField)]


class Writer:
    """Writes the archive's members into a .zip file, or into a folder for any other path."""

    def __init__(self, path: Path):
        self.path = path
        if path.suffix == ".zip":
            self.zip: zipfile.ZipFile | None = zipfile.ZipFile(path, "x", compression=zipfile.ZIP_DEFLATED)
        else:
            path.mkdir(parents=True, exist_ok=False)
            self.zip = None

    def write(self, name: str, data: bytes) -> None:
        if self.zip:
            self.zip.writestr(name, data)
        else:
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def close(self) -> None:
        if self.zip:
            self.zip.close()


class Reader:
    def __init__(self, path: Path):
        self.path = path
        self.zip = zipfile.ZipFile(path) if path.is_file() else None
        if not self.zip and not path.is_dir():
            raise ArchiveError(f"There is no archive at {path}.")

    def read(self, name: str) -> bytes:
        try:
            return self.zip.read(name) if self.zip else (self.path / name).read_bytes()
        except (KeyError, FileNotFoundError) as error:
            raise ArchiveError(f"The archive has no {name}: it is incomplete.") from error


@dataclass
class Summary:
    rows: dict[str, int]
    files: int


def export_archive(path: Path, *, with_secrets: bool = False) -> Summary:
    """Write the whole database and its uploaded files to `path`, which must not exist yet."""
    if path.exists():
        raise ArchiveError(f"{path} exists already: name a new file or folder.")
    writer = Writer(path)
    manifest: dict = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": app_version(),
        "created": timezone.now().isoformat(),
        "with_secrets": with_secrets,
        "migrations": applied_migrations(),
        "models": [],
        "files": {},
    }
    uploads: dict = {}
    connection = connections[DEFAULT_DB_ALIAS]
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # Every table as of one moment, while researchers go on working.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in archived_models(with_secrets):
            rows = serialised_rows(model, with_secrets)
            data = json.dumps(rows, cls=ExactJSONEncoder, ensure_ascii=False, indent=1).encode()
            name = f"{model._meta.label_lower}.json"
            writer.write(name, data)
            manifest["models"].append({"model": model._meta.label_lower, "file": name, "count": len(rows)})
            manifest["files"][name] = sha256(data)
            for field in file_fields(model):
                for stored in model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                    uploads[stored] = field.storage
    for name, storage in sorted(uploads.items()):
        with storage.open(name, "rb") as upload:
            data = upload.read()
        writer.write(FILES + name, data)
        manifest["files"][FILES + name] = sha256(data)
    writer.write(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    writer.close()
    return Summary({entry["model"]: entry["count"] for entry in manifest["models"]}, len(uploads))


def serialised_rows(model, with_secrets: bool) -> list[dict]:
    queryset = model._default_manager.order_by("pk")
    rows = serializers.serialize("python", queryset.iterator(), fields=own_fields(model), use_natural_foreign_keys=True)
    secret = SECRET_FIELDS.get(model._meta.label_lower)
    if secret and not with_secrets:
        for row in rows:
            # An unusable password: the person sets a new one ("Forgot password" or an administrator).
            row["fields"][secret] = make_password(None)
    return rows


def read_manifest(reader: Reader) -> dict:
    try:
        manifest = json.loads(reader.read(MANIFEST))
    except ValueError as error:
        raise ArchiveError("manifest.json is not JSON: this is not a casetracker archive, or it is damaged.") from error
    if manifest.get("format") != FORMAT:
        raise ArchiveError("manifest.json does not describe a casetracker archive.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            f"The archive is in format version {manifest.get('format_version')}; this casetracker reads version "
            f"{FORMAT_VERSION}."
        )
    return manifest


def verified_members(reader: Reader, manifest: dict) -> Iterator[tuple[str, bytes]]:
    for name, expected in manifest["files"].items():
        data = reader.read(name)
        if sha256(data) != expected:
            raise ArchiveError(f"{name} does not match its SHA-256 in the manifest: the archive is damaged.")
        yield name, data


def rows_in_database() -> dict[str, int]:
    """What a database holds beyond what `migrate` puts there (the roles' groups)."""
    counts = {}
    for model in archived_models(with_secrets=True):
        if model is Group or model is Group.permissions.through:
            continue
        if count := model._default_manager.count():
            counts[model._meta.label_lower] = count
    return counts


def import_archive(path: Path) -> Summary:
    """Restore an archive into an empty, migrated database, all or nothing."""
    reader = Reader(path)
    manifest = read_manifest(reader)
    members = dict(verified_members(reader, manifest))
    if manifest["migrations"] != applied_migrations():
        raise ArchiveError(
            "The archive was written by a database at other migrations than this one. Run the casetracker "
            "version that wrote it (app version "
            f"{manifest.get('app_version')}), `manage.py migrate`, and import again."
        )
    if present := rows_in_database():
        listed = ", ".join(f"{label} ({count})" for label, count in sorted(present.items()))
        raise ArchiveError(f"This database is not empty: {listed}. Restore into a new, migrated database.")
    connection = connections[DEFAULT_DB_ALIAS]
    loaded = []
    with transaction.atomic():
        # The roles' groups that `migrate` made give way to the archive's own.
        Group.objects.all().delete()
        deferred = []
        with connection.constraint_checks_disabled():
            for entry in manifest["models"]:
                for restored in serializers.deserialize("json", members[entry["file"]], handle_forward_references=True):
                    restored.save()
                    if restored.deferred_fields:
                        deferred.append(restored)
                loaded.append(apps.get_model(entry["model"]))
            for restored in deferred:
                restored.save_deferred_fields()
        connection.check_constraints(table_names=[model._meta.db_table for model in loaded])
        for statement in connection.ops.sequence_reset_sql(no_style(), loaded):
            with connection.cursor() as cursor:
                cursor.execute(statement)
        files = restore_files(members)
    return Summary({entry["model"]: entry["count"] for entry in manifest["models"]}, files)


def restore_files(members: dict[str, bytes]) -> int:
    storages = {}
    for model in archived_models(with_secrets=True):
        for field in file_fields(model):
            for name in model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                storages[name] = field.storage
    for name, storage in storages.items():
        if FILES + name not in members:
            raise ArchiveError(f"The archive lacks the uploaded file {name}.")
        if storage.exists(name):
            # The files often outlive the database they belonged to: the same file is kept as it is.
            with storage.open(name, "rb") as present:
                if sha256(present.read()) == sha256(members[FILES + name]):
                    continue
            raise ArchiveError(
                f"{name} exists already in the file storage, with other content: restore into an empty one."
            )
        saved = storage.save(name, ContentFile(members[FILES + name]))
        if saved != name:
            raise ArchiveError(f"The file storage would not keep the name {name}.")
    return len(storages)
