"""One article per source page: the source URL is unique among articles that have one.

An import of a web page updates the article with the page's canonical URL as its source, so two
articles must not share one. Before the constraint is added, every article but the oldest of
those that share a source URL gets the URL with a fragment of its own (``#article-<id>``), which
leads to the same page, so that the migration cannot fail on old data and no source is lost;
each rewrite is printed.
"""

from django.db import migrations, models
from django.db.models import Count

URL_MAX_LENGTH = 500


def separate_shared_sources(apps, schema_editor):
    article = apps.get_model("articleapp", "Article")
    rows = article.objects.using(schema_editor.connection.alias)
    shared = (
        rows.exclude(source_url="")
        .values("source_url")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("source_url", flat=True)
    )
    for url in list(shared):
        for pk in list(rows.filter(source_url=url).order_by("pk").values_list("pk", flat=True))[1:]:
            new = f"{url.split('#')[0]}#article-{pk}"
            new = new if len(new) <= URL_MAX_LENGTH else ""
            rows.filter(pk=pk).update(source_url=new)
            print(f"\n  Article {pk}: source URL {url!r} is another article's too, now {new!r}")


class Migration(migrations.Migration):
    dependencies = [
        ("articleapp", "0011_suggestion_confidence_and_ambiguity"),
    ]

    operations = [
        migrations.RunPython(separate_shared_sources, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source_url", ""), _negated=True),
                fields=("source_url",),
                name="article_unique_source_url",
                violation_error_message=(
                    "Another article has this source URL: each source page is one article."
                ),
            ),
        ),
    ]
