"""Load the bundled article, entity gazetteer and annotations (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from articleapp import importer
from articleapp.seed import SeedError, seed


class Command(BaseCommand):
    help = "Load the article, entities and annotations shipped in articleapp/data/ (idempotent)."

    def handle(self, *args, **options):
        try:
            report = seed()
        except (SeedError, importer.ArticleImportError) as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Seeded {report.articles} article, {report.entities} entities, "
                f"{report.annotations_total} annotations ({report.annotations_created} new)."
            )
