"""Create the groups Editors and Exporters with exactly the permissions they need.

Editors add, change, delete and view articles, paragraphs, entities (with their aliases),
annotations and tags; nothing on users or groups. Exporters view what they export and may export
annotations. Readers need no account.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITED_MODELS = [
    ("articleapp", "article"),
    ("articleapp", "paragraph"),
    ("articleapp", "entity"),
    ("articleapp", "entityalias"),
    ("articleapp", "annotation"),
    ("taggit", "tag"),
]
EDITOR_PERMISSIONS = [
    (app_label, f"{action}_{model}")
    for app_label, model in EDITED_MODELS
    for action in ("add", "change", "delete", "view")
]
EXPORTER_PERMISSIONS = [
    ("articleapp", "view_article"),
    ("articleapp", "view_paragraph"),
    ("articleapp", "view_entity"),
    ("articleapp", "view_annotation"),
    ("articleapp", "export_annotations"),
]
GROUPS = {"Editors": EDITOR_PERMISSIONS, "Exporters": EXPORTER_PERMISSIONS}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now so that a
    # fresh database gets its groups in the same migrate.
    for app_label in ("articleapp", "taggit"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in wanted
        ]
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articleapp", "0002_editorial_state_locking_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
