"""The team's roles as groups: Viewer reads, Researcher adds and edits, Editor also publishes,
merges, deletes and lifts lockouts. Superusers are for administration only."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECORDS = ["person", "organization", "namevariant", "case", "charge", "event", "citation", "source"]
READ_ONLY = ["theme", "custodyspan", "importeditem"]
PUBLISHABLE = ["person", "organization", "case", "event", "source"]

ROLES = {
    "Viewer": [f"cases.view_{model}" for model in RECORDS + READ_ONLY],
    "Researcher": [f"cases.view_{model}" for model in RECORDS + READ_ONLY]
    + [f"cases.{action}_{model}" for model in RECORDS for action in ("add", "change")],
    "Editor": [f"cases.view_{model}" for model in RECORDS + READ_ONLY]
    + [f"cases.{action}_{model}" for model in RECORDS for action in ("add", "change", "delete")]
    + [f"cases.{action}_theme" for action in ("add", "change", "delete")]
    + [f"cases.publish_{model}" for model in PUBLISHABLE]
    + ["cases.merge_person", "axes.view_accessattempt", "axes.delete_accessattempt"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    replaces = [("cases", "0008_roles")]

    dependencies = [
        ("cases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
