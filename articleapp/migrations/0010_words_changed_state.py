"""A fourth anchor state, "words changed", and the queue of annotations in it.

Before, an annotation whose words an edit changed was marked "moved" like one whose same words
merely moved, and readers silently stopped seeing it. Published annotations stored that way are
recognised by their quote differing from the words they were published against and marked
"changed" here, so that they appear in the new queue. A draft's earlier words were never
stored, so drafts keep their state.
"""

from django.db import migrations, models
from django.db.models import F


def mark_changed_words(apps, schema_editor):
    annotation = apps.get_model("articleapp", "Annotation")
    rows = annotation.objects.using(schema_editor.connection.alias)
    rows.filter(status="published", anchor_status__in=["anchored", "moved"]).exclude(
        published_quote=F("quote")
    ).update(anchor_status="changed", version=F("version") + 1)


def unmark_changed_words(apps, schema_editor):
    annotation = apps.get_model("articleapp", "Annotation")
    rows = annotation.objects.using(schema_editor.connection.alias)
    rows.filter(anchor_status="changed").update(anchor_status="moved", version=F("version") + 1)


class Migration(migrations.Migration):

    dependencies = [
        ('articleapp', '0009_entity_is_public_and_slug_formats'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChangedAnnotation',
            fields=[
            ],
            options={
                'verbose_name': 'annotation to check after a text change',
                'verbose_name_plural': 'to check after text changes',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('articleapp.annotation',),
        ),
        migrations.AlterField(
            model_name='annotation',
            name='anchor_status',
            field=models.CharField(choices=[('anchored', 'in place'), ('moved', 'moved'), ('changed', 'words changed'), ('orphaned', 'orphaned')], default='anchored', help_text='Moved: the same words were found elsewhere after a text change; readers still see it. Words changed: an edit changed the annotated words; hidden from readers until an editor confirms it. Orphaned: the words were not found; hidden until an editor re-attaches it.', max_length=20, verbose_name='anchor'),
        ),
        migrations.AlterField(
            model_name='historicalannotation',
            name='anchor_status',
            field=models.CharField(choices=[('anchored', 'in place'), ('moved', 'moved'), ('changed', 'words changed'), ('orphaned', 'orphaned')], default='anchored', help_text='Moved: the same words were found elsewhere after a text change; readers still see it. Words changed: an edit changed the annotated words; hidden from readers until an editor confirms it. Orphaned: the words were not found; hidden until an editor re-attaches it.', max_length=20, verbose_name='anchor'),
        ),
        migrations.RunPython(mark_changed_words, unmark_changed_words),
    ]
