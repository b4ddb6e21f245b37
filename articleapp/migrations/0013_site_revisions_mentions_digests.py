"""Dated text changes (TextRevision, Article.text_changed_at), the entities each article mentions
(ArticleEntity) and the reading stamp's parts (content_digest, card_digest).

No data is written here: after ``migrate``, ``invalidation.fill_missing_digests`` settles every
article whose content digest is empty, which fills its ArticleEntity rows and its digests without
moving ``updated_at``. Text changes made before this migration have no date: their articles
start with an empty change log.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articleapp', '0012_article_unique_source_url'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='card_digest',
            field=models.CharField(blank=True, editable=False, max_length=32, verbose_name='card digest'),
        ),
        migrations.AddField(
            model_name='article',
            name='content_digest',
            field=models.CharField(blank=True, editable=False, max_length=32, verbose_name='content digest'),
        ),
        migrations.AddField(
            model_name='article',
            name='text_changed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='text changed'),
        ),
        migrations.CreateModel(
            name='ArticleEntity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('mentions', models.PositiveIntegerField(verbose_name='mentions')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entity_mentions', to='articleapp.article', verbose_name='article')),
                ('entity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='article_mentions', to='articleapp.entity', verbose_name='entity')),
            ],
            options={
                'verbose_name': 'entity of an article',
                'verbose_name_plural': 'entities of articles',
                'ordering': ['article', '-mentions', 'entity'],
                'indexes': [models.Index(fields=['entity', 'article'], name='article_entity_entity_idx')],
                'constraints': [models.UniqueConstraint(fields=('article', 'entity'), name='article_entity_unique'), models.CheckConstraint(condition=models.Q(('mentions__gte', 1)), name='article_entity_mentioned')],
            },
        ),
        migrations.CreateModel(
            name='TextRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_at', models.DateTimeField(verbose_name='changed')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='text_revisions', to='articleapp.article', verbose_name='article')),
            ],
            options={
                'verbose_name': 'text revision',
                'verbose_name_plural': 'text revisions',
                'ordering': ['-started_at'],
                'constraints': [models.UniqueConstraint(fields=('article', 'started_at'), name='text_revision_unique_start')],
            },
        ),
    ]
