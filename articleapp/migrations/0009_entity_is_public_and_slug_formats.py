"""Entities become public by a published mention or an editor's choice; slugs are checked.

``Entity.is_public`` is the editor's choice (``Entity.objects.public()`` adds entities with a
published mention). No entity is made public here: one without a published mention was shown to
readers only because nothing hid it, and editors can mark those they want shown.

The check constraints hold slugs to Django's ``validate_slug`` in the database. Before they are
added, any slug that would break them (an import once took ``--slug ../../x`` unchecked) is
rewritten to a valid, unused one, so that the migration cannot fail on old data and no row is
lost; each rewrite is printed.
"""

import re

from django.db import migrations, models
from django.utils.text import slugify

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def repair_slugs(apps, schema_editor):
    for model_name, fallback in [("Article", "article"), ("Entity", "entity")]:
        model = apps.get_model("articleapp", model_name)
        rows = model.objects.using(schema_editor.connection.alias)
        taken = set(rows.values_list("slug", flat=True))
        for pk, slug in list(rows.values_list("pk", "slug")):
            if SLUG.fullmatch(slug):
                continue
            base = slugify(slug)[:180] or f"{fallback}-{pk}"
            new, number = base, 1
            while new in taken:
                number += 1
                new = f"{base}-{number}"
            taken.add(new)
            rows.filter(pk=pk).update(slug=new)
            print(f"\n  {model_name} {pk}: slug {slug!r} is not valid, now {new!r}")


class Migration(migrations.Migration):
    dependencies = [
        ("articleapp", "0008_article_reader_digest"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="entity",
            name="is_public",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Show the entity to readers now. Without this, its page, its place in the "
                    "entity list and in search appear with its first published annotation."
                ),
                verbose_name="public",
            ),
        ),
        migrations.AddField(
            model_name="historicalentity",
            name="is_public",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Show the entity to readers now. Without this, its page, its place in the "
                    "entity list and in search appear with its first published annotation."
                ),
                verbose_name="public",
            ),
        ),
        migrations.RunPython(repair_slugs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug__regex", "^[-a-zA-Z0-9_]+\\Z")),
                name="article_slug_format",
            ),
        ),
        migrations.AddConstraint(
            model_name="entity",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug__regex", "^[-a-zA-Z0-9_]+\\Z")),
                name="entity_slug_format",
            ),
        ),
    ]
